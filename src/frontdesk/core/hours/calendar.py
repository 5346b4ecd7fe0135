"""Business-hours arithmetic: pure functions over a schedule value object, no I/O.

A schedule is a set of weekly periods in an IANA time zone, minus holidays (whole local days):
its own, and those of the country it names (`holidays.py`).
Times are wall-clock times in that zone, so "09:00" stays 09:00 across daylight-saving changes.
A wall time that a DST change skips (02:30 when clocks jump from 02:00 to 03:00) moves forward
by the length of the gap; a time that happens twice means its first occurrence.

Every function takes and returns timezone-aware datetimes and answers in UTC. `None` for the
schedule, or a disabled one, means always open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Literal, get_args
from zoneinfo import ZoneInfo, available_timezones

from frontdesk.core.errors import Invalid
from frontdesk.core.hours.holidays import check_country, closed_days

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
# How far ahead an opening or a closing is looked for before answering "none".
HORIZON_DAYS = 366
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Period:
    """Open on `weekday` from `start` to `end` ("HH:MM", local time).

    `end` may be "24:00" (or "00:00") for midnight; an `end` before `start` crosses midnight and
    ends on the next day (22:00 to 02:00).
    """

    weekday: Weekday
    start: str
    end: str


@dataclass(frozen=True)
class Holiday:
    """Closed for the whole local day; a recurring holiday comes back on that day every year."""

    date: date
    name: str = ""
    is_recurring: bool = False


@dataclass(frozen=True)
class Schedule:
    """A validated schedule: constructing an invalid one raises `Invalid` naming the field.

    `holidays` are the schedule's own; with a `holiday_country` it is also closed on that
    country's (and subdivision's) public holidays but the `skipped_holidays`, and on the
    optional ones in `observed_holidays` (`core/hours/holidays.py`).
    """

    timezone: str
    periods: tuple[Period, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    is_enabled: bool = True
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    skipped_holidays: tuple[str, ...] = ()
    observed_holidays: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_schedule(self)


# -- validation ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


_REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """The zones to offer, sorted: every Region/City name and UTC (not US/*, Etc/* or EST)."""
    return (
        "UTC",
        *sorted(n for n in _zone_names() if n.partition("/")[0] in _REGIONS and "/" in n),
    )


def time_zone(name: str) -> ZoneInfo:
    """The zone named `name`, or `Invalid` naming `timezone`."""
    if name not in _zone_names():
        raise Invalid(f"unknown time zone {name!r}", field="timezone")
    return ZoneInfo(name)


def _start_minute(text: str, field: str) -> int:
    match = _TIME.match(text)
    if not match:
        raise Invalid(f"{text!r} is not a time of day (HH:MM, 00:00 to 23:59)", field=field)
    return int(match[1]) * 60 + int(match[2])


def _end_minute(text: str, field: str) -> int:
    """Minutes after midnight, 1 to 1440: "00:00" and "24:00" both mean the next midnight."""
    if text == "24:00":
        return MINUTES_PER_DAY
    match = _TIME.match(text)
    if not match:
        raise Invalid(f"{text!r} is not a time of day (HH:MM, 00:00 to 24:00)", field=field)
    return (int(match[1]) * 60 + int(match[2])) or MINUTES_PER_DAY


def _length(start: int, end: int) -> int:
    return end - start if end > start else end + MINUTES_PER_DAY - start


def _week_spans(weekday: int, start: int, end: int) -> list[tuple[int, int]]:
    """The period as minutes of the week (Monday 00:00 = 0), split where the week wraps."""
    begin = weekday * MINUTES_PER_DAY + start
    finish = begin + _length(start, end)
    if finish <= MINUTES_PER_WEEK:
        return [(begin, finish)]
    return [(begin, MINUTES_PER_WEEK), (0, finish - MINUTES_PER_WEEK)]


def _describe(period: Period) -> str:
    return f"{period.weekday.title()} {period.start}-{period.end}"


def _check_periods(periods: tuple[Period, ...]) -> None:
    spans: list[tuple[int, int, int]] = []  # (begin, finish, index)
    for i, period in enumerate(periods):
        if period.weekday not in WEEKDAYS:
            raise Invalid(f"unknown weekday {period.weekday!r}", field=f"periods.{i}.weekday")
        start = _start_minute(period.start, f"periods.{i}.start")
        end = _end_minute(period.end, f"periods.{i}.end")
        if end == start:
            raise Invalid(
                f"the period {_describe(period)} ends when it starts", field=f"periods.{i}.end"
            )
        spans += [(b, f, i) for b, f in _week_spans(WEEKDAYS.index(period.weekday), start, end)]
    spans.sort()
    for (_, finish, first), (begin, _, second) in pairwise(spans):
        if begin < finish:
            a, b = sorted((first, second))
            raise Invalid(
                f"the periods {_describe(periods[a])} and {_describe(periods[b])} overlap",
                field=f"periods.{b}",
            )


def _check_holidays(holidays: tuple[Holiday, ...]) -> None:
    seen: set[date] = set()
    for i, holiday in enumerate(holidays):
        if holiday.date in seen:
            raise Invalid(f"{holiday.date} is listed twice", field=f"holidays.{i}.date")
        seen.add(holiday.date)


def check_schedule(schedule: Schedule) -> None:
    """Raise `Invalid` (with the field's path) unless the schedule makes sense."""
    time_zone(schedule.timezone)
    _check_periods(schedule.periods)
    _check_holidays(schedule.holidays)
    check_country(schedule.holiday_country, schedule.holiday_subdivision)


# -- the calendar -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    zone: ZoneInfo
    # Per weekday, the open minutes of that local day (overnight parts of the day before
    # included), sorted and merged.
    days: tuple[tuple[tuple[int, int], ...], ...]
    closed_dates: frozenset[date]
    closed_yearly: frozenset[tuple[int, int]]
    country: str | None = None
    subdivision: str | None = None
    skipped: frozenset[str] = frozenset()
    observed: frozenset[str] = frozenset()

    def segments(self, day: date) -> tuple[tuple[int, int], ...]:
        if day in self.closed_dates or (day.month, day.day) in self.closed_yearly:
            return ()
        if self.country is not None and day in closed_days(
            self.country, self.subdivision, self.skipped, self.observed, day.year
        ):
            return ()
        return self.days[day.weekday()]


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


@lru_cache(maxsize=512)
def _compile(schedule: Schedule) -> _Compiled:
    days: list[list[tuple[int, int]]] = [[] for _ in WEEKDAYS]
    for period in schedule.periods:
        weekday = WEEKDAYS.index(period.weekday)
        start = _start_minute(period.start, "start")
        end = _end_minute(period.end, "end")
        if end > start:
            days[weekday].append((start, end))
        else:
            days[weekday].append((start, MINUTES_PER_DAY))
            days[(weekday + 1) % 7].append((0, end))
    return _Compiled(
        zone=ZoneInfo(schedule.timezone),
        days=tuple(_merge(spans) for spans in days),
        closed_dates=frozenset(h.date for h in schedule.holidays if not h.is_recurring),
        closed_yearly=frozenset(
            (h.date.month, h.date.day) for h in schedule.holidays if h.is_recurring
        ),
        country=schedule.holiday_country,
        subdivision=schedule.holiday_subdivision,
        skipped=frozenset(schedule.skipped_holidays),
        observed=frozenset(schedule.observed_holidays),
    )


def _instant(zone: ZoneInfo, day: date, minute: int) -> datetime:
    """The UTC instant of a local wall time; `minute` 1440 is the next midnight."""
    day += timedelta(days=minute // MINUTES_PER_DAY)
    minute %= MINUTES_PER_DAY
    # fold=0: a skipped time moves forward by the gap, a repeated one is its first occurrence.
    local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)
    return local.astimezone(UTC)


def _open_intervals(
    compiled: _Compiled, first: date, last: date
) -> Iterator[tuple[datetime, datetime]]:
    """The open intervals of local days `first`..`last` in UTC, in order, touching ones merged."""
    current: tuple[datetime, datetime] | None = None
    day = first
    while day <= last:
        for start_minute, end_minute in compiled.segments(day):
            start = _instant(compiled.zone, day, start_minute)
            end = _instant(compiled.zone, day, end_minute)
            if end <= start:  # squeezed out by a DST gap
                continue
            if current is not None and start <= current[1]:
                current = (current[0], max(current[1], end))
            else:
                if current is not None:
                    yield current
                current = (start, end)
        day += timedelta(days=1)
    if current is not None:
        yield current


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("business hours need timezone-aware datetimes")
    return moment.astimezone(UTC)


def _local_day(compiled: _Compiled, moment: datetime) -> date:
    return moment.astimezone(compiled.zone).date()


def is_open(schedule: Schedule | None, at: datetime) -> bool:
    """Whether the schedule is open at the instant `at` (always, without an enabled schedule)."""
    at = _utc(at)
    if schedule is None or not schedule.is_enabled:
        return True
    compiled = _compile(schedule)
    day = _local_day(compiled, at)
    one = timedelta(days=1)
    return any(start <= at < end for start, end in _open_intervals(compiled, day - one, day + one))


def _horizon(compiled: _Compiled, at: datetime) -> tuple[date, date]:
    day = _local_day(compiled, at)
    return day - timedelta(days=1), day + timedelta(days=HORIZON_DAYS)


def next_opening(schedule: Schedule | None, at: datetime) -> datetime | None:
    """The first instant from `at` on when the schedule is open: `at` itself when open now.

    None without an enabled schedule (it never closes, so it never opens either) and when it
    does not open within a year.
    """
    at = _utc(at)
    if schedule is None or not schedule.is_enabled:
        return None
    compiled = _compile(schedule)
    for start, end in _open_intervals(compiled, *_horizon(compiled, at)):
        if end > at:
            return max(start, at)
    return None


def next_closing(schedule: Schedule | None, at: datetime) -> datetime | None:
    """The first instant from `at` on when the schedule is closed: `at` itself when closed now.

    None without an enabled schedule and when it stays open for more than a year.
    """
    at = _utc(at)
    if schedule is None or not schedule.is_enabled:
        return None
    compiled = _compile(schedule)
    first, last = _horizon(compiled, at)
    horizon_end = _instant(compiled.zone, last, MINUTES_PER_DAY)
    for start, end in _open_intervals(compiled, first, last):
        if end > at:
            if start > at:
                return at
            return None if end >= horizon_end else end
    return at


def open_seconds_between(schedule: Schedule | None, start: datetime, end: datetime) -> float:
    """Seconds of [start, end) during which the schedule is open (0 when end is not after start)."""
    start, end = _utc(start), _utc(end)
    if end <= start:
        return 0.0
    if schedule is None or not schedule.is_enabled:
        return (end - start).total_seconds()
    compiled = _compile(schedule)
    one = timedelta(days=1)
    first, last = _local_day(compiled, start) - one, _local_day(compiled, end) + one
    total = timedelta()
    for open_start, open_end in _open_intervals(compiled, first, last):
        if open_start >= end:
            break
        overlap = min(open_end, end) - max(open_start, start)
        if overlap > timedelta():
            total += overlap
    return total.total_seconds()
