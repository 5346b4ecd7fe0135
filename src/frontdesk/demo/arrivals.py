"""When the demo's candidates write: more on weekday mornings, few at night and at weekends,
and a volume that grows over the weeks, so a report's "previous period" differs from its own.

Moments are drawn by rejection against a weight that multiplies three shapes in the
workspace's local time: the hour of the day, the day of the week and a linear trend from the
start of the history to its end.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# Relative arrivals by local hour (0-23): a morning peak, a smaller one after lunch, quiet nights.
HOURLY = (
    0.08, 0.05, 0.03, 0.03, 0.04, 0.10, 0.30, 0.60, 1.00, 1.00, 0.95, 0.85,
    0.60, 0.70, 0.80, 0.75, 0.65, 0.55, 0.45, 0.40, 0.35, 0.30, 0.20, 0.12,
)  # fmt: skip
# Relative arrivals by weekday (Monday first): Mondays busiest, weekends quiet.
WEEKLY = (1.25, 1.15, 1.05, 1.0, 0.9, 0.45, 0.25)
# The volume at the end of the history against its start (a growing recruitment drive).
TREND = 1.6
_PEAK = max(HOURLY) * max(WEEKLY) * max(1.0, TREND)


def weight(moment: datetime, zone: ZoneInfo, start: datetime, end: datetime) -> float:
    """How likely a candidate writes at `moment`, relative to the busiest moment (≤ 1)."""
    local = moment.astimezone(zone)
    span = (end - start).total_seconds()
    progress = (moment - start).total_seconds() / span if span > 0 else 1.0
    trend = 1.0 + (TREND - 1.0) * min(max(progress, 0.0), 1.0)
    return HOURLY[local.hour] * WEEKLY[local.weekday()] * trend / _PEAK


def draw(
    rng: random.Random,
    zone: ZoneInfo,
    low: datetime,
    high: datetime,
    *,
    start: datetime,
    end: datetime,
) -> datetime:
    """A moment in [low, high) following the shape; uniform after many refusals (a narrow
    window at a quiet hour)."""
    seconds = (high - low).total_seconds()
    moment = low
    for _ in range(200):
        moment = low + timedelta(seconds=rng.uniform(0, seconds))
        if rng.random() < weight(moment, zone, start, end):
            return moment
    return moment


def daily_counts(
    rng: random.Random, zone: ZoneInfo, first: datetime, last: datetime, per_day: float
) -> list[tuple[datetime, int]]:
    """How many conversations open on each local day from `first` to `last` (start of each
    day, count), about `per_day` on an average day of the history."""
    days = []
    day = first.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    while day < last:
        days.append(day)
        day = (day + timedelta(days=1, hours=3)).replace(hour=0)  # daylight saving safe
    if not days:
        return []
    shapes = [
        WEEKLY[d.weekday()] * (1.0 + (TREND - 1.0) * i / max(1, len(days) - 1))
        for i, d in enumerate(days)
    ]
    mean = sum(shapes) / len(shapes)
    counts = []
    for d, shape in zip(days, shapes, strict=True):
        expected = per_day * shape / mean
        whole = int(expected)
        counts.append((d, whole + (1 if rng.random() < expected - whole else 0)))
    return counts
