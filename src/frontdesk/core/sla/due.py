"""Due times: a target's minutes counted from its clock start, in calendar time or within the
team's business hours (the schedule's own openings and closings, `core/hours/calendar.py`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from frontdesk.core.hours.calendar import Schedule, next_closing, next_opening

# An opening is looked for within a year; past that a schedule is as good as never open.
MAX_OPENINGS = 2000


def add_open_seconds(schedule: Schedule | None, start: datetime, seconds: float) -> datetime | None:
    """The instant when `seconds` of open time have passed from `start`: wall time without an
    enabled schedule; None when the schedule does not open again within a year."""
    remaining = timedelta(seconds=max(seconds, 0.0))
    if schedule is None or not schedule.is_enabled:
        return start + remaining
    at = start
    for _ in range(MAX_OPENINGS):
        opening = next_opening(schedule, at)
        if opening is None:
            return None
        closing = next_closing(schedule, opening)
        if closing is None or closing - opening >= remaining:
            return opening + remaining
        remaining -= max(closing - opening, timedelta())
        at = max(closing, opening + timedelta(seconds=1))
    return None


def due_and_risk(
    schedule: Schedule | None, start: datetime, minutes: int | None, risk_percent: int
) -> tuple[datetime | None, datetime | None]:
    """(due time, at-risk moment) of a target of `minutes` started at `start`; (None, None)
    without a target."""
    if minutes is None:
        return None, None
    seconds = minutes * 60.0
    return (
        add_open_seconds(schedule, start, seconds),
        add_open_seconds(schedule, start, seconds * risk_percent / 100.0),
    )
