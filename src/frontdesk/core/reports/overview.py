"""The overview: the period's figures beside the period before, live counts and a series."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.reports.facts import Metric
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.periods import Grouping, Period, group_start
from frontdesk.core.reports.reading import Filters, Totals, is_holding, ratio, totals_by
from frontdesk.core.reports.schemas import (
    OverviewFigures,
    OverviewRead,
    PeriodRead,
    SeriesPoint,
)
from frontdesk.core.reports.sla import sla_met_rate

LAST_HOUR = timedelta(hours=23)
QUANTILE_METRICS = (
    Metric.FIRST_RESPONSE,
    Metric.ASSIGNMENT_RESPONSE,
    Metric.RESPONSE,
    Metric.CLOSED,
    Metric.HANDLE,
)


def figures(totals: Totals) -> OverviewFigures:
    counts = totals.counts
    answered, abandoned = counts.get(Metric.FIRST_RESPONSE, 0), counts.get(Metric.ABANDONED, 0)
    first = totals.durations(Metric.FIRST_RESPONSE)
    sla_met, sla_breached, sla_rate = sla_met_rate(counts)
    return OverviewFigures(
        opened=counts.get(Metric.OPENED, 0),
        reopened=counts.get(Metric.REOPENED, 0),
        closed=counts.get(Metric.CLOSED, 0),
        assigned=counts.get(Metric.ASSIGNED, 0),
        transferred=counts.get(Metric.TRANSFERRED, 0),
        abandoned=abandoned,
        short_abandoned=counts.get(Metric.ABANDONED_SHORT, 0),
        answered=answered,
        first_response=first,
        assignment_response=totals.durations(Metric.ASSIGNMENT_RESPONSE),
        response=totals.durations(Metric.RESPONSE),
        resolution=totals.durations(Metric.CLOSED),
        handle=totals.durations(Metric.HANDLE),
        service_level=ratio(counts.get(Metric.FIRST_RESPONSE_MET, 0), answered),
        average_speed_of_answer=first.wall.avg,
        abandonment_rate=ratio(abandoned, answered + abandoned),
        sla_met=sla_met,
        sla_breached=sla_breached,
        sla_met_rate=sla_rate,
    )


def period_reads(period: Period) -> tuple[PeriodRead, PeriodRead]:
    zone = str(period.zone.key)
    return (
        PeriodRead(
            start=period.start,
            end=period.end,
            first_day=period.first_day,
            last_day=period.last_day,
            timezone=zone,
        ),
        PeriodRead(
            start=period.previous_start,
            end=period.previous_end,
            first_day=period.previous_first_day,
            last_day=period.previous_last_day,
            timezone=zone,
        ),
    )


async def _now_counts(
    db: AsyncSession, workspace_id: uuid.UUID, filters: Filters
) -> tuple[int, int]:
    query = select(func.count(), func.count(Conversation.waiting_since)).where(
        Conversation.workspace_id == workspace_id, is_holding()
    )
    if filters.team_ids:
        query = query.where(Conversation.team_id.in_(filters.team_ids))
    if filters.agent_ids:
        query = query.where(Conversation.assignee_id.in_(filters.agent_ids))
    if filters.channel_ids:
        query = query.where(Conversation.channel_id.in_(filters.channel_ids))
    open_now, waiting_now = (await db.execute(query)).one()
    return int(open_now), int(waiting_now)


def days_stay_whole(period: Period, grouping: Grouping) -> bool:
    """Whether every UTC day of the period falls in one group of the series (its first and
    last hours in the same local day, week or month), so its daily rows can stand for its hours.
    In UTC, and for weeks and months in most zones but for the days they start on, they do."""
    if grouping == "hour":
        return False
    day = period.start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    while day < period.end:
        if group_start(day, period.zone, grouping) != group_start(
            day + LAST_HOUR, period.zone, grouping
        ):
            return False
        day += timedelta(days=1)
    return True


def _series(
    hourly: dict[datetime, Totals], period: Period, grouping: Grouping
) -> list[SeriesPoint]:
    grouped: dict[datetime, Totals] = defaultdict(Totals)
    for hour, totals in hourly.items():
        bucket = grouped[group_start(hour, period.zone, grouping)]
        for (metric, detail), count in totals.details.items():
            bucket.add(metric, detail, count, totals.detail_seconds[(metric, detail)], 0.0)
    points = []
    for start in sorted(grouped):
        totals = grouped[start]
        answered = totals.counts.get(Metric.FIRST_RESPONSE, 0)
        points.append(
            SeriesPoint(
                start=start,
                opened=totals.counts.get(Metric.OPENED, 0),
                closed=totals.counts.get(Metric.CLOSED, 0),
                answered=answered,
                abandoned=totals.counts.get(Metric.ABANDONED, 0),
                first_response_avg=totals.stat(Metric.FIRST_RESPONSE).avg,
                resolution_avg=totals.stat(Metric.CLOSED).avg,
                service_level=ratio(totals.counts.get(Metric.FIRST_RESPONSE_MET, 0), answered),
            )
        )
    return points


async def get_overview(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    grouping: Grouping,
) -> OverviewRead:
    current = await totals_by(
        db, workspace_id, filters, period.start, period.end, by=None, digests=QUANTILE_METRICS
    )
    previous = await totals_by(
        db,
        workspace_id,
        filters,
        period.previous_start,
        period.previous_end,
        by=None,
        digests=QUANTILE_METRICS,
    )
    hourly = await totals_by(
        db,
        workspace_id,
        filters,
        period.start,
        period.end,
        by=ReportRollup.hour,
        daily_moments=days_stay_whole(period, grouping),
    )
    open_now, waiting_now = await _now_counts(db, workspace_id, filters)
    this, before = period_reads(period)
    return OverviewRead(
        period=this,
        previous_period=before,
        current=figures(current[None]),
        previous=figures(previous[None]),
        waiting_now=waiting_now,
        open_now=open_now,
        series=_series(hourly, period, grouping),
    )
