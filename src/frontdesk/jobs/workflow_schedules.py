"""The schedule job: a chain that starts the runs of schedule-triggered workflows when due.

Each step enqueues the next in its own transaction, so one chain runs however many processes
start; and each due workflow is claimed by moving its `next_fire_at` on where it still holds the
time read (core/workflows/triggers.py), so even two chains would start each run once.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.triggers import SCHEDULE_BATCH, fire_due_schedules, next_schedule_at
from frontdesk.db.outbox import Job, JobStatus

log = logging.getLogger("frontdesk.jobs.workflow_schedules")

FIRE_SCHEDULES_JOB = "fire_workflow_schedules"
CHECK_EVERY = timedelta(seconds=30)
SCHEDULES_LOCK = 7461541
MAX_STEPS = 20


async def fire_workflow_schedules(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Start what is due, then sleep until the next schedule (at most `CHECK_EVERY`, so a
    schedule published meanwhile is seen soon)."""
    for _ in range(MAX_STEPS):
        async with runtime.uow() as uow:
            started = await fire_due_schedules(uow)
            done = started < SCHEDULE_BATCH
            if done:
                now = uow.now()
                soonest = await next_schedule_at(uow)
                wake = now + CHECK_EVERY
                if soonest is not None and now <= soonest < wake:
                    wake = soonest
                uow.enqueue(FIRE_SCHEDULES_JOB, payload, run_at=wake)
            await uow.commit()
        if started:
            log.info("workflow schedules: %s runs started", started)
        if done:
            return
    async with runtime.uow() as uow:
        uow.enqueue(FIRE_SCHEDULES_JOB, payload)
        await uow.commit()


async def ensure_schedule_chain(runtime: Runtime) -> bool:
    """Start the schedule chain unless one is already waiting; True when it started one."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({SCHEDULES_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(
                Job.kind == FIRE_SCHEDULES_JOB,
                Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]),
            )
            .limit(1)
        )
        if waiting is not None:
            return False
        uow.enqueue(FIRE_SCHEDULES_JOB, {})
        await uow.commit()
        return True
