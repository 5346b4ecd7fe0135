"""The daily rollup tier: reports read the same figures from daily + hourly rows as from the
hours alone, in any time zone and with partial days at the period's edges; the daily rows the
job keeps up cell by cell equal a rebuild of whole days; the backfill writes them again."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.reports.actions import backfill_reports
from frontdesk.core.reports.agent_report import get_agent_report
from frontdesk.core.reports.daily import READ_DAILY, rebuild_whole_days, whole_days
from frontdesk.core.reports.daily_models import ReportDailyRollup
from frontdesk.core.reports.models import ReportFact, ReportRollup
from frontdesk.core.reports.overview import get_overview
from frontdesk.core.reports.periods import resolve_period
from frontdesk.core.reports.reading import Filters, Totals, totals_by
from frontdesk.core.reports.service_level import get_service_level
from frontdesk.core.runtime import Runtime
from tests.api.test_reports_scenario import play_the_day
from tests.conftest import World
from tests.core.report_facts import store_facts
from tests.factories import Factory

START = datetime(2026, 3, 1, tzinfo=UTC)
DAYS = 10
NOW = START + timedelta(days=DAYS + 1)
DIGESTS = ("first_response", "response", "closed")
ZONES = ("UTC", "America/Sao_Paulo", "Asia/Kolkata")


def _facts(workspace_id: uuid.UUID, agents: list[uuid.UUID]) -> list[dict[str, Any]]:
    """Ten days of facts for three agents in two teams on two channels; agent 2 has a busy
    hour now and then (past a cell's exact values), the others stay exact. Whole seconds, so
    sums are the same whatever order they are added in."""
    rng = random.Random(20)
    teams, channels = [uuid.uuid4(), uuid.uuid4()], [uuid.uuid4(), uuid.uuid4()]
    facts: list[dict[str, Any]] = []
    for hour in range(DAYS * 24):
        for n, agent in enumerate(agents):
            busy = n == 2 and rng.random() < 0.1
            for i in range(rng.randint(0, 3) + (70 if busy else 0)):
                at = START + timedelta(hours=hour, seconds=rng.randrange(3600))
                burst = i >= 3  # the busy hour's replies: one cell past its exact values
                metric = (
                    "response"
                    if burst
                    else rng.choice(("first_response", "response", "closed", "opened", "state"))
                )
                seconds = None if metric == "opened" else float(rng.randint(5, 4000))
                detail = {"closed": rng.choice(("hired", None)), "state": "online"}.get(metric)
                facts.append(
                    {
                        "workspace_id": workspace_id,
                        "key": f"{hour}:{n}:{i}",
                        "metric": metric,
                        "detail": detail,
                        "team_id": teams[n % 2],
                        "agent_id": agent,
                        "channel_id": channels[0 if burst else i % 2],
                        "at": at,
                        "seconds": seconds,
                        "business_seconds": None if seconds is None else seconds // 2,
                    }
                )
    facts.sort(key=lambda f: str(f["at"]))
    return facts


async def _seed(runtime: Runtime) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """Facts written and rolled up as the live job does: batch after batch, each batch's cells
    rebuilt (hours cell by cell, days by the cells touched or whole)."""
    async with runtime.uow() as uow:
        factory = Factory(uow.session, START)
        org = await factory.organisation("Daily")
        ws = await factory.workspace(org, "Daily", "daily")
        agents = []
        for n in range(3):
            user = await factory.user(f"agent{n}@daily.test", f"Agent {n}", org=org)
            await factory.member(ws, user, "agent")
            agents.append(user.id)
        await uow.commit()
    facts = _facts(ws.id, agents)
    await store_facts(runtime, [ReportFact(**f) for f in facts], 60)
    return ws.id, agents


def _plain(totals: Totals) -> dict[str, Any]:
    return {
        "counts": dict(totals.counts),
        "details": dict(totals.details),
        "seconds": dict(totals.seconds),
        "business": dict(totals.business),
        "digests": {
            name: {
                m: (d.count, d.buckets, sorted(d.values) if d.values is not None else None)
                for m, d in store.items()
            }
            for name, store in (("wall", totals.digests), ("business", totals.business_digests))
        },
    }


async def _reports(runtime: Runtime, workspace_id: uuid.UUID) -> dict[str, Any]:
    """Every report compared: three in three zones over whole local days (partial UTC days at
    both edges outside UTC), and the totals over a span cut mid-day at both ends."""
    found: dict[str, Any] = {}
    async with runtime.database.read_session() as db:
        for tz in ZONES:
            period = resolve_period(
                "custom", tz, NOW, start_date=date(2026, 3, 2), end_date=date(2026, 3, 8)
            )
            agents = await get_agent_report(
                db, workspace_id, period, Filters(), NOW, with_average=True
            )
            overview = await get_overview(db, workspace_id, period, Filters(), "day")
            level = await get_service_level(db, workspace_id, period, Filters(), "week")
            found[tz] = (agents.model_dump(), overview.model_dump(), level.model_dump())
        start, end = START + timedelta(days=1, hours=10), START + timedelta(days=7, hours=15)
        for name, by in (
            ("all", None),
            ("agent", ReportRollup.agent_id),
            ("team", ReportRollup.team_id),
            ("channel", ReportRollup.channel_id),
        ):
            totals = await totals_by(
                db, workspace_id, Filters(), start, end, by=by, digests=DIGESTS
            )
            found[name] = {str(k): _plain(v) for k, v in totals.items()}
    return found


async def _daily_rows(runtime: Runtime) -> list[tuple[Any, ...]]:
    """The daily rows' columns as migration 0021 made them (named: later columns may not exist
    yet when a test reads the rows at 0021)."""
    t = ReportDailyRollup
    async with runtime.database.read_session() as db:
        return sorted(
            (
                str(r.workspace_id),
                r.day,
                r.metric,
                r.detail or "",
                str(r.team_id),
                str(r.agent_id),
                str(r.channel_id),
                r.count,
                r.sum_seconds,
                r.sum_business_seconds,
                r.digest_count,
                repr(r.digest_buckets),
                r.digest_values,
                r.business_digest_count,
                repr(r.business_digest_buckets),
                r.business_digest_values,
            )
            for r in await db.execute(
                select(
                    t.workspace_id,
                    t.day,
                    t.metric,
                    t.detail,
                    t.team_id,
                    t.agent_id,
                    t.channel_id,
                    t.count,
                    t.sum_seconds,
                    t.sum_business_seconds,
                    t.digest_count,
                    t.digest_buckets,
                    t.digest_values,
                    t.business_digest_count,
                    t.business_digest_buckets,
                    t.business_digest_values,
                )
            )
        )


def test_whole_days_of_a_period() -> None:
    midnight = datetime(2026, 3, 2, tzinfo=UTC)
    assert whole_days(midnight, midnight + timedelta(days=3)) == (
        midnight,
        midnight + timedelta(days=3),
    )
    # São Paulo's 2 → 8 March: 03:00 UTC to 03:00 UTC, six whole UTC days inside.
    assert whole_days(midnight + timedelta(hours=3), midnight + timedelta(days=7, hours=3)) == (
        midnight + timedelta(days=1),
        midnight + timedelta(days=7),
    )
    assert whole_days(midnight + timedelta(hours=1), midnight + timedelta(days=1, hours=1)) is None


async def test_reports_read_the_same_figures_from_either_tier(runtime: Runtime) -> None:
    workspace_id, agents = await _seed(runtime)
    async with runtime.database.read_session() as db:
        daily = await db.scalar(select(func.count()).select_from(ReportDailyRollup))
        hourly = await db.scalar(select(func.count()).select_from(ReportRollup))
    assert daily
    assert hourly
    assert daily * 3 < hourly

    with_days = await _reports(runtime, workspace_id)
    token = READ_DAILY.set(False)
    try:
        hours_only = await _reports(runtime, workspace_id)
    finally:
        READ_DAILY.reset(token)
    for key in with_days:
        assert with_days[key] == hours_only[key], key
    # Not vacuous: every agent has figures, exact medians and bucket estimates both occur.
    rows = with_days["UTC"][0]["rows"]
    assert [r["closed"] > 0 for r in rows] == [True, True, True]
    exact = {with_days["agent"][str(a)]["digests"]["wall"]["response"][2] is None for a in agents}
    assert exact == {True, False}

    # The reports do read the daily rows: without one day's, the figures change.
    async with runtime.database.write_session() as s:
        await s.execute(
            delete(ReportDailyRollup).where(ReportDailyRollup.day == START + timedelta(days=4))
        )
        await s.commit()
    assert (await _reports(runtime, workspace_id))["all"] != with_days["all"]


async def test_daily_rows_kept_cell_by_cell_equal_whole_days_rebuilt(runtime: Runtime) -> None:
    workspace_id, _ = await _seed(runtime)
    kept = await _daily_rows(runtime)
    async with runtime.uow() as uow:
        await uow.session.execute(delete(ReportDailyRollup))
        await rebuild_whole_days(
            uow.session,
            [(workspace_id, START + timedelta(days=d)) for d in range(DAYS + 1)],
        )
        await uow.commit()
    assert await _daily_rows(runtime) == kept
    assert len(kept) > 50


async def test_the_job_and_the_backfill_keep_the_daily_rows(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await play_the_day(runtime, world, clock)
    kept = await _daily_rows(runtime)
    assert any(row[0] == str(world.acme.id) for row in kept)
    # Each daily row is its day's hourly rows added up.
    async with runtime.database.read_session() as db:
        for day, metric, count in await db.execute(
            select(
                ReportDailyRollup.day, ReportDailyRollup.metric, func.sum(ReportDailyRollup.count)
            )
            .where(ReportDailyRollup.workspace_id == world.acme.id)
            .group_by(ReportDailyRollup.day, ReportDailyRollup.metric)
        ):
            hourly = await db.scalar(
                select(func.sum(ReportRollup.count)).where(
                    ReportRollup.workspace_id == world.acme.id,
                    ReportRollup.metric == metric,
                    ReportRollup.hour >= day,
                    ReportRollup.hour < day + timedelta(days=1),
                )
            )
            assert count == hourly
    # Lost (or never written, before the tier existed): the backfill writes them again.
    async with runtime.database.write_session() as s:
        await s.execute(delete(ReportFact).where(ReportFact.workspace_id == world.acme.id))
        await s.execute(delete(ReportRollup).where(ReportRollup.workspace_id == world.acme.id))
        await s.execute(
            delete(ReportDailyRollup).where(ReportDailyRollup.workspace_id == world.acme.id)
        )
        await s.commit()
    await backfill_reports(runtime.uow, workspace_id=world.acme.id, batch_size=7)
    assert await _daily_rows(runtime) == kept


@pytest.mark.parametrize("zone", ZONES)
def test_the_compared_periods_have_whole_and_partial_days(zone: str) -> None:
    period = resolve_period(
        "custom", zone, NOW, start_date=date(2026, 3, 2), end_date=date(2026, 3, 8)
    )
    days = whole_days(period.start, period.end)
    assert days is not None
    assert (days[0] == period.start) == (zone == "UTC")


async def test_migration_0021_fills_the_daily_tier_from_the_hours(runtime: Runtime) -> None:
    import asyncio

    from frontdesk.db.migrate import downgrade, upgrade_async

    workspace_id, _ = await _seed(runtime)
    built = await _daily_rows(runtime)
    url = runtime.database.url
    await runtime.database.dispose()
    await asyncio.to_thread(downgrade, url, "0020")
    await upgrade_async(url, "0021")
    assert await _daily_rows(runtime) == built
    assert any(row[0] == str(workspace_id) for row in built)
    await upgrade_async(url)
