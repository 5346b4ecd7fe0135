"""The tag and outcome filters: figures of the conversations carrying any of the tags, or of the
segments closed with any of the outcomes.

The rollups have no tag or outcome dimension (a conversation's tags change after its facts are
written), so a report narrowed by either reads the facts of the period: the facts of those
conversations (by tag) or of those segments (by the `closed` fact's detail), added up into the
same totals and digests the rollups would give.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.core.reports.digest import MERGED_EXACT_LIMIT, Digest
from frontdesk.core.reports.facts import Metric, hour_of
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.reports.reading import Filters, Totals
from frontdesk.core.tags.models import ConversationTag

Columns = TypeVarTuple("Columns")


def narrow(query: Select[*Columns], workspace_id: uuid.UUID, filters: Filters) -> Select[*Columns]:
    """Keep the facts (of a query over `ReportFact`) the tag and outcome filters name."""
    if filters.tag_ids:
        query = query.where(
            ReportFact.conversation_id.in_(
                select(ConversationTag.conversation_id).where(
                    ConversationTag.workspace_id == workspace_id,
                    ConversationTag.tag_id.in_(filters.tag_ids),
                )
            )
        )
    if filters.outcomes:
        closed = aliased(ReportFact)
        query = query.where(
            exists(
                select(closed.id).where(
                    closed.workspace_id == workspace_id,
                    closed.metric == Metric.CLOSED,
                    closed.detail.in_(filters.outcomes),
                    closed.conversation_id == ReportFact.conversation_id,
                    closed.segment == ReportFact.segment,
                )
            )
        )
    return query


def scoped_facts(
    query: Select[*Columns],
    workspace_id: uuid.UUID,
    filters: Filters,
    start: datetime,
    end: datetime,
) -> Select[*Columns]:
    """Facts of the workspace in [start, end) with every report filter applied."""
    query = query.where(
        ReportFact.workspace_id == workspace_id, ReportFact.at >= start, ReportFact.at < end
    )
    if filters.team_ids:
        query = query.where(ReportFact.team_id.in_(filters.team_ids))
    if filters.agent_ids:
        query = query.where(ReportFact.agent_id.in_(filters.agent_ids))
    if filters.channel_ids:
        query = query.where(ReportFact.channel_id.in_(filters.channel_ids))
    return narrow(query, workspace_id, filters)


def _group_key(by: Any) -> str | None:
    """The fact column a rollup column (`ReportRollup.hour`, `.team_id`...) stands for."""
    return None if by is None else str(by.key)


async def fact_totals_by(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    filters: Filters,
    start: datetime,
    end: datetime,
    *,
    by: Any,
    metrics: tuple[str, ...] | None = None,
    digests: tuple[str, ...] = (),
) -> dict[Any, Totals]:
    """What `reading.totals_by` answers from the rollups, added up from the facts."""
    key = _group_key(by)
    query = scoped_facts(
        select(
            ReportFact.metric,
            ReportFact.detail,
            ReportFact.at,
            ReportFact.team_id,
            ReportFact.agent_id,
            ReportFact.channel_id,
            ReportFact.seconds,
            ReportFact.business_seconds,
        ),
        workspace_id,
        filters,
        start,
        end,
    )
    if metrics is not None:
        query = query.where(ReportFact.metric.in_(metrics))
    result: dict[Any, Totals] = defaultdict(Totals)
    values: dict[tuple[Any, str, bool], list[float]] = defaultdict(list)
    for row in await db.execute(query):
        if key is None:
            group = None
        elif key == "hour":
            group = hour_of(row.at)
        else:
            group = getattr(row, key)
        result[group].add(
            row.metric, row.detail, 1, row.seconds or 0.0, row.business_seconds or 0.0
        )
        if row.metric in digests:
            if row.seconds is not None:
                values[(group, row.metric, False)].append(row.seconds)
            if row.business_seconds is not None:
                values[(group, row.metric, True)].append(row.business_seconds)
    for (group, metric, business), seconds in values.items():
        store = result[group].business_digests if business else result[group].digests
        store[metric] = exact_digest(seconds)
    return result


def exact_digest(seconds: list[float]) -> Digest:
    """A digest of the values that stays exact as far as a merge of hourly digests would."""
    digest = Digest.of(seconds)
    digest.values = list(seconds) if len(seconds) <= MERGED_EXACT_LIMIT else None
    return digest
