"""Due times over business hours: for random schedules, the due time of a target is the moment
when exactly that much open time has passed (measured by the same calendar), and it is open
then or just closing; a closed stretch (a weekend) adds nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.core.hours.calendar import Holiday, Period, Schedule, open_seconds_between
from frontdesk.core.sla.due import add_open_seconds, due_and_risk
from tests.core.test_hours_calendar import schedules

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
OFFICE = Schedule(
    timezone="Europe/Berlin",
    periods=tuple(Period(day, "09:00", "17:00") for day in WEEKDAYS),
    holidays=(Holiday(date(2026, 12, 25), "Christmas", is_recurring=True),),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    schedule=schedules(),
    start=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    minutes=st.integers(1, 5 * 24 * 60),
)
def test_the_due_time_is_when_that_much_open_time_has_passed(
    schedule: Schedule, start: datetime, minutes: int
) -> None:
    due = add_open_seconds(schedule, start, minutes * 60.0)
    if due is None:  # never open again within a year
        assert open_seconds_between(schedule, start, start + timedelta(days=360)) < minutes * 60
        return
    assert due >= start
    assert abs(open_seconds_between(schedule, start, due) - minutes * 60) < 1e-3
    # Not a moment later than needed: a second earlier, less open time had passed.
    assert open_seconds_between(schedule, start, due - timedelta(seconds=1)) < minutes * 60


def test_calendar_time_without_a_schedule() -> None:
    start = datetime(2026, 1, 9, 16, tzinfo=UTC)
    assert add_open_seconds(None, start, 3600) == start + timedelta(hours=1)


def test_friday_evening_to_monday_and_around_christmas() -> None:
    friday = datetime(2026, 1, 9, 15, 30, tzinfo=UTC)  # 16:30 in Berlin
    due, risk = due_and_risk(OFFICE, friday, 120, 80)
    assert due == datetime(2026, 1, 12, 9, 30, tzinfo=UTC)  # Monday 10:30 in Berlin
    assert risk == datetime(2026, 1, 12, 9, 6, tzinfo=UTC)  # 96 minutes: 30 + 66
    # Thursday 24 December 2026, 16:00: Christmas (Friday) and the weekend are closed.
    eve = datetime(2026, 12, 24, 15, tzinfo=UTC)
    assert add_open_seconds(OFFICE, eve, 2 * 3600) == datetime(2026, 12, 28, 9, tzinfo=UTC)
    assert due_and_risk(OFFICE, eve, None, 80) == (None, None)
