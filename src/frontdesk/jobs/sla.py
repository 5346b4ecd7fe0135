"""The SLA job: a chain that, every few seconds, reads new conversation events into due times
and announces the targets that became at risk or breached.

Like the report chain it enqueues its next run in the same transaction as its last step, so
exactly one chain runs however many processes start; `ensure_sla_chain` starts it when none is
waiting.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from frontdesk.core.runtime import Runtime
from frontdesk.core.sla.actions import BATCH_SIZE, track_sla
from frontdesk.core.sla.alerts import CHECK_BATCH
from frontdesk.db.outbox import Job, JobStatus

log = logging.getLogger("frontdesk.jobs.sla")

TRACK_SLA_JOB = "track_sla"
TRACK_EVERY = timedelta(seconds=3)
SLA_LOCK = 7461531
MAX_STEPS = 50


async def track_sla_targets(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Steps until the log is read, then the next run."""
    for _ in range(MAX_STEPS):
        async with runtime.uow() as uow:
            progress = await track_sla(uow)
            done = progress.events_read < BATCH_SIZE and progress.checked < CHECK_BATCH
            if done:
                uow.enqueue(TRACK_SLA_JOB, payload, delay=TRACK_EVERY)
            await uow.commit()
        if progress.checked:
            log.info("sla: %s conversations checked", progress.checked)
        if done:
            return
    async with runtime.uow() as uow:
        uow.enqueue(TRACK_SLA_JOB, payload)
        await uow.commit()


async def ensure_sla_chain(runtime: Runtime) -> bool:
    """Start the SLA chain unless one is already waiting; True when it started one."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({SLA_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(
                Job.kind == TRACK_SLA_JOB,
                Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]),
            )
            .limit(1)
        )
        if waiting is not None:
            return False
        uow.enqueue(TRACK_SLA_JOB, {})
        await uow.commit()
        return True
