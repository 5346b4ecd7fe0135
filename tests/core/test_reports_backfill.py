"""The report job and the backfill are idempotent: reading the log again, replaying it from the
start, or rebuilding lost facts gives exactly the same facts and rollups."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.reports.actions import backfill_reports
from frontdesk.core.reports.models import ReportCursor, ReportFact, ReportRollup
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.maintenance import prune_event_log
from frontdesk.jobs.reports import UPDATE_REPORTS_JOB, ensure_report_chain, update_reports
from frontdesk.jobs.runner import JobRunner
from tests.api.test_reports_scenario import Visitor, at, ok, play_the_day, reply
from tests.conftest import Published, World
from tests.factories import Factory


async def snapshot(runtime: Runtime) -> tuple[list[Any], list[Any]]:
    async with runtime.database.read_session() as db:
        facts = sorted(
            (
                f.workspace_id,
                f.key,
                f.metric,
                f.detail,
                f.at,
                f.seconds,
                f.business_seconds,
                f.team_id,
                f.agent_id,
                f.channel_id,
                f.conversation_id,
                f.segment,
            )
            for f in await db.scalars(select(ReportFact))
        )
        rollups = sorted(
            (
                str(r.workspace_id),
                r.hour,
                r.metric,
                r.detail or "",
                str(r.team_id),
                str(r.agent_id),
                str(r.channel_id),
                r.count,
                r.sum_seconds,
                r.sum_business_seconds,
                repr(r.digest),
                repr(r.business_digest),
            )
            for r in await db.scalars(select(ReportRollup))
        )
    return facts, rollups


async def test_reading_replaying_and_rebuilding_give_the_same_figures(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await play_the_day(runtime, world, clock)
    before = await snapshot(runtime)
    assert len(before[0]) > 30
    assert len(before[1]) > 20
    await update_reports(runtime, {})
    assert await snapshot(runtime) == before
    replay = await backfill_reports(runtime.uow)
    assert replay.events_read > 40
    assert replay.facts_written == 0
    assert await snapshot(runtime) == before
    # Facts and rollups lost (or written by an older version): the replay writes them again.
    async with runtime.database.write_session() as s:
        await s.execute(delete(ReportFact).where(ReportFact.workspace_id == world.acme.id))
        await s.execute(delete(ReportRollup).where(ReportRollup.workspace_id == world.acme.id))
        await s.commit()
    other = await backfill_reports(runtime.uow, workspace_id=world.other.id)
    assert other.facts_written == 0
    rebuilt = await backfill_reports(runtime.uow, workspace_id=world.acme.id, batch_size=7)
    assert rebuilt.facts_written == len(before[0])
    assert await snapshot(runtime) == before


async def test_the_job_chain_moves_the_cursor_and_tells_the_workspace(
    runtime: Runtime, world: World, clock: FrozenClock, published: Published
) -> None:
    assert await ensure_report_chain(runtime)
    assert not await ensure_report_chain(runtime)  # one chain however many processes start
    runner = JobRunner(runtime, build_registry(), worker_id="test")
    assert await runner.run_once() == 1
    async with runtime.database.read_session() as db:
        head = await db.scalar(select(EventLogEntry.id).order_by(EventLogEntry.id.desc()).limit(1))
        cursor = await db.scalar(select(ReportCursor))
        jobs = list(await db.scalars(select(Job).where(Job.kind == UPDATE_REPORTS_JOB)))
    assert cursor is not None
    assert cursor.last_event_id == (head or 0)
    assert [j.run_at for j in jobs] == [clock.now() + timedelta(seconds=5)]
    assert await runner.run_once() == 0  # the next run waits for its time
    await play_the_day(runtime, world, clock)
    told = [e for e in published.events if e.type == "reports.updated"]
    assert told
    assert {e.workspace_id for e in told} == {world.acme.id}
    assert all(e.audience == (f"ws:{world.acme.id}",) for e in told)


def test_the_backfill_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env["FRONTDESK_DATA_DIR"] = str(tmp_path / "data")
    env["FRONTDESK_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "frontdesk", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert run("migrate").returncode == 0
    done = run("reports", "backfill")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0 events read, 0 facts written"
    missing = run("reports", "backfill", "--workspace", "nope")
    assert missing.returncode == 1
    assert "no workspace 'nope'" in missing.stderr


async def test_pruning_keeps_the_events_the_report_job_has_not_read(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    conversation = world.acme.conversations["frank_unassigned"].id

    async def change(priority: str) -> None:
        async with world.client("alice") as alice:
            r = await alice.patch(
                f"/api/v1/conversations/{conversation}", json={"priority": priority}
            )
            assert r.status_code == 200, r.text

    async def kept() -> list[str]:
        async with runtime.database.read_session() as db:
            rows = await db.scalars(select(EventLogEntry).order_by(EventLogEntry.id))
            return [
                e.payload["conversation"]["priority"]
                for e in rows
                if e.type == "conversation.updated"
            ]

    retention = {"retention_hours": 24}
    await prune_event_log(runtime, retention)  # no report job yet: the retention alone
    await change("high")
    await update_reports(runtime, {})
    clock.advance(hours=1)
    await change("low")  # not read by the report job yet
    clock.advance(hours=30)
    await prune_event_log(runtime, retention)
    assert await kept() == ["low"]
    await update_reports(runtime, {})
    await prune_event_log(runtime, retention)
    assert await kept() == []
    # Past the longest wait (30 days) an unread event goes all the same.
    await change("urgent")
    clock.advance(days=31)
    await prune_event_log(runtime, retention)
    assert await kept() == []


async def test_a_backfill_before_the_job_ever_ran_agrees_with_the_job(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    """History written before the report job first runs (a demo load, an upgrade): the
    backfill reads it all, and the job reading it afterwards adds nothing."""
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(world.acme.workspace, "webchat", "Chat")
        await s.commit()
    clock.set(at(9))
    conversation = await Visitor(world, channel.id, "Ana").writes("Hello")
    clock.set(at(9, 3))
    await reply(world.client("bob"), conversation, "Hi")
    clock.set(at(9, 10))
    await ok(world.client("bob").post(f"/api/v1/conversations/{conversation}/close", json={}))
    replayed = await backfill_reports(runtime.uow)
    # Opened, first response, first response within T, response, closed.
    assert replayed.facts_written == 5
    after_backfill = await snapshot(runtime)
    await update_reports(runtime, {})
    assert await snapshot(runtime) == after_backfill
