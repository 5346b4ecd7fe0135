"""Activity: volume by local weekday-by-hour (from the hourly rollups), and each agent's state
bands over one local day (from the state history, `agent_state_change`)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.reports.activity_schemas import (
    AgentStatesRead,
    AgentTimeline,
    HeatCell,
    HeatmapMetric,
    HeatmapRead,
    StateInterval,
)
from frontdesk.core.reports.facts import hour_of
from frontdesk.core.reports.models import ReportFact, ReportRollup
from frontdesk.core.reports.narrowing import scoped_facts
from frontdesk.core.reports.periods import Period
from frontdesk.core.reports.reading import Filters, scoped, team_members
from frontdesk.core.routing.models import AgentStateChange
from frontdesk.core.workspaces.models import Membership, Role

# An agent with no state recorded before the day is taken as signed out.
UNKNOWN_STATE = "offline"


async def get_heatmap(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    metric: HeatmapMetric,
) -> HeatmapRead:
    """Each UTC hour's count goes to the local weekday and hour it starts in."""
    grid: dict[tuple[int, int], int] = defaultdict(int)
    if filters.reads_facts:  # tags and outcomes are not rollup dimensions: read the facts
        facts = scoped_facts(
            select(ReportFact.at), workspace_id, filters, period.start, period.end
        ).where(ReportFact.metric == metric)
        hours = [(hour_of(at), 1) for (at,) in await db.execute(facts)]
    else:
        columns = cast("Select[Any]", select(ReportRollup.hour, func.sum(ReportRollup.count)))
        query = scoped(columns, workspace_id, filters, period.start, period.end).where(
            ReportRollup.metric == metric
        )
        hours = [(h, int(n or 0)) for h, n in await db.execute(query.group_by(ReportRollup.hour))]
    for hour, count in hours:
        local = hour.astimezone(period.zone)
        grid[(local.weekday(), local.hour)] += count
    cells = [
        HeatCell(weekday=w, hour=h, count=grid.get((w, h), 0)) for w in range(7) for h in range(24)
    ]
    return HeatmapRead(
        metric=metric,
        first_day=period.first_day,
        last_day=period.last_day,
        timezone=period.zone.key,
        cells=cells,
        total=sum(grid.values()),
    )


async def _agents(
    db: AsyncSession, workspace_id: uuid.UUID, filters: Filters
) -> list[tuple[uuid.UUID, str]]:
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


def day_bounds(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """A local day's exact [midnight, next midnight) in UTC (any offset, DST included)."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    following = day + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=zone).astimezone(UTC)
    return start, end


def bands(
    before: str | None, changes: list[tuple[datetime, str]], start: datetime, end: datetime
) -> list[StateInterval]:
    """The state intervals of [start, end): the state held at start, then each change in order;
    consecutive changes to the same state make one interval."""
    intervals: list[StateInterval] = []
    state, since = before or UNKNOWN_STATE, start
    for changed_at, new_state in changes:
        if changed_at >= end:
            break
        at = max(changed_at, start)
        if new_state == state:
            continue
        if at > since:
            intervals.append(StateInterval(state=state, start=since, end=at))
        state, since = new_state, at
    if end > since:
        intervals.append(StateInterval(state=state, start=since, end=end))
    return intervals


async def get_agent_states(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    filters: Filters,
    *,
    zone: ZoneInfo,
    day: date,
    now: datetime,
) -> AgentStatesRead:
    start, end = day_bounds(zone, day)
    end = max(start, min(end, now))
    agents = await _agents(db, workspace_id, filters)
    ids = [agent_id for agent_id, _ in agents]
    changes: dict[uuid.UUID, list[tuple[datetime, str]]] = defaultdict(list)
    before: dict[uuid.UUID, str] = {}
    if ids:
        latest = (
            select(AgentStateChange.user_id, func.max(AgentStateChange.at).label("at"))
            .where(
                AgentStateChange.workspace_id == workspace_id,
                AgentStateChange.user_id.in_(ids),
                AgentStateChange.at < start,
            )
            .group_by(AgentStateChange.user_id)
            .subquery()
        )
        for user_id, state in await db.execute(
            select(AgentStateChange.user_id, AgentStateChange.state)
            .join(
                latest,
                (latest.c.user_id == AgentStateChange.user_id)
                & (latest.c.at == AgentStateChange.at),
            )
            .where(AgentStateChange.workspace_id == workspace_id)
        ):
            before[user_id] = state
        for user_id, at, state in await db.execute(
            select(AgentStateChange.user_id, AgentStateChange.at, AgentStateChange.state)
            .where(
                AgentStateChange.workspace_id == workspace_id,
                AgentStateChange.user_id.in_(ids),
                AgentStateChange.at >= start,
                AgentStateChange.at < end,
            )
            .order_by(AgentStateChange.at, AgentStateChange.id)
        ):
            changes[user_id].append((at, state))
    return AgentStatesRead(
        day=day,
        timezone=zone.key,
        start=start,
        end=end,
        agents=[
            AgentTimeline(
                agent_id=agent_id,
                name=name,
                intervals=bands(before.get(agent_id), changes[agent_id], start, end),
            )
            for agent_id, name in agents
        ],
    )
