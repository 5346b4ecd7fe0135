"""Reports: outcome targets (managed by owners and managers), the outcomes report against them,
the weekday-by-hour heatmap and the agents' state timeline."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.api.v1.reports import Ids, QueryDep, ReportQuery
from frontdesk.core.errors import Forbidden
from frontdesk.core.hours.calendar import time_zone
from frontdesk.core.reports import targets
from frontdesk.core.reports.access import supervisor_filters, visible_filters
from frontdesk.core.reports.activity import get_agent_states, get_heatmap
from frontdesk.core.reports.activity_schemas import AgentStatesRead, HeatmapMetric, HeatmapRead
from frontdesk.core.reports.outcomes import get_outcomes
from frontdesk.core.reports.periods import Period, resolve_period
from frontdesk.core.reports.reading import Filters
from frontdesk.core.reports.target_schemas import (
    OutcomesRead,
    OutcomeTargetCreate,
    OutcomeTargetRead,
    OutcomeTargetUpdate,
)
from frontdesk.core.workspaces.models import Workspace

router = APIRouter()


async def _zone_name(db: AsyncSession, workspace_id: uuid.UUID, tz: str | None) -> str:
    if tz:
        return tz
    found = await db.scalar(select(Workspace.timezone).where(Workspace.id == workspace_id))
    return found or "UTC"


async def _period(
    db: AsyncSession, workspace_id: uuid.UUID, q: ReportQuery, runtime: RuntimeDep
) -> Period:
    return resolve_period(
        q.period,
        await _zone_name(db, workspace_id, q.tz),
        runtime.clock.now(),
        start_date=q.start_date,
        end_date=q.end_date,
    )


@router.get("/targets")
async def read_targets(actor: ActorDep, db: ReaderDep) -> list[OutcomeTargetRead]:
    """The workspace's outcome targets, by outcome (a client viewer: its client's teams' only)."""
    found = await targets.list_targets(db, actor.workspace_id)
    if actor.client_scope is not None:
        found = [t for t in found if t.team_id in actor.client_scope.team_ids]
    return [targets.target_read(t) for t in found]


@router.post("/targets", status_code=201, responses=error_responses(409))
async def create_target(
    data: OutcomeTargetCreate, actor: ActorDep, uow: UowDep
) -> OutcomeTargetRead:
    """A target for each agent of a team, a team as a whole, or one agent (owners, managers)."""
    read = await targets.create_target(uow, actor, data)
    await uow.commit()
    return read


@router.patch("/targets/{target_id}")
async def update_target(
    target_id: uuid.UUID, data: OutcomeTargetUpdate, actor: ActorDep, uow: UowDep
) -> OutcomeTargetRead:
    target = await targets.access_target(uow.session, actor, target_id)
    read = await targets.update_target(uow, actor, target, data)
    await uow.commit()
    return read


@router.delete("/targets/{target_id}", status_code=204)
async def delete_target(target_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    target = await targets.access_target(uow.session, actor, target_id)
    await targets.delete_target(uow, actor, target)
    await uow.commit()


@router.get("/outcomes")
async def read_outcomes(
    actor: ActorDep, db: ReaderDep, runtime: RuntimeDep, q: QueryDep
) -> OutcomesRead:
    """Closes per outcome, day, agent and team, and everyone with a target against it (today's
    day, week or month, and each day of the period); an agent sees only their own."""
    filters, _ = visible_filters(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_outcomes(db, actor.workspace_id, period, filters, runtime.clock.now())


@router.get("/heatmap")
async def read_heatmap(
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    q: QueryDep,
    metric: HeatmapMetric = "opened",
) -> HeatmapRead:
    """How many conversations opened (or closed, answered, assigned) in each local weekday and
    hour of the period."""
    filters = supervisor_filters(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_heatmap(db, actor.workspace_id, period, filters, metric)


@router.get("/agent-states")
async def read_agent_states(
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    day: Annotated[date | None, Query(description="The local day; today if unset.")] = None,
    tz: Annotated[
        str | None,
        Query(max_length=64, description="IANA time zone of the day; the workspace's if unset."),
    ] = None,
    team_id: Ids = None,
    agent_id: Ids = None,
) -> AgentStatesRead:
    """Each agent's online, busy, away and offline intervals over one local day (up to now);
    an agent sees only their own."""
    filters, _ = visible_filters(actor, Filters(tuple(team_id or ()), tuple(agent_id or ())))
    if actor.client_scope is not None and not filters.team_ids:
        # States carry no channel: a client known only by its channels has no agents to show.
        raise Forbidden("client access does not include this report")
    zone = time_zone(await _zone_name(db, actor.workspace_id, tz))
    now = runtime.clock.now()
    return await get_agent_states(
        db,
        actor.workspace_id,
        filters,
        zone=zone,
        day=day or now.astimezone(zone).date(),
        now=now,
    )
