"""One row per team or per channel: the overview's figures beside the period before, and who
waits now. Read from the hourly rollups (from the facts under a tag or outcome filter)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.reports.breakdown_schemas import BreakdownRead, BreakdownRow
from frontdesk.core.reports.facts import Metric
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.overview import QUANTILE_METRICS, figures, period_reads
from frontdesk.core.reports.periods import Period
from frontdesk.core.reports.reading import Filters, Totals, is_holding, totals_by
from frontdesk.core.tags.models import ConversationTag
from frontdesk.core.workspaces.models import Team

Dimension = Literal["team", "channel"]


async def waiting_now_by(
    db: AsyncSession, workspace_id: uuid.UUID, filters: Filters, column: Any
) -> dict[Any, int]:
    """Open conversations whose customer waits, per value of a conversation column. An open
    conversation has no outcome yet: none waits under an outcome filter."""
    if filters.outcomes:
        return {}
    query = (
        select(column, func.count())
        .where(
            Conversation.workspace_id == workspace_id,
            is_holding(),
            Conversation.waiting_since.is_not(None),
        )
        .group_by(column)
    )
    if filters.team_ids:
        query = query.where(Conversation.team_id.in_(filters.team_ids))
    if filters.agent_ids:
        query = query.where(Conversation.assignee_id.in_(filters.agent_ids))
    if filters.channel_ids:
        query = query.where(Conversation.channel_id.in_(filters.channel_ids))
    if filters.tag_ids:
        query = query.where(
            Conversation.id.in_(
                select(ConversationTag.conversation_id).where(
                    ConversationTag.workspace_id == workspace_id,
                    ConversationTag.tag_id.in_(filters.tag_ids),
                )
            )
        )
    return {key: int(count) for key, count in await db.execute(query)}


async def team_names(db: AsyncSession, workspace_id: uuid.UUID) -> dict[uuid.UUID, str]:
    rows = await db.execute(select(Team.id, Team.name).where(Team.workspace_id == workspace_id))
    return {row.id: row.name for row in rows}


async def _entities(
    db: AsyncSession, workspace_id: uuid.UUID, dimension: Dimension
) -> dict[uuid.UUID, tuple[str, str | None, bool]]:
    """Every team or channel of the workspace: name, type and whether it is still in use."""
    if dimension == "team":
        rows = await db.execute(
            select(Team.id, Team.name, Team.archived_at).where(Team.workspace_id == workspace_id)
        )
        return {i: (name, None, archived is None) for i, name, archived in rows}
    channels = await db.execute(
        select(Channel.id, Channel.name, Channel.type, Channel.is_active).where(
            Channel.workspace_id == workspace_id
        )
    )
    return {i: (name, kind, bool(active)) for i, name, kind, active in channels}


def _measured(totals: Totals) -> bool:
    return any(n and metric != Metric.STATE for metric, n in totals.counts.items())


def _order(row: BreakdownRow) -> tuple[bool, str, str]:
    return (row.id is None, (row.name or "").casefold(), str(row.id))


async def get_breakdown(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    dimension: Dimension,
) -> BreakdownRead:
    """Rows for every team (channel) in use or with figures in either period; the filter on
    the same dimension narrows the rows to those named, any other filter to those with figures
    or someone waiting."""
    by = ReportRollup.team_id if dimension == "team" else ReportRollup.channel_id
    live = Conversation.team_id if dimension == "team" else Conversation.channel_id
    named = filters.team_ids if dimension == "team" else filters.channel_ids
    current = await totals_by(
        db, workspace_id, filters, period.start, period.end, by=by, digests=QUANTILE_METRICS
    )
    previous = await totals_by(
        db,
        workspace_id,
        filters,
        period.previous_start,
        period.previous_end,
        by=by,
        digests=QUANTILE_METRICS,
    )
    waiting = await waiting_now_by(db, workspace_id, filters, live)
    entities = await _entities(db, workspace_id, dimension)
    keys: set[uuid.UUID | None] = {i for i, (_, _, active) in entities.items() if active}
    if named:
        keys = {k for k in keys if k in named}
    elif filters != Filters():
        # Narrowed otherwise (a client viewer's scope among them): only rows with figures.
        keys = set()
    # Agents' states carry no team or channel: they alone make no row.
    keys |= {k for totals in (current, previous) for k, t in totals.items() if _measured(t)}
    keys |= {k for k, n in waiting.items() if n}
    rows = []
    for key in keys:
        name, kind, _ = entities.get(key, (None, None, False)) if key else (None, None, False)
        rows.append(
            BreakdownRow(
                id=key,
                name=name,
                type=kind,
                current=figures(current.get(key, Totals())),
                previous=figures(previous.get(key, Totals())),
                waiting_now=waiting.get(key, 0),
            )
        )
    this, before = period_reads(period)
    return BreakdownRead(period=this, previous_period=before, rows=sorted(rows, key=_order))
