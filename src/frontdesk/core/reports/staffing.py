"""Staffing per hour: the agents Erlang C asks for, beside the agents who were online."""

from __future__ import annotations

import math
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports import erlang
from frontdesk.core.reports.facts import Metric
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.overview import period_reads
from frontdesk.core.reports.periods import Period
from frontdesk.core.reports.reading import Filters, Totals, team_members, totals_by
from frontdesk.core.reports.schemas import StaffingHour, StaffingRead

HOUR = 3600.0


def staffing_hour(
    start: object,
    arrivals: int,
    handle_seconds: float | None,
    online_seconds: float,
    *,
    target_level: float,
    target_seconds: float,
    concurrency: int,
) -> StaffingHour:
    """One hour: λ = arrivals per second, A = λ·AHT; agents = servers needed ÷ concurrency."""
    load = arrivals / HOUR * handle_seconds if handle_seconds else 0.0
    servers = erlang.agents_needed(load, handle_seconds or 1.0, target_level, target_seconds)
    has_load = load > 0 and handle_seconds is not None
    return StaffingHour(
        start=start,  # type: ignore[arg-type]
        arrivals=arrivals,
        handle_seconds=handle_seconds,
        load=load,
        agents_needed=math.ceil(servers / concurrency),
        service_level=erlang.service_level(servers, load, handle_seconds, target_seconds)
        if has_load and handle_seconds
        else None,
        average_speed_of_answer=erlang.average_speed_of_answer(servers, load, handle_seconds)
        if has_load and handle_seconds
        else None,
        occupancy=load / servers if has_load and servers else None,
        agents_online=online_seconds / HOUR,
    )


async def get_staffing(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    *,
    target_level: float,
    target_seconds: float,
    concurrency: int,
) -> StaffingRead:
    """Arrivals (new and reopened conversations) and the hour's mean handle time (the period's
    when the hour closed none) give the load of every hour of the period."""
    hourly = await totals_by(
        db,
        workspace_id,
        filters,
        period.start,
        period.end,
        by=ReportRollup.hour,
        metrics=(Metric.OPENED, Metric.REOPENED, Metric.HANDLE),
    )
    agents = filters.agent_ids
    if filters.team_ids:
        members = await team_members(db, workspace_id, filters.team_ids)
        agents = tuple(a for a in agents if a in members) if agents else tuple(members)
    online = await totals_by(
        db,
        workspace_id,
        Filters(agent_ids=agents),
        period.start,
        period.end,
        by=ReportRollup.hour,
        metrics=(Metric.STATE,),
    )
    if filters.team_ids and not agents:
        online = {}
    whole = Totals()
    for totals in hourly.values():
        whole.absorb(totals)
    period_handle = whole.stat(Metric.HANDLE).avg
    hours = []
    hour = period.start
    while hour < period.end:
        totals = hourly.get(hour, Totals())
        arrivals = totals.counts.get(Metric.OPENED, 0) + totals.counts.get(Metric.REOPENED, 0)
        handle = totals.stat(Metric.HANDLE).avg or period_handle
        seconds = online.get(hour, Totals()).detail_seconds.get((Metric.STATE, "online"), 0.0)
        hours.append(
            staffing_hour(
                hour.astimezone(period.zone),
                arrivals,
                handle,
                seconds,
                target_level=target_level,
                target_seconds=target_seconds,
                concurrency=concurrency,
            )
        )
        hour += timedelta(hours=1)
    this, _ = period_reads(period)
    return StaffingRead(
        period=this,
        target_service_level=target_level,
        target_seconds=target_seconds,
        concurrency=concurrency,
        hours=hours,
    )
