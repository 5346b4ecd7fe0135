"""The per-conversation export: one row per conversation segment, from the report facts.

A segment is listed when one of its facts (any metric but agent states) falls in the period
and matches the filters (team, agent, channel of that fact): an agent's export is the segments
they took part in. Rows come in batches ordered by conversation id and segment (keyset paged),
so an export of any size reads a bounded number of facts at a time.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.reports.exports.writers import Cell
from frontdesk.core.reports.facts import Metric
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.reports.narrowing import narrow
from frontdesk.core.reports.periods import Period
from frontdesk.core.reports.reading import Filters

COLUMNS = (
    "conversation_id",
    "segment",
    "contact_name",
    "channel",
    "channel_type",
    "team",
    "agent",
    "started_at",
    "reopened",
    "first_customer_message_at",
    "first_assigned_at",
    "first_assignee",
    "first_response_at",
    "first_response_by",
    "first_response_seconds",
    "first_response_business_seconds",
    "first_response_within_target",
    "assignment_response_seconds",
    "assignment_response_business_seconds",
    "responses",
    "response_avg_seconds",
    "transfers",
    "closed_at",
    "closed_by",
    "outcome",
    "resolution_seconds",
    "resolution_business_seconds",
    "handle_seconds",
    "handle_business_seconds",
    "abandoned_at",
    "abandoned",
    "reopened_at",
)


@dataclass(frozen=True)
class Names:
    """Display names of the workspace's members, teams and channels (name, type)."""

    members: dict[uuid.UUID, str]
    teams: dict[uuid.UUID, str]
    channels: dict[uuid.UUID, tuple[str, str]]


def _scope(workspace_id: uuid.UUID, period: Period, filters: Filters) -> list[Any]:
    where: list[Any] = [
        ReportFact.workspace_id == workspace_id,
        ReportFact.conversation_id.is_not(None),
        ReportFact.metric != Metric.STATE,
        ReportFact.at >= period.start,
        ReportFact.at < period.end,
    ]
    if filters.team_ids:
        where.append(ReportFact.team_id.in_(filters.team_ids))
    if filters.agent_ids:
        where.append(ReportFact.agent_id.in_(filters.agent_ids))
    if filters.channel_ids:
        where.append(ReportFact.channel_id.in_(filters.channel_ids))
    return where


def _keys(
    workspace_id: uuid.UUID, period: Period, filters: Filters
) -> Any:  # a Select of (conversation id, segment)
    query = select(ReportFact.conversation_id, ReportFact.segment).where(
        *_scope(workspace_id, period, filters)
    )
    return narrow(query, workspace_id, filters).distinct()


async def count_segments(
    db: AsyncSession, workspace_id: uuid.UUID, period: Period, filters: Filters
) -> int:
    keys = _keys(workspace_id, period, filters).subquery()
    return int(await db.scalar(select(func.count()).select_from(keys)) or 0)


async def segment_keys(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    *,
    after: tuple[uuid.UUID, int] | None,
    limit: int,
) -> list[tuple[uuid.UUID, int]]:
    query = _keys(workspace_id, period, filters)
    if after is not None:
        query = query.where(
            or_(
                ReportFact.conversation_id > after[0],
                and_(ReportFact.conversation_id == after[0], ReportFact.segment > after[1]),
            )
        )
    rows = await db.execute(
        query.order_by(ReportFact.conversation_id, ReportFact.segment).limit(limit)
    )
    return [(conversation_id, int(segment or 1)) for conversation_id, segment in rows]


def _seconds(fact: ReportFact | None, business: bool = False) -> float | None:
    if fact is None:
        return None
    return fact.business_seconds if business else fact.seconds


def _before(fact: ReportFact | None) -> datetime | None:
    """When a duration fact's wait or span began (its moment less its seconds)."""
    if fact is None or fact.seconds is None:
        return None
    return fact.at - timedelta(seconds=fact.seconds)


def _first(facts: list[ReportFact], metric: str) -> ReportFact | None:
    return next((f for f in facts if f.metric == metric), None)


def segment_row(
    conversation_id: uuid.UUID,
    segment: int,
    facts: list[ReportFact],
    previous: list[ReportFact],
    *,
    contact_name: str | None,
    names: Names,
) -> list[Cell]:
    """One segment's row; `facts` in time order, `previous` the segment before's (its reopening)."""
    member, team = names.members.get, names.teams.get
    opened = _first(facts, Metric.OPENED) or _first(previous, Metric.REOPENED)
    closed = _first(facts, Metric.CLOSED)
    first = _first(facts, Metric.FIRST_RESPONSE)
    met = _first(facts, Metric.FIRST_RESPONSE_MET)
    assigned = _first(facts, Metric.ASSIGNED)
    assignment = _first(facts, Metric.ASSIGNMENT_RESPONSE)
    handle = _first(facts, Metric.HANDLE)
    abandoned = _first(facts, Metric.ABANDONED)
    reopened = _first(facts, Metric.REOPENED)
    responses = [f.seconds for f in facts if f.metric == Metric.RESPONSE and f.seconds is not None]
    started = opened.at if opened is not None else _before(closed)
    # The team it was in last (a transfer's fact carries the team it left, its detail the new).
    last = next((f for f in reversed(facts) if f.metric != Metric.TRANSFERRED), None)
    team_id = last.team_id if last is not None else None
    transfer = next((f for f in reversed(facts) if f.metric == Metric.TRANSFERRED), None)
    if transfer is not None and (last is None or transfer.at >= last.at) and transfer.detail:
        team_id = uuid.UUID(transfer.detail) if transfer.detail != "None" else None
    agents = [f.agent_id for f in facts if f.metric == Metric.ASSIGNED and f.agent_id]
    agent = closed.agent_id if closed is not None and closed.agent_id else None
    agent = agent or (agents[-1] if agents else None)
    channel_id = next((f.channel_id for f in facts if f.channel_id), None)
    channel = names.channels.get(channel_id) if channel_id else None
    return [
        str(conversation_id),
        segment,
        contact_name,
        channel[0] if channel else None,
        channel[1] if channel else None,
        team(team_id) if team_id else None,
        member(agent) if agent else None,
        started,
        segment > 1,
        _before(first) or _before(abandoned),
        assigned.at if assigned else None,
        member(assigned.agent_id) if assigned and assigned.agent_id else None,
        first.at if first else None,
        member(first.agent_id) if first and first.agent_id else None,
        _seconds(first),
        _seconds(first, business=True),
        (met is not None) if first is not None else None,
        _seconds(assignment),
        _seconds(assignment, business=True),
        len(responses),
        sum(responses) / len(responses) if responses else None,
        sum(1 for f in facts if f.metric == Metric.TRANSFERRED),
        closed.at if closed else None,
        member(closed.agent_id) if closed and closed.agent_id else None,
        closed.detail if closed else None,
        _seconds(closed),
        _seconds(closed, business=True),
        _seconds(handle),
        _seconds(handle, business=True),
        abandoned.at if abandoned else None,
        abandoned.detail if abandoned else None,
        reopened.at if reopened else None,
    ]


async def segment_rows(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    keys: Sequence[tuple[uuid.UUID, int]],
    names: Names,
) -> list[list[Cell]]:
    """The rows of a batch of segments, in the order given."""
    conversation_ids = sorted({c for c, _ in keys})
    facts = await db.scalars(
        select(ReportFact)
        .where(
            ReportFact.workspace_id == workspace_id,
            ReportFact.conversation_id.in_(conversation_ids),
            ReportFact.metric != Metric.STATE,
        )
        .order_by(ReportFact.at, ReportFact.event_id, ReportFact.id)
    )
    by_segment: dict[tuple[uuid.UUID | None, int], list[ReportFact]] = defaultdict(list)
    for fact in facts:
        by_segment[(fact.conversation_id, fact.segment or 1)].append(fact)
    named = await db.execute(
        select(Conversation.id, Contact.name)
        .join(Contact, Contact.id == Conversation.contact_id)
        .where(Conversation.workspace_id == workspace_id, Conversation.id.in_(conversation_ids))
    )
    contacts = dict(named.all())
    return [
        segment_row(
            conversation_id,
            segment,
            by_segment[(conversation_id, segment)],
            by_segment.get((conversation_id, segment - 1), []),
            contact_name=contacts.get(conversation_id),
            names=names,
        )
        for conversation_id, segment in keys
    ]
