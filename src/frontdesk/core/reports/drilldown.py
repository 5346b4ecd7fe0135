"""The conversations behind a number: the facts of one metric, newest first, keyset paged."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.pagination import cursor_datetime, cursor_uuid, decode_cursor, encode_cursor
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.reports.narrowing import narrow
from frontdesk.core.reports.periods import Period
from frontdesk.core.reports.reading import Filters
from frontdesk.core.reports.schemas import FactPage, FactRow


async def list_report_conversations(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    metric: str,
    period: Period,
    filters: Filters,
    *,
    detail: str | None,
    cursor: str | None,
    limit: int,
) -> FactPage:
    query = (
        select(ReportFact, Contact.name, Channel.type, Conversation.id)
        .join(
            Conversation,
            and_(
                Conversation.id == ReportFact.conversation_id,
                Conversation.workspace_id == workspace_id,
            ),
        )
        .join(Contact, Contact.id == Conversation.contact_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .where(
            ReportFact.workspace_id == workspace_id,
            ReportFact.metric == metric,
            ReportFact.at >= period.start,
            ReportFact.at < period.end,
        )
    )
    if detail is not None:
        query = query.where(ReportFact.detail == detail)
    if filters.team_ids:
        query = query.where(ReportFact.team_id.in_(filters.team_ids))
    if filters.agent_ids:
        query = query.where(ReportFact.agent_id.in_(filters.agent_ids))
    if filters.channel_ids:
        query = query.where(ReportFact.channel_id.in_(filters.channel_ids))
    query = narrow(query, workspace_id, filters)
    if cursor is not None:
        at_raw, id_raw = decode_cursor(cursor, 2)
        at, fact_id = cursor_datetime(at_raw), cursor_uuid(id_raw)
        if at is not None:
            query = query.where(
                or_(ReportFact.at < at, and_(ReportFact.at == at, ReportFact.id < fact_id))
            )
    rows = list(
        await db.execute(
            query.order_by(ReportFact.at.desc(), ReportFact.id.desc()).limit(limit + 1)
        )
    )
    items = [
        FactRow(
            conversation_id=conversation_id,
            contact_name=name,
            channel_type=channel_type,
            team_id=fact.team_id,
            agent_id=fact.agent_id,
            metric=fact.metric,
            detail=fact.detail,
            at=fact.at,
            seconds=fact.seconds,
            business_seconds=fact.business_seconds,
        )
        for fact, name, channel_type, conversation_id in rows[:limit]
    ]
    last = rows[limit - 1][0] if len(rows) > limit else None
    return FactPage(
        items=items, next_cursor=encode_cursor(last.at.isoformat(), last.id) if last else None
    )
