"""Business-hours arithmetic: properties over random schedules, and the cases people get wrong.

Daylight-saving cases use Europe/Berlin (clocks change at 02:00/03:00) and America/Sao_Paulo's
history (it changed at midnight, so some days had no 00:00, until Brazil dropped DST in 2019).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.core.errors import Invalid
from frontdesk.core.hours.calendar import (
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    WEEKDAYS,
    Holiday,
    Period,
    Schedule,
    is_open,
    next_closing,
    next_opening,
    open_seconds_between,
)

ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/Sao_Paulo",
    "America/New_York",
    "Australia/Lord_Howe",  # a half-hour DST shift
    "Asia/Ho_Chi_Minh",
    "Pacific/Chatham",  # +12:45 / +13:45
)
HOUR = 3600.0


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def week(
    timezone: str, *periods: tuple[str, str, str], holidays: tuple[Holiday, ...] = ()
) -> Schedule:
    return Schedule(
        timezone=timezone, periods=tuple(Period(*p) for p in periods), holidays=holidays
    )


# -- random schedules -------------------------------------------------------------------------


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    """Valid schedules: disjoint spans of the week (rotated, so some wrap Sunday into Monday),
    overnight periods included, with a few holidays, some recurring."""
    points = sorted(draw(st.sets(st.integers(0, MINUTES_PER_WEEK - 1), max_size=14)))
    rotation = draw(st.integers(0, MINUTES_PER_WEEK - 1))
    periods = []
    for begin, finish in zip(points[::2], points[1::2], strict=False):
        start_of_week = (begin + rotation) % MINUTES_PER_WEEK
        weekday, start = divmod(start_of_week, MINUTES_PER_DAY)
        length = min(finish - begin, MINUTES_PER_DAY if start == 0 else MINUTES_PER_DAY - 1)
        end = (start + length) % MINUTES_PER_DAY
        periods.append(Period(WEEKDAYS[weekday], hhmm(start), hhmm(end) if end else "24:00"))
    holidays = draw(
        st.lists(
            st.builds(
                Holiday,
                date=st.dates(date(2024, 1, 1), date(2028, 12, 31)),
                name=st.just("holiday"),
                is_recurring=st.booleans(),
            ),
            max_size=4,
            unique_by=lambda h: h.date,
        )
    )
    return Schedule(
        timezone=draw(st.sampled_from(ZONES)),
        periods=tuple(periods),
        holidays=tuple(holidays),
    )


moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(schedules(), moments)
def test_the_next_opening_is_open_and_nothing_before_it_is(schedule: Schedule, t: datetime) -> None:
    opening = next_opening(schedule, t)
    if opening is None:
        assert not is_open(schedule, t)
        assert open_seconds_between(schedule, t, t + timedelta(days=365)) == 0
        return
    assert opening >= t
    assert opening.tzinfo == UTC
    assert is_open(schedule, opening)
    assert (opening == t) == is_open(schedule, t)
    assert open_seconds_between(schedule, t, opening) == 0
    if opening > t:
        gap = opening - t
        assert not any(is_open(schedule, t + gap * k / 8) for k in range(8))


@PROPERTY
@given(schedules(), moments)
def test_the_next_closing_is_closed_and_everything_before_it_is_open(
    schedule: Schedule, t: datetime
) -> None:
    closing = next_closing(schedule, t)
    if closing is None:
        assert open_seconds_between(schedule, t, t + timedelta(days=365)) == 365 * 24 * HOUR
        return
    assert closing >= t
    assert not is_open(schedule, closing)
    assert (closing == t) == (not is_open(schedule, t))
    assert open_seconds_between(schedule, t, closing) == (closing - t).total_seconds()


@PROPERTY
@given(schedules(), moments, st.timedeltas(timedelta(0), timedelta(days=20)), st.floats(0, 1))
def test_open_seconds_add_up_over_a_split_and_never_exceed_the_wall_time(
    schedule: Schedule, start: datetime, span: timedelta, split: float
) -> None:
    end = start + span
    middle = start + span * split
    whole = open_seconds_between(schedule, start, end)
    parts = open_seconds_between(schedule, start, middle) + open_seconds_between(
        schedule, middle, end
    )
    assert whole == pytest.approx(parts, abs=1e-6)
    assert 0 <= whole <= span.total_seconds()


@PROPERTY
@given(schedules(), moments)
def test_open_now_agrees_with_the_open_time_that_follows(schedule: Schedule, t: datetime) -> None:
    tick = timedelta(microseconds=1)
    assert is_open(schedule, t) == (open_seconds_between(schedule, t, t + tick) > 0)


@given(moments, moments)
def test_without_an_enabled_schedule_it_is_always_open(a: datetime, b: datetime) -> None:
    start, end = min(a, b), max(a, b)
    disabled = Schedule("Europe/Berlin", (Period("monday", "09:00", "10:00"),), is_enabled=False)
    for schedule in (None, disabled):
        assert is_open(schedule, a)
        assert next_opening(schedule, a) is None
        assert next_closing(schedule, a) is None
        assert open_seconds_between(schedule, start, end) == (end - start).total_seconds()


# -- explicit cases ---------------------------------------------------------------------------

OFFICE = week(
    "Europe/Berlin",
    *((day, "09:00", "12:00") for day in WEEKDAYS[:5]),
    *((day, "13:00", "18:00") for day in WEEKDAYS[:5]),
)


def test_a_lunch_break_closes_and_the_evening_waits_for_the_next_morning() -> None:
    # Monday 5 January 2026, Berlin is UTC+1.
    assert not is_open(OFFICE, utc(2026, 1, 5, 7, 59))
    assert is_open(OFFICE, utc(2026, 1, 5, 8, 0))
    assert next_closing(OFFICE, utc(2026, 1, 5, 10, 0)) == utc(2026, 1, 5, 11, 0)
    assert next_opening(OFFICE, utc(2026, 1, 5, 11, 30)) == utc(2026, 1, 5, 12, 0)
    assert next_opening(OFFICE, utc(2026, 1, 5, 17, 0)) == utc(2026, 1, 6, 8, 0)
    # Friday evening to Monday morning.
    assert next_opening(OFFICE, utc(2026, 1, 9, 18, 0)) == utc(2026, 1, 12, 8, 0)
    assert open_seconds_between(OFFICE, utc(2026, 1, 5), utc(2026, 1, 12)) == 5 * 8 * HOUR


def test_nine_o_clock_stays_nine_o_clock_across_berlin_s_spring_change() -> None:
    # Clocks went from 02:00 to 03:00 on Sunday 29 March 2026: Monday 09:00 is 07:00 UTC.
    assert next_opening(OFFICE, utc(2026, 3, 27, 18, 0)) == utc(2026, 3, 30, 7, 0)
    assert next_opening(OFFICE, utc(2026, 10, 23, 18, 0)) == utc(2026, 10, 26, 8, 0)


def test_the_hour_skipped_or_repeated_by_berlin_s_clocks_counts_as_it_happened() -> None:
    night = week("Europe/Berlin", ("sunday", "01:00", "05:00"))
    assert open_seconds_between(night, utc(2026, 3, 28), utc(2026, 3, 30)) == 3 * HOUR
    assert open_seconds_between(night, utc(2026, 10, 24), utc(2026, 10, 26)) == 5 * HOUR
    # The autumn day: open from 01:00 CEST (23:00 UTC) to 05:00 CET (04:00 UTC).
    assert next_opening(night, utc(2026, 10, 24, 12)) == utc(2026, 10, 24, 23, 0)
    assert next_closing(night, utc(2026, 10, 25, 1)) == utc(2026, 10, 25, 4, 0)


def test_a_time_the_spring_change_skips_moves_forward_by_the_gap() -> None:
    # 02:30 did not exist on 29 March 2026 in Berlin: the period starts at 03:30 CEST.
    skipped = week("Europe/Berlin", ("sunday", "02:30", "04:00"))
    assert next_opening(skipped, utc(2026, 3, 28, 12)) == utc(2026, 3, 29, 1, 30)
    assert next_closing(skipped, utc(2026, 3, 29, 1, 30)) == utc(2026, 3, 29, 2, 0)
    assert open_seconds_between(skipped, utc(2026, 3, 28), utc(2026, 3, 30)) == 0.5 * HOUR


def test_sao_paulo_s_missing_midnight_opens_at_the_first_moment_that_existed() -> None:
    # 4 November 2018: 00:00 jumped to 01:00 (UTC-3 to UTC-2), so the day began at 03:00 UTC.
    early = week("America/Sao_Paulo", ("sunday", "00:00", "08:00"))
    assert next_opening(early, utc(2018, 11, 3, 12)) == utc(2018, 11, 4, 3, 0)
    assert next_closing(early, utc(2018, 11, 4, 3, 0)) == utc(2018, 11, 4, 10, 0)
    assert open_seconds_between(early, utc(2018, 11, 3), utc(2018, 11, 5)) == 7 * HOUR
    # A holiday on that day is closed from its first moment to the next midnight.
    closed = week(
        "America/Sao_Paulo",
        ("saturday", "20:00", "24:00"),
        ("monday", "00:00", "01:00"),
        holidays=(Holiday(date(2018, 11, 4), "Test"),),
    )
    assert next_closing(closed, utc(2018, 11, 3, 23, 30)) == utc(2018, 11, 4, 3, 0)
    assert next_opening(closed, utc(2018, 11, 4, 3, 0)) == utc(2018, 11, 5, 2, 0)


def test_sao_paulo_s_repeated_hour_makes_a_longer_evening() -> None:
    # 17 February 2019: at midnight (UTC-2) clocks went back to 23:00 (UTC-3) on the 16th.
    evening = week("America/Sao_Paulo", ("saturday", "22:00", "24:00"))
    assert next_opening(evening, utc(2019, 2, 16, 12)) == utc(2019, 2, 17, 0, 0)
    assert next_closing(evening, utc(2019, 2, 17, 0, 0)) == utc(2019, 2, 17, 3, 0)
    assert open_seconds_between(evening, utc(2019, 2, 16), utc(2019, 2, 18)) == 3 * HOUR


def test_an_overnight_period_runs_into_the_next_day_and_sunday_into_monday() -> None:
    bar = week("UTC", ("friday", "22:00", "02:00"), ("sunday", "23:00", "01:00"))
    # Friday 9 January 2026.
    assert is_open(bar, utc(2026, 1, 10, 1, 59))
    assert not is_open(bar, utc(2026, 1, 10, 2, 0))
    assert next_closing(bar, utc(2026, 1, 9, 23, 0)) == utc(2026, 1, 10, 2, 0)
    assert next_opening(bar, utc(2026, 1, 10, 2, 0)) == utc(2026, 1, 11, 23, 0)
    assert next_closing(bar, utc(2026, 1, 11, 23, 30)) == utc(2026, 1, 12, 1, 0)
    assert open_seconds_between(bar, utc(2026, 1, 5), utc(2026, 1, 19)) == 2 * 6 * HOUR


def test_periods_that_touch_make_one_opening() -> None:
    late = week("UTC", ("monday", "20:00", "00:00"), ("tuesday", "00:00", "06:00"))
    assert next_closing(late, utc(2026, 1, 5, 21)) == utc(2026, 1, 6, 6)
    always = week("UTC", *((day, "00:00", "24:00") for day in WEEKDAYS))
    assert next_closing(always, utc(2026, 1, 5, 21)) is None
    assert next_opening(always, utc(2026, 1, 5, 21)) == utc(2026, 1, 5, 21)


def test_a_holiday_closes_its_whole_local_day_only() -> None:
    # Thursday 24 and Friday 25 December 2026.
    night = week("UTC", ("thursday", "22:00", "02:00"), ("friday", "09:00", "17:00"))
    christmas = Schedule(
        "UTC", night.periods, holidays=(Holiday(date(2026, 12, 25), "Christmas Day"),)
    )
    # The overnight period keeps its Thursday part and loses its Friday part.
    assert next_closing(christmas, utc(2026, 12, 24, 23)) == utc(2026, 12, 25, 0, 0)
    assert not is_open(christmas, utc(2026, 12, 25, 10))
    assert next_opening(christmas, utc(2026, 12, 25, 0)) == utc(2026, 12, 31, 22, 0)
    # A holiday on the Thursday leaves the part after midnight open.
    eve = Schedule("UTC", night.periods, holidays=(Holiday(date(2026, 12, 24), "Eve"),))
    assert next_opening(eve, utc(2026, 12, 24, 12)) == utc(2026, 12, 25, 0, 0)
    assert next_closing(eve, utc(2026, 12, 25, 0, 0)) == utc(2026, 12, 25, 2, 0)


def test_a_recurring_holiday_comes_back_every_year_a_one_off_does_not() -> None:
    days = week("Asia/Ho_Chi_Minh", *((day, "08:00", "17:00") for day in WEEKDAYS))
    yearly = Schedule(
        days.timezone, days.periods, holidays=(Holiday(date(2020, 9, 2), "National Day", True),)
    )
    once = Schedule(days.timezone, days.periods, holidays=(Holiday(date(2026, 9, 2), "Once"),))
    for year in (2026, 2027, 2030):
        noon = datetime(year, 9, 2, 5, tzinfo=UTC)  # 12:00 in Ho Chi Minh City
        assert not is_open(yearly, noon)
        assert is_open(once, noon) == (year != 2026)
    leap = Schedule(days.timezone, days.periods, holidays=(Holiday(date(2024, 2, 29), "Leap"),))
    recurring_leap = Schedule(
        days.timezone, days.periods, holidays=(Holiday(date(2024, 2, 29), "Leap", True),)
    )
    assert not is_open(recurring_leap, utc(2028, 2, 29, 5))
    assert is_open(recurring_leap, utc(2027, 2, 28, 5))
    assert is_open(leap, utc(2028, 2, 29, 5))


def test_a_country_s_movable_feasts_close_in_the_schedule_s_zone_year_after_year() -> None:
    days = week("America/Sao_Paulo", *((day, "08:00", "18:00") for day in WEEKDAYS[:5]))
    brazil = Schedule(days.timezone, days.periods, holiday_country="BR")
    # Good Friday moves with Easter: 3 April 2026, 26 March 2027, 14 April 2028 (all Fridays).
    for friday in (date(2026, 4, 3), date(2027, 3, 26), date(2028, 4, 14)):
        noon = datetime(friday.year, friday.month, friday.day, 15, tzinfo=UTC)  # 12:00 local
        assert not is_open(brazil, noon)
        assert is_open(brazil, noon - timedelta(days=1))
    # 21 April 2026 (Tiradentes, a Tuesday) is the local day, from 03:00 UTC.
    assert is_open(brazil, utc(2026, 4, 20, 20, 59))
    assert not is_open(brazil, utc(2026, 4, 21, 12))
    assert next_opening(brazil, utc(2026, 4, 21, 2)) == utc(2026, 4, 22, 11)
    # Optional days (Carnival) stay open unless observed; public ones close unless skipped.
    carnival = utc(2026, 2, 16, 12)
    assert is_open(brazil, carnival)
    observed = Schedule(
        days.timezone, days.periods, holiday_country="BR", observed_holidays=("Carnaval",)
    )
    assert not is_open(observed, carnival)
    skipped = Schedule(
        days.timezone, days.periods, holiday_country="BR", skipped_holidays=("Tiradentes",)
    )
    assert is_open(skipped, utc(2026, 4, 21, 12))
    # A region adds its own: 9 July in São Paulo only.
    sao_paulo = Schedule(
        days.timezone, days.periods, holiday_country="BR", holiday_subdivision="SP"
    )
    assert not is_open(sao_paulo, utc(2026, 7, 9, 12))
    assert is_open(brazil, utc(2026, 7, 9, 12))
    hours = open_seconds_between(sao_paulo, utc(2026, 7, 6), utc(2026, 7, 13))
    assert hours == 4 * 10 * HOUR


def test_tet_closes_vietnam_for_days_that_move_with_the_moon() -> None:
    days = week("Asia/Ho_Chi_Minh", *((day, "08:00", "17:00") for day in WEEKDAYS[:5]))
    vietnam = Schedule(days.timezone, days.periods, holiday_country="VN")
    assert not is_open(vietnam, utc(2026, 2, 17, 3))  # Tết 2026
    assert not is_open(vietnam, utc(2027, 2, 8, 3))  # Tết 2027
    assert is_open(vietnam, utc(2026, 2, 10, 3))


@pytest.mark.parametrize(
    ("country", "subdivision", "field"),
    [
        ("XX", None, "holiday_country"),
        ("BR", "ZZ", "holiday_subdivision"),
        (None, "SP", "holiday_subdivision"),
    ],
)
def test_an_unknown_country_or_region_is_refused(
    country: str | None, subdivision: str | None, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        Schedule("UTC", holiday_country=country, holiday_subdivision=subdivision)
    assert refused.value.details["field"] == field


def test_a_schedule_that_never_opens_has_no_next_opening() -> None:
    never = Schedule("Europe/Berlin")
    assert not is_open(never, utc(2026, 1, 5))
    assert next_opening(never, utc(2026, 1, 5)) is None
    assert next_closing(never, utc(2026, 1, 5)) == utc(2026, 1, 5)
    assert open_seconds_between(never, utc(2026, 1, 5), utc(2027, 1, 5)) == 0


def test_answers_are_in_utc_whatever_zone_the_question_used() -> None:
    from zoneinfo import ZoneInfo

    asked = datetime(2026, 1, 5, 8, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    opening = next_opening(OFFICE, asked)
    assert opening == utc(2026, 1, 5, 8, 0)
    assert opening is not None
    assert opening.tzinfo == UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open(OFFICE, datetime(2026, 1, 5, 9))


@pytest.mark.parametrize(
    ("timezone", "periods", "holidays", "field"),
    [
        ("Mars/Olympus_Mons", [], [], "timezone"),
        ("/etc/localtime", [], [], "timezone"),
        ("UTC", [("monday", "09:00", "09:00")], [], "periods.0.end"),
        ("UTC", [("funday", "09:00", "10:00")], [], "periods.0.weekday"),
        ("UTC", [("monday", "9am", "10:00")], [], "periods.0.start"),
        ("UTC", [("monday", "24:00", "10:00")], [], "periods.0.start"),
        ("UTC", [("monday", "09:00", "24:30")], [], "periods.0.end"),
        ("UTC", [("monday", "09:00", "12:00"), ("monday", "11:59", "13:00")], [], "periods.1"),
        ("UTC", [("monday", "13:00", "18:00"), ("monday", "09:00", "14:00")], [], "periods.1"),
        ("UTC", [("monday", "01:00", "03:00"), ("sunday", "22:00", "01:30")], [], "periods.1"),
        ("UTC", [("tuesday", "08:00", "09:00"), ("monday", "10:00", "08:30")], [], "periods.1"),
        ("UTC", [], [date(2026, 1, 1), date(2026, 1, 1)], "holidays.1.date"),
    ],
)
def test_a_schedule_that_makes_no_sense_is_refused_naming_the_field(
    timezone: str, periods: list[tuple[str, str, str]], holidays: list[date], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        Schedule(
            timezone,
            tuple(Period(*p) for p in periods),  # type: ignore[arg-type]
            tuple(Holiday(d, "x") for d in holidays),
        )
    assert refused.value.details["field"] == field


def test_periods_that_only_touch_are_accepted() -> None:
    touching = week(
        "UTC",
        ("monday", "09:00", "12:00"),
        ("monday", "12:00", "13:00"),
        ("sunday", "20:00", "00:00"),
        ("monday", "00:00", "01:00"),
    )
    assert len(touching.periods) == 4
    assert next_closing(touching, utc(2026, 1, 4, 21)) == utc(2026, 1, 5, 1)
