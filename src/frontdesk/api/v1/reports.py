"""Reports: the overview, the agents table, staffing (Erlang C) and the conversations behind a
number. Every figure comes from hourly rollups the report job keeps; nothing scans messages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import StringConstraints
from sqlalchemy import select

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep
from frontdesk.api.v1.reports_limit import HeavyTurn
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from frontdesk.core.reports.access import supervisor_filters, visible_filters
from frontdesk.core.reports.agent_report import get_agent_report
from frontdesk.core.reports.drilldown import list_report_conversations
from frontdesk.core.reports.overview import get_overview
from frontdesk.core.reports.periods import Grouping, Period, Preset, resolve_period
from frontdesk.core.reports.reading import Filters
from frontdesk.core.reports.schemas import AgentsRead, FactPage, OverviewRead, StaffingRead
from frontdesk.core.reports.staffing import get_staffing
from frontdesk.core.workspaces.models import Workspace

router = APIRouter()

MetricName = Literal[
    "opened",
    "reopened",
    "assigned",
    "accepted",
    "first_response",
    "first_response_met",
    "assignment_response",
    "response",
    "closed",
    "handle",
    "transferred",
    "abandoned",
    "abandoned_short",
    "work",
    "csat",
]
Ids = Annotated[list[uuid.UUID] | None, Query(max_length=100)]


@dataclass(frozen=True)
class ReportQuery:
    period: Preset
    tz: str | None
    start_date: date | None
    end_date: date | None
    filters: Filters


def report_query(
    period: Annotated[Preset, Query(description="A preset, or custom with both dates.")] = "today",
    tz: Annotated[
        str | None,
        Query(max_length=64, description="IANA time zone of the days; the workspace's if unset."),
    ] = None,
    start_date: Annotated[date | None, Query(description="First day (custom).")] = None,
    end_date: Annotated[date | None, Query(description="Last day, included (custom).")] = None,
    team_id: Ids = None,
    agent_id: Ids = None,
    channel_id: Ids = None,
    tag_id: Annotated[
        list[uuid.UUID] | None,
        Query(max_length=100, description="Conversations carrying any of these tags."),
    ] = None,
    outcome: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=80)]] | None,
        Query(max_length=50, description="Segments closed with any of these outcomes."),
    ] = None,
) -> ReportQuery:
    return ReportQuery(
        period,
        tz,
        start_date,
        end_date,
        Filters(
            tuple(team_id or ()),
            tuple(agent_id or ()),
            tuple(channel_id or ()),
            tag_ids=tuple(tag_id or ()),
            outcomes=tuple(outcome or ()),
        ),
    )


QueryDep = Annotated[ReportQuery, Depends(report_query)]


async def _period(
    db: ReaderDep, actor_workspace: uuid.UUID, q: ReportQuery, runtime: RuntimeDep
) -> Period:
    tz = q.tz or await db.scalar(select(Workspace.timezone).where(Workspace.id == actor_workspace))
    return resolve_period(
        q.period, tz or "UTC", runtime.clock.now(), start_date=q.start_date, end_date=q.end_date
    )


@router.get("/overview")
async def read_overview(
    _turn: HeavyTurn,
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    q: QueryDep,
    group_by: Grouping = "day",
) -> OverviewRead:
    """Opened, closed, waiting now; first response, resolution, service level, ASA and
    abandonment, each beside the period before; and a series grouped by hour, day, week or month."""
    filters = supervisor_filters(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_overview(db, actor.workspace_id, period, filters, group_by)


@router.get("/agents")
async def read_agents(
    _turn: HeavyTurn, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep, q: QueryDep
) -> AgentsRead:
    """One row per agent and the average row; an agent gets their own row only."""
    filters, everyone = visible_filters(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_agent_report(
        db, actor.workspace_id, period, filters, runtime.clock.now(), with_average=everyone
    )


@router.get("/staffing")
async def read_staffing(
    _turn: HeavyTurn,
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    q: QueryDep,
    target_service_level: Annotated[float, Query(gt=0, lt=1)] = 0.8,
    target_seconds: Annotated[float, Query(gt=0, le=86_400)] = 20,
    concurrency: Annotated[
        int, Query(ge=1, le=50, description="Conversations one agent works at once.")
    ] = 1,
) -> StaffingRead:
    """Agents needed per hour (Erlang C on each hour's arrivals and handle time) beside the
    agents who were online."""
    filters = supervisor_filters(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_staffing(
        db,
        actor.workspace_id,
        period,
        filters,
        target_level=target_service_level,
        target_seconds=target_seconds,
        concurrency=concurrency,
    )


@router.get("/conversations")
async def read_report_conversations(
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    q: QueryDep,
    metric: MetricName,
    detail: Annotated[str | None, Query(max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> FactPage:
    """The conversations behind a number, newest first; an agent sees only their own."""
    filters, _ = visible_filters(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await list_report_conversations(
        db,
        actor.workspace_id,
        metric,
        period,
        filters,
        detail=detail,
        cursor=cursor,
        limit=limit,
    )
