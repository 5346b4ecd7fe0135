"""The service-level report: per team, the share of first responses within the team's promised
reply time (its threshold T, taken when each response was recorded), the average speed of answer
and abandonment, beside the period before; and a series. Read from the rollups.

Short abandons (closed unanswered within the workspace's short-abandon seconds) are counted
apart, as the overview does: the abandonment rate leaves them out, and a second rate counts them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports.breakdown_schemas import (
    ServiceFigures,
    ServiceLevelRead,
    ServicePoint,
    ServiceRow,
)
from frontdesk.core.reports.breakdowns import team_names
from frontdesk.core.reports.facts import DEFAULT_REPLY_TARGET, Metric
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.overview import period_reads
from frontdesk.core.reports.periods import Grouping, Period, group_start
from frontdesk.core.reports.reading import Filters, Totals, ratio, totals_by
from frontdesk.core.routing.settings import team_routing
from frontdesk.core.workspaces.settings import load_conversation_settings

METRICS = (
    Metric.FIRST_RESPONSE,
    Metric.FIRST_RESPONSE_MET,
    Metric.ABANDONED,
    Metric.ABANDONED_SHORT,
)


def service_figures(totals: Totals) -> ServiceFigures:
    counts = totals.counts
    answered = counts.get(Metric.FIRST_RESPONSE, 0)
    met = counts.get(Metric.FIRST_RESPONSE_MET, 0)
    abandoned = counts.get(Metric.ABANDONED, 0)
    short = counts.get(Metric.ABANDONED_SHORT, 0)
    return ServiceFigures(
        answered=answered,
        met=met,
        service_level=ratio(met, answered),
        average_speed_of_answer=totals.stat(Metric.FIRST_RESPONSE).avg,
        abandoned=abandoned,
        short_abandoned=short,
        abandonment_rate=ratio(abandoned, answered + abandoned),
        abandonment_rate_with_short=ratio(abandoned + short, answered + abandoned + short),
    )


async def _threshold(db: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID | None) -> float:
    if team_id is None:
        return DEFAULT_REPLY_TARGET.total_seconds()
    settings = await team_routing(db, workspace_id, team_id)
    return settings.expected_reply_minutes * 60.0


def _series(
    hourly: dict[datetime, Totals], period: Period, grouping: Grouping
) -> list[ServicePoint]:
    grouped: dict[datetime, Totals] = defaultdict(Totals)
    for hour, totals in hourly.items():
        grouped[group_start(hour, period.zone, grouping)].absorb(totals)
    points = []
    for start in sorted(grouped):
        figures = service_figures(grouped[start])
        points.append(
            ServicePoint(
                start=start,
                answered=figures.answered,
                met=figures.met,
                service_level=figures.service_level,
                average_speed_of_answer=figures.average_speed_of_answer,
                abandoned=figures.abandoned,
            )
        )
    return points


async def get_service_level(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    grouping: Grouping,
) -> ServiceLevelRead:
    spans = ((period.start, period.end), (period.previous_start, period.previous_end))
    by_team = [
        await totals_by(
            db, workspace_id, filters, start, end, by=ReportRollup.team_id, metrics=METRICS
        )
        for start, end in spans
    ]
    hourly = await totals_by(
        db, workspace_id, filters, period.start, period.end, by=ReportRollup.hour, metrics=METRICS
    )
    names = await team_names(db, workspace_id)
    settings = await load_conversation_settings(db, workspace_id)
    keys = set(by_team[0]) | set(by_team[1])
    rows = []
    pooled = [Totals(), Totals()]
    for key in sorted(keys, key=lambda k: (k is None, names.get(k, "") if k else "", str(k))):
        for i in (0, 1):
            pooled[i].absorb(by_team[i].get(key, Totals()))
        rows.append(
            ServiceRow(
                team_id=key,
                name=names.get(key) if key else None,
                threshold_seconds=await _threshold(db, workspace_id, key),
                current=service_figures(by_team[0].get(key, Totals())),
                previous=service_figures(by_team[1].get(key, Totals())),
            )
        )
    this, before = period_reads(period)
    return ServiceLevelRead(
        period=this,
        previous_period=before,
        short_abandon_seconds=settings.short_abandon_seconds,
        current=service_figures(pooled[0]),
        previous=service_figures(pooled[1]),
        rows=rows,
        series=_series(hourly, period, grouping),
    )
