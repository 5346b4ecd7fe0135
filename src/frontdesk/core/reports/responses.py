"""The response-time report: first responses and responses as a distribution, by local hour of
the day and as a series, beside the period before. Read from the rollups' digests.

The distribution's buckets (under a minute, 1-5 minutes...) are counted from the digests' exact
values while a digest keeps them; past that, a digest bucket is counted where its midpoint falls
(a digest bucket is at most ~9 % wide, so only values that close to an edge can land beside it).
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports.breakdown_schemas import (
    HistogramBucket,
    HourOfDay,
    ResponseFigures,
    ResponsePoint,
    ResponsesRead,
)
from frontdesk.core.reports.digest import Digest, bucket_bounds
from frontdesk.core.reports.facts import Metric
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.overview import period_reads
from frontdesk.core.reports.periods import Grouping, Period, group_start
from frontdesk.core.reports.reading import Filters, Totals, totals_by

K = TypeVar("K")
METRICS = (Metric.FIRST_RESPONSE, Metric.RESPONSE)
# The edges of the distribution's buckets, in seconds: < 1 min, 1-5 min, 5-15 min, 15-30 min,
# 30-60 min, 1-4 h, 4-24 h, a day or more.
EDGES = (0.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 14_400.0, 86_400.0)


def _slot(seconds: float) -> int:
    slot = 0
    for index, edge in enumerate(EDGES):
        if seconds >= edge:
            slot = index
    return slot


def distribution(digest: Digest | None) -> list[int]:
    """How many values fall in each of the EDGES' buckets."""
    counts = [0] * len(EDGES)
    if digest is None or digest.count == 0:
        return counts
    if digest.values is not None and len(digest.values) == digest.count:
        for value in digest.values:
            counts[_slot(value)] += 1
        return counts
    for index, n in digest.buckets.items():
        low, high = bucket_bounds(index)
        counts[_slot((low + high) / 2 if index == 0 else math.sqrt(low * high))] += n
    return counts


def _figures(totals: Totals) -> ResponseFigures:
    return ResponseFigures(
        first_response=totals.durations(Metric.FIRST_RESPONSE),
        response=totals.durations(Metric.RESPONSE),
    )


def _histogram(current: Totals, previous: Totals) -> list[HistogramBucket]:
    columns = [
        distribution(totals.digests.get(metric))
        for totals in (current, previous)
        for metric in METRICS
    ]
    return [
        HistogramBucket(
            min_seconds=edge,
            max_seconds=EDGES[i + 1] if i + 1 < len(EDGES) else None,
            first_response=columns[0][i],
            response=columns[1][i],
            previous_first_response=columns[2][i],
            previous_response=columns[3][i],
        )
        for i, edge in enumerate(EDGES)
    ]


def _regroup(hourly: dict[datetime, Totals], key: Callable[[datetime], K]) -> dict[K, Totals]:
    grouped: dict[K, Totals] = defaultdict(Totals)
    for hour, totals in hourly.items():
        grouped[key(hour)].absorb(totals)
    return grouped


async def get_responses(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    grouping: Grouping,
) -> ResponsesRead:
    hourly = await totals_by(
        db,
        workspace_id,
        filters,
        period.start,
        period.end,
        by=ReportRollup.hour,
        metrics=METRICS,
        digests=METRICS,
    )
    previous = await totals_by(
        db,
        workspace_id,
        filters,
        period.previous_start,
        period.previous_end,
        by=None,
        metrics=METRICS,
        digests=METRICS,
    )
    current = Totals()
    for totals in hourly.values():
        current.absorb(totals)
    before = previous.get(None, Totals())
    by_hour = _regroup(hourly, lambda hour: hour.astimezone(period.zone).hour)
    series = _regroup(hourly, lambda hour: group_start(hour, period.zone, grouping))
    this, earlier = period_reads(period)
    return ResponsesRead(
        period=this,
        previous_period=earlier,
        current=_figures(current),
        previous=_figures(before),
        histogram=_histogram(current, before),
        by_hour_of_day=[
            HourOfDay(
                hour=h,
                first_response=by_hour.get(h, Totals()).stat(Metric.FIRST_RESPONSE),
                response=by_hour.get(h, Totals()).stat(Metric.RESPONSE),
            )
            for h in range(24)
        ],
        series=[
            ResponsePoint(
                start=start,
                first_response=totals.stat(Metric.FIRST_RESPONSE),
                response=totals.stat(Metric.RESPONSE),
            )
            for start, totals in sorted(series.items(), key=lambda item: item[0])
        ],
    )
