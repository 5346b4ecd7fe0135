"""Month-to-date buckets on the daily tier, and the counts of conversations held now.

Reports over whole days read each cell's digest buckets as the difference of two daily rows'
month-to-date buckets (`reading.bucket_rows`); the figures must be those the hours alone give,
over spans that start on a month's first, cross a month's end or are cut mid-day. The job keeps
the month-to-date buckets batch by batch as a rebuild and migration 0035 make them. The live
counts of open and pending conversations read the partial index of holding conversations.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, select, update

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.reports.agent_report import get_agent_report
from frontdesk.core.reports.breakdowns import waiting_now_by
from frontdesk.core.reports.daily import READ_DAILY, rebuild_whole_days
from frontdesk.core.reports.daily_models import ReportDailyRollup
from frontdesk.core.reports.models import ReportFact, ReportRollup
from frontdesk.core.reports.overview import get_overview
from frontdesk.core.reports.periods import resolve_period
from frontdesk.core.reports.reading import Filters, Totals, bucket_rows, totals_by
from frontdesk.core.runtime import Runtime
from tests.core.report_facts import store_facts
from tests.factories import Factory

START = datetime(2026, 2, 24, tzinfo=UTC)  # twelve days across the end of February
DAYS = 12
DIGESTS = ("first_response", "response", "closed")
SPANS = (
    (START, START + timedelta(days=DAYS)),  # crosses 1 March, both months partly
    (START + timedelta(days=2), START + timedelta(days=9)),  # mid-month to mid-month
    (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 6, tzinfo=UTC)),  # from the first
    (START + timedelta(days=3, hours=7), START + timedelta(days=10, hours=2)),  # cut mid-day
    (START + timedelta(days=1, hours=5), START + timedelta(days=2, hours=5)),  # no whole day
)


async def _seed(runtime: Runtime) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """Facts for three agents in two teams and channels, rolled up batch by batch as the job
    does; agent 2 has busy hours past a cell's exact values."""
    rng = random.Random(35)
    async with runtime.uow() as uow:
        factory = Factory(uow.session, START)
        org = await factory.organisation("Months")
        ws = await factory.workspace(org, "Months", "months")
        await uow.commit()
    agents, teams, channels = (
        [uuid.uuid4() for _ in range(3)],
        [uuid.uuid4(), uuid.uuid4()],
        [uuid.uuid4(), uuid.uuid4()],
    )
    facts = []
    for hour in range(DAYS * 24):
        for n, agent in enumerate(agents):
            busy = n == 2 and rng.random() < 0.1
            for i in range(rng.randint(0, 2) + (70 if busy else 0)):
                metric = "response" if i >= 2 else rng.choice((*DIGESTS, "opened"))
                seconds = None if metric == "opened" else float(rng.randint(1, 90_000))
                facts.append(
                    ReportFact(
                        workspace_id=ws.id,
                        key=f"{hour}:{n}:{i}",
                        metric=metric,
                        detail=rng.choice(("hired", None)) if metric == "closed" else None,
                        team_id=teams[n % 2],
                        agent_id=agent,
                        channel_id=channels[i % 2],
                        at=START + timedelta(hours=hour, seconds=rng.randrange(3600)),
                        seconds=seconds,
                        business_seconds=None if seconds is None else seconds // 3,
                    )
                )
    facts.sort(key=lambda f: f.at)
    await store_facts(runtime, facts, 80)
    return ws.id, agents


def _plain(totals: dict[Any, Totals]) -> dict[str, Any]:
    return {
        str(group): {
            name: {
                m: (d.count, d.buckets, sorted(d.values) if d.values is not None else None)
                for m, d in store.items()
            }
            for name, store in (("wall", t.digests), ("business", t.business_digests))
        }
        for group, t in totals.items()
    }


async def _digests(runtime: Runtime, workspace_id: uuid.UUID) -> dict[str, Any]:
    found = {}
    async with runtime.database.read_session() as db:
        for n, (start, end) in enumerate(SPANS):
            for by in (None, ReportRollup.agent_id, ReportRollup.team_id):
                totals = await totals_by(
                    db, workspace_id, Filters(), start, end, by=by, digests=DIGESTS
                )
                found[f"{n}:{getattr(by, 'key', None)}"] = _plain(totals)
        period = resolve_period(
            "custom",
            "America/Sao_Paulo",
            START + timedelta(days=DAYS),
            start_date=START.date() + timedelta(days=1),
            end_date=START.date() + timedelta(days=9),
        )
        agents = await get_agent_report(
            db, workspace_id, period, Filters(), START, with_average=True
        )
        found["agents"] = agents.model_dump()
        found["overview"] = (
            await get_overview(db, workspace_id, period, Filters(), "week")
        ).model_dump()
    return found


async def _month_columns(runtime: Runtime) -> list[tuple[Any, ...]]:
    t = ReportDailyRollup
    async with runtime.database.read_session() as db:
        return sorted(
            (
                r.day,
                r.metric,
                r.detail or "",
                str(r.team_id),
                str(r.agent_id),
                str(r.channel_id),
                r[6],
                r[7],
            )
            for r in await db.execute(
                select(
                    t.day,
                    t.metric,
                    t.detail,
                    t.team_id,
                    t.agent_id,
                    t.channel_id,
                    t.digest_month_buckets,
                    t.business_digest_month_buckets,
                )
            )
        )


async def test_month_to_date_buckets_give_the_hours_figures(runtime: Runtime) -> None:
    workspace_id, agents = await _seed(runtime)
    with_months = await _digests(runtime, workspace_id)
    token = READ_DAILY.set(False)
    try:
        hours_only = await _digests(runtime, workspace_id)
    finally:
        READ_DAILY.reset(token)
    assert with_months.keys() == hours_only.keys()
    for key in with_months:
        assert with_months[key] == hours_only[key], key
    # Not vacuous: bucket estimates (not only exact values) and every agent's figures.
    estimated = with_months["0:agent_id"][str(agents[2])]["wall"]["response"]
    assert estimated[2] is None
    assert sum(estimated[1].values()) == estimated[0] > 1_000
    # The whole days are read as at most two rows per cell and month, not a row per day.
    async with runtime.database.read_session() as db:
        rows = bucket_rows(
            workspace_id,
            Filters(),
            *SPANS[1],
            by=None,
            metrics=DIGESTS,
            postgres=db.get_bind().dialect.name == "postgresql",
        )
        assert rows is not None
        signs = [s for (s,) in await db.execute(select(rows.c.sign))]
        daily = list(
            await db.scalars(
                select(ReportDailyRollup.id).where(
                    ReportDailyRollup.day >= SPANS[1][0],
                    ReportDailyRollup.day < SPANS[1][1],
                    ReportDailyRollup.metric.in_(DIGESTS),
                )
            )
        )
    assert {-1, 1} == set(signs)
    assert 0 < len(signs) < len(daily) / 2


async def test_the_job_keeps_month_to_date_buckets_as_a_rebuild_and_the_migration(
    runtime: Runtime,
) -> None:
    import asyncio

    from frontdesk.db.migrate import downgrade, upgrade_async

    workspace_id, _ = await _seed(runtime)
    kept = await _month_columns(runtime)
    # Each row's are its cell's buckets from the first of the month through its day.
    running: dict[tuple[Any, ...], dict[str, int]] = {}
    async with runtime.database.read_session() as db:
        for day, metric, detail, team, agent, channel, buckets, month in await db.execute(
            select(
                ReportDailyRollup.day,
                ReportDailyRollup.metric,
                ReportDailyRollup.detail,
                ReportDailyRollup.team_id,
                ReportDailyRollup.agent_id,
                ReportDailyRollup.channel_id,
                ReportDailyRollup.digest_buckets,
                ReportDailyRollup.digest_month_buckets,
            ).order_by(ReportDailyRollup.day)
        ):
            key = (day.month, metric, detail, team, agent, channel)
            total = dict(running.get(key, {}))
            for index, n in (buckets or {}).items():
                total[index] = total.get(index, 0) + n
            running[key] = total
            assert month == total
    assert any(len(m) > 3 for *_, m, _ in kept)
    assert {r[0].month for r in kept} == {2, 3}

    # Rebuilt from scratch, whole days in any order: the same.
    async with runtime.uow() as uow:
        await uow.session.execute(delete(ReportDailyRollup))
        await rebuild_whole_days(
            uow.session,
            [(workspace_id, START + timedelta(days=d)) for d in reversed(range(DAYS + 1))],
        )
        await uow.commit()
    assert await _month_columns(runtime) == kept

    # A day rebuilt after a change moves the later days' month-to-date buckets.
    async with runtime.uow() as uow:
        await uow.session.execute(
            update(ReportRollup)
            .where(ReportRollup.hour == START + timedelta(days=5, hours=3))
            .values(digest=None)
        )
        await rebuild_whole_days(uow.session, [(workspace_id, START + timedelta(days=5))])
        await uow.commit()
    changed = await _month_columns(runtime)
    moved = {(r[0], r[1:6]) for r, k in zip(changed, kept, strict=True) if r != k}
    assert moved
    assert min(day for day, _ in moved) == START + timedelta(days=5)
    assert max(day for day, _ in moved) > START + timedelta(days=5)

    # Migration 0035 fills them from the daily rows.
    url = runtime.database.url
    await runtime.database.dispose()
    await asyncio.to_thread(downgrade, url, "0034")
    await upgrade_async(url)
    assert await _month_columns(runtime) == changed


async def _plan(runtime: Runtime, statement: str, params: Any) -> str:
    async with runtime.database.read_session() as db:
        conn = await db.connection()
        if db.get_bind().dialect.name == "postgresql":
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            rows = await conn.exec_driver_sql("EXPLAIN " + statement, params)
            return "\n".join(r[0] for r in rows)
        rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
        return "\n".join(str(r[-1]) for r in rows)


async def test_counts_held_now_read_the_holding_index(runtime: Runtime) -> None:
    async with runtime.uow() as uow:
        f = Factory(uow.session, START)
        org = await f.organisation("Held")
        ws = await f.workspace(org, "Held", "held")
        agent = await f.persona(ws, "held@agent.test", "Held Agent", "agent")
        team = await f.team(ws, "Support", [agent])
        channel = await f.channel(ws, "webchat", "Chat")
        for n, status in enumerate(("open", "pending", "snoozed", "closed", "open")):
            contact = await f.contact(ws, f"Customer {n}")
            conv = await f.conversation(
                ws, channel, contact, team=team, assignee=agent, status=status
            )
            if n == 4:
                conv.waiting_since = None
        await uow.commit()
    seen: list[tuple[str, Any]] = []

    def keep(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM conversation" in statement:
            seen.append((statement, params))

    engine = runtime.database.reader.sync_engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        async with runtime.database.read_session() as db:
            period = resolve_period("today", "UTC", START)
            report = await get_agent_report(db, ws.id, period, Filters(), START, with_average=False)
            overview = await get_overview(db, ws.id, period, Filters(), "day")
            waiting = await waiting_now_by(db, ws.id, Filters(), Conversation.team_id)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    row = next(r for r in report.rows if r.agent_id == agent.id)
    assert (row.queue_now, row.open_now) == (2, 3)
    assert (overview.waiting_now, overview.open_now) == (2, 3)
    assert waiting == {team.id: 2}
    assert len(seen) == 3
    for statement, _ in seen:
        assert "'open', 'pending'" in statement
    # The agents' queue and the overview's counts (the breakdown by team may rather read the
    # team's index, in the team's order, while the table is small).
    for statement, params in seen[:2]:
        plan = await _plan(runtime, statement, params)
        assert "ix_conversation_holding" in plan, plan
