"""Event-log retention: old events are pruned on a schedule that keeps exactly one chain."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.maintenance import PRUNE_EVENTS, ensure_schedules
from frontdesk.jobs.runner import JobRunner
from tests.conftest import World


async def count(runtime: Runtime, model: type, *where: object) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


async def test_old_events_are_pruned_and_the_chain_continues(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = world.acme.conversations["frank_unassigned"]
    async with world.client("alice") as alice:
        await alice.patch(f"/api/v1/conversations/{conversation.id}", json={"priority": "high"})
        clock.advance(hours=30)
        await alice.patch(f"/api/v1/conversations/{conversation.id}", json={"priority": "low"})
    assert await count(runtime, EventLogEntry) == 2
    assert await ensure_schedules(runtime, retention_hours=24) is True
    assert await ensure_schedules(runtime, retention_hours=24) is False  # one chain only
    runner = JobRunner(runtime, build_registry(), worker_id="t")
    assert await runner.run_once() == 1
    async with runtime.database.read_session() as db:
        kept = (await db.scalars(select(EventLogEntry))).all()
        jobs = (await db.scalars(select(Job).where(Job.kind == PRUNE_EVENTS))).all()
    assert [e.payload["conversation"]["priority"] for e in kept] == ["low"]
    assert len(jobs) == 1
    assert (jobs[0].run_at - clock.now()).total_seconds() == 3600
    assert await runner.run_once() == 0  # not due yet
