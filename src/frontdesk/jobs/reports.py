"""The report job: a chain that reads the event log into report facts every few seconds.

Like the other scheduled jobs it enqueues its next run in the same transaction as its last
batch, so exactly one chain runs however many processes start; `ensure_report_chain` starts
it when none is waiting.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from frontdesk.core.reports.actions import BATCH_SIZE, record_report_facts
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job, JobStatus

log = logging.getLogger("frontdesk.jobs.reports")

UPDATE_REPORTS_JOB = "update_reports"
UPDATE_EVERY = timedelta(seconds=5)
REPORTS_LOCK = 7461527
# One run reads at most this many batches, so a long backlog does not hold a worker for ever.
MAX_BATCHES = 50


async def update_reports(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Read new events into facts and rollups, batch after batch; then the next run."""
    for _ in range(MAX_BATCHES):
        async with runtime.uow() as uow:
            progress = await record_report_facts(uow)
            if progress.events_read < BATCH_SIZE:
                uow.enqueue(UPDATE_REPORTS_JOB, payload, delay=UPDATE_EVERY)
            await uow.commit()
        if progress.facts_written:
            log.info(
                "reports: %s events read, %s facts written",
                progress.events_read,
                progress.facts_written,
            )
        if progress.events_read < BATCH_SIZE:
            return
    async with runtime.uow() as uow:
        uow.enqueue(UPDATE_REPORTS_JOB, payload)
        await uow.commit()


async def ensure_report_chain(runtime: Runtime) -> bool:
    """Start the report chain unless one is already waiting; True when it started one."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({REPORTS_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(
                Job.kind == UPDATE_REPORTS_JOB,
                Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]),
            )
            .limit(1)
        )
        if waiting is not None:
            return False
        uow.enqueue(UPDATE_REPORTS_JOB, {})
        await uow.commit()
        return True
