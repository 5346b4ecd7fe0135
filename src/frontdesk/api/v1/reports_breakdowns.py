"""Breakdown reports: per team, per channel, response times, service level and routing, with
the common report filters (period, time zone, team, agent, channel, tag, outcome)."""

from __future__ import annotations

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep
from frontdesk.api.v1.reports import QueryDep, _period
from frontdesk.api.v1.reports_limit import HeavyTurn
from frontdesk.core.actor import Actor
from frontdesk.core.reports.access import supervisor_filters
from frontdesk.core.reports.breakdown_schemas import (
    BreakdownRead,
    ResponsesRead,
    RoutingRead,
    ServiceLevelRead,
)
from frontdesk.core.reports.breakdowns import get_breakdown
from frontdesk.core.reports.periods import Grouping
from frontdesk.core.reports.reading import Filters
from frontdesk.core.reports.responses import get_responses
from frontdesk.core.reports.routing_report import get_routing
from frontdesk.core.reports.service_level import get_service_level

router = APIRouter()


def _supervised(actor: Actor, filters: Filters) -> Filters:
    # Supervisors' figures; a client viewer's narrowed to its client (core/reports/access.py).
    return supervisor_filters(actor, filters)


@router.get("/teams")
async def read_teams_report(
    _turn: HeavyTurn, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep, q: QueryDep
) -> BreakdownRead:
    """One row per team: opened, closed, answered, abandoned, first response, response and
    resolution times, service level, ASA and abandonment beside the period before; waiting now."""
    filters = _supervised(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_breakdown(db, actor.workspace_id, period, filters, "team")


@router.get("/channels")
async def read_channels_report(
    _turn: HeavyTurn, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep, q: QueryDep
) -> BreakdownRead:
    """One row per channel, with the figures of the teams report."""
    filters = _supervised(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_breakdown(db, actor.workspace_id, period, filters, "channel")


@router.get("/responses")
async def read_responses_report(
    _turn: HeavyTurn,
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    q: QueryDep,
    group_by: Grouping = "day",
) -> ResponsesRead:
    """First response and response times: their distribution, by local hour of the day and as a
    series, beside the period before."""
    filters = _supervised(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_responses(db, actor.workspace_id, period, filters, group_by)


@router.get("/service-level")
async def read_service_level_report(
    _turn: HeavyTurn,
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    q: QueryDep,
    group_by: Grouping = "day",
) -> ServiceLevelRead:
    """Per team with its threshold: service level, ASA and abandonment (without and with short
    abandons) beside the period before, and the service level as a series."""
    filters = _supervised(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_service_level(db, actor.workspace_id, period, filters, group_by)


@router.get("/routing")
async def read_routing_report(
    _turn: HeavyTurn, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep, q: QueryDep
) -> RoutingRead:
    """Assignments offered and accepted per team and agent, transfers between teams,
    reassignments, the wait for a first assignment and how evenly assignments were spread."""
    filters = _supervised(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_routing(db, actor.workspace_id, period, filters)
