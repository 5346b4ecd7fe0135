"""The overview's series reads whole UTC days from the daily tier when every day falls in one
group of the series (a UTC day by day; weeks and months in most zones): its points must be the
ones read from the hours alone, in every grouping and zone."""

from __future__ import annotations

from datetime import date
from typing import Any

from frontdesk.core.reports.daily import READ_DAILY
from frontdesk.core.reports.overview import days_stay_whole, get_overview
from frontdesk.core.reports.periods import Grouping, resolve_period
from frontdesk.core.reports.reading import Filters
from frontdesk.core.runtime import Runtime
from tests.core.test_reports_daily import NOW, _seed

CASES: tuple[tuple[str, Grouping, bool], ...] = (
    ("UTC", "day", True),
    ("UTC", "week", True),
    ("UTC", "month", True),
    ("America/Sao_Paulo", "day", False),  # a UTC day is two local days
    ("America/Sao_Paulo", "week", False),  # Monday starts at 03:00 UTC
    ("America/Sao_Paulo", "month", True),  # no month starts inside the period
    ("Asia/Kolkata", "day", False),
    ("UTC", "hour", False),
)


def _period(tz: str) -> Any:
    return resolve_period("custom", tz, NOW, start_date=date(2026, 3, 2), end_date=date(2026, 3, 8))


async def _series(runtime: Runtime, workspace_id: Any) -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    async with runtime.database.read_session() as db:
        for tz, grouping, _ in CASES:
            overview = await get_overview(db, workspace_id, _period(tz), Filters(), grouping)
            found[(tz, grouping)] = [p.model_dump() for p in overview.series]
    return found


def test_which_groupings_read_whole_days() -> None:
    for tz, grouping, whole in CASES:
        assert days_stay_whole(_period(tz), grouping) is whole, (tz, grouping)
    # A month starting inside the period splits São Paulo's UTC day of 1 April.
    april = resolve_period(
        "custom", "America/Sao_Paulo", NOW, start_date=date(2026, 3, 20), end_date=date(2026, 4, 5)
    )
    assert not days_stay_whole(april, "month")


async def test_the_series_is_the_same_from_either_tier(runtime: Runtime) -> None:
    workspace_id, _ = await _seed(runtime)
    with_days = await _series(runtime, workspace_id)
    token = READ_DAILY.set(False)
    try:
        hours_only = await _series(runtime, workspace_id)
    finally:
        READ_DAILY.reset(token)
    for key, points in with_days.items():
        assert points == hours_only[key], key
    assert len(with_days[("UTC", "day")]) == 7
    assert sum(p["opened"] for p in with_days[("UTC", "day")]) > 0
