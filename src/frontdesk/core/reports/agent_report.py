"""One row per agent: closed, offered vs accepted, response times, time in each state, queue now."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.reports.facts import Metric
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.overview import period_reads
from frontdesk.core.reports.periods import Period
from frontdesk.core.reports.reading import Filters, Totals, is_holding, team_members, totals_by
from frontdesk.core.reports.schemas import AgentRow, AgentsRead, Stat, StateTimes
from frontdesk.core.routing.models import AgentStatus
from frontdesk.core.workspaces.models import Membership, Role

ROW_DIGESTS = (
    Metric.FIRST_RESPONSE,
    Metric.ASSIGNMENT_RESPONSE,
    Metric.RESPONSE,
    Metric.CLOSED,
    Metric.HANDLE,
)
STATES = ("online", "busy", "away", "offline")


async def _agents(
    db: AsyncSession, workspace_id: uuid.UUID, filters: Filters
) -> list[tuple[uuid.UUID, str]]:
    """Members who take conversations (not viewers), narrowed by the agent and team filters."""
    query = (
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id, Membership.role != Role.VIEWER)
        .order_by(User.name, User.id)
    )
    if filters.agent_ids:
        query = query.where(User.id.in_(filters.agent_ids))
    rows = [(user_id, name) for user_id, name in await db.execute(query)]
    if filters.team_ids:
        members = await team_members(db, workspace_id, filters.team_ids)
        rows = [row for row in rows if row[0] in members]
    return rows


async def _live_states(
    db: AsyncSession, workspace_id: uuid.UUID, start: datetime, end: datetime, now: datetime
) -> dict[uuid.UUID, tuple[str, float]]:
    """The state each agent is in now and its seconds inside the period (not yet a fact)."""
    live: dict[uuid.UUID, tuple[str, float]] = {}
    for user_id, state, since in await db.execute(
        select(AgentStatus.user_id, AgentStatus.state, AgentStatus.state_since).where(
            AgentStatus.workspace_id == workspace_id
        )
    ):
        overlap = (min(now, end) - max(since, start)).total_seconds()
        if overlap > 0:
            live[user_id] = (state, overlap)
    return live


async def _queues(
    db: AsyncSession, workspace_id: uuid.UUID
) -> tuple[Counter[uuid.UUID], Counter[uuid.UUID]]:
    waiting: Counter[uuid.UUID] = Counter()
    holding: Counter[uuid.UUID] = Counter()
    for user_id, total, waits in await db.execute(
        select(Conversation.assignee_id, func.count(), func.count(Conversation.waiting_since))
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.assignee_id.is_not(None),
            is_holding(),
        )
        .group_by(Conversation.assignee_id)
    ):
        if user_id is not None:
            holding[user_id], waiting[user_id] = int(total), int(waits)
    return waiting, holding


def _states(totals: Totals, live: tuple[str, float] | None) -> StateTimes:
    seconds = {s: totals.detail_seconds.get((Metric.STATE, s), 0.0) for s in STATES}
    if live is not None and live[0] in seconds:
        seconds[live[0]] += live[1]
    return StateTimes(**seconds)


def _row(
    agent_id: uuid.UUID | None,
    name: str,
    totals: Totals,
    states: StateTimes,
    *,
    queue: int,
    held: int,
) -> AgentRow:
    counts = totals.counts
    return AgentRow(
        agent_id=agent_id,
        name=name,
        closed=counts.get(Metric.CLOSED, 0),
        assigned=counts.get(Metric.ASSIGNED, 0),
        accepted=counts.get(Metric.ACCEPTED, 0),
        first_response=totals.stat(Metric.FIRST_RESPONSE),
        assignment_response=totals.stat(Metric.ASSIGNMENT_RESPONSE),
        response=totals.stat(Metric.RESPONSE),
        resolution=totals.stat(Metric.CLOSED),
        handle=totals.stat(Metric.HANDLE),
        worked_seconds=totals.seconds.get(Metric.WORK, 0.0),
        occupancy=_occupancy(totals.seconds.get(Metric.WORK, 0.0), states),
        online_seconds=states.online,
        state_seconds=states,
        queue_now=queue,
        open_now=held,
    )


def _occupancy(worked: float, states: StateTimes) -> float | None:
    """Worked time ÷ time available or busy; a chat agent working several conversations at
    once can pass 1."""
    present = states.online + states.busy
    return worked / present if present > 0 else None


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def average_row(rows: list[AgentRow], pooled: Totals) -> AgentRow:
    """Counts and times per agent averaged over the rows; durations pooled over every fact."""
    states = StateTimes(**{s: _mean([getattr(r.state_seconds, s) for r in rows]) for s in STATES})

    def pooled_stat(metric: str) -> Stat:
        return pooled.stat(metric)

    return AgentRow(
        agent_id=None,
        name="",
        closed=_mean([r.closed for r in rows]),
        assigned=_mean([r.assigned for r in rows]),
        accepted=_mean([r.accepted for r in rows]),
        first_response=pooled_stat(Metric.FIRST_RESPONSE),
        assignment_response=pooled_stat(Metric.ASSIGNMENT_RESPONSE),
        response=pooled_stat(Metric.RESPONSE),
        resolution=pooled_stat(Metric.CLOSED),
        handle=pooled_stat(Metric.HANDLE),
        worked_seconds=_mean([r.worked_seconds for r in rows]),
        occupancy=_occupancy(_mean([r.worked_seconds for r in rows]), states),
        online_seconds=states.online,
        state_seconds=states,
        queue_now=_mean([r.queue_now for r in rows]),
        open_now=_mean([r.open_now for r in rows]),
    )


async def get_agent_report(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    now: datetime,
    *,
    with_average: bool,
) -> AgentsRead:
    agents = await _agents(db, workspace_id, filters)
    ids = tuple(a for a, _ in agents)
    # States carry no team or channel: they are narrowed by the agents listed.
    scope = replace(filters, agent_ids=ids)
    by_agent = await totals_by(
        db,
        workspace_id,
        scope,
        period.start,
        period.end,
        by=ReportRollup.agent_id,
        digests=ROW_DIGESTS,
    )
    # Unless a team, channel, tag or outcome narrows the rows, their sums hold the states too.
    state_totals = by_agent
    if scope != Filters(agent_ids=ids):
        state_totals = await totals_by(
            db,
            workspace_id,
            Filters(agent_ids=ids),
            period.start,
            period.end,
            by=ReportRollup.agent_id,
            metrics=(Metric.STATE,),
        )
    live = await _live_states(db, workspace_id, period.start, period.end, now)
    waiting, holding = await _queues(db, workspace_id)
    rows = []
    pooled = Totals()
    for agent_id, name in agents:
        totals = by_agent.get(agent_id, Totals())
        states = _states(state_totals.get(agent_id, Totals()), live.get(agent_id))
        rows.append(
            _row(agent_id, name, totals, states, queue=waiting[agent_id], held=holding[agent_id])
        )
        pooled.absorb(totals)
    this, _ = period_reads(period)
    return AgentsRead(
        period=this, rows=rows, average=average_row(rows, pooled) if with_average and rows else None
    )
