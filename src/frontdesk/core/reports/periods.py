"""Report periods: presets and custom dates in the viewer's time zone, with the period before.

Rollups are per UTC hour, so a period runs from one local midnight to another rounded down to
the UTC hour: exact in every zone whose offset is whole hours; in a zone like Asia/Kolkata
(+05:30) the last half hour of the day before is counted with the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from frontdesk.core.errors import Invalid
from frontdesk.core.hours.calendar import time_zone

Preset = Literal["today", "yesterday", "last_7_days", "last_30_days", "this_month", "custom"]
Grouping = Literal["hour", "day", "week", "month"]
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    previous_start: datetime
    previous_end: datetime
    zone: ZoneInfo
    first_day: date
    last_day: date
    previous_first_day: date
    previous_last_day: date


def midnight(zone: ZoneInfo, day: date) -> datetime:
    """The UTC hour a local day starts in (rounded down to the hour for half-hour zones)."""
    moment = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _days(preset: Preset, today: date, start: date | None, end: date | None) -> tuple[date, date]:
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if preset == "last_7_days":
        return today - timedelta(days=6), today
    if preset == "last_30_days":
        return today - timedelta(days=29), today
    if preset == "this_month":
        return _month_start(today), today
    if start is None or end is None:
        raise Invalid(
            "a custom period needs both dates", field="start_date" if start is None else "end_date"
        )
    if end < start:
        raise Invalid("the period ends before it starts", field="end_date")
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid(f"a period is at most {MAX_DAYS} days", field="end_date")
    return start, end


def resolve_period(
    preset: Preset,
    tz: str,
    now: datetime,
    *,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Period:
    """The period's [start, end) in UTC and the one before it: yesterday for today, the month
    before (to the same day) for this month, otherwise the same number of days just before."""
    zone = time_zone(tz)
    today = now.astimezone(zone).date()
    first, last = _days(preset, today, start_date, end_date)
    if preset == "this_month":
        previous_first = _previous_month(first)
        previous_last = min(
            previous_first + timedelta(days=(last - first).days), first - timedelta(days=1)
        )
    else:
        length = (last - first).days + 1
        previous_first = first - timedelta(days=length)
        previous_last = first - timedelta(days=1)
    return Period(
        start=midnight(zone, first),
        end=midnight(zone, last + timedelta(days=1)),
        previous_start=midnight(zone, previous_first),
        previous_end=midnight(zone, previous_last + timedelta(days=1)),
        zone=zone,
        first_day=first,
        last_day=last,
        previous_first_day=previous_first,
        previous_last_day=previous_last,
    )


def group_start(hour: datetime, zone: ZoneInfo, grouping: Grouping) -> datetime:
    """The local start of the hour, day, ISO week or month an hour belongs to (aware, local)."""
    local = hour.astimezone(zone)
    if grouping == "hour":
        return local
    day = local.date()
    if grouping == "week":
        day -= timedelta(days=day.weekday())
    elif grouping == "month":
        day = day.replace(day=1)
    return datetime(day.year, day.month, day.day, tzinfo=zone)
