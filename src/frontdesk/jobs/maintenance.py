"""Housekeeping that runs on a schedule: pruning the event log past its retention.

A scheduled job re-enqueues its next run in the same transaction as its work, so exactly
one chain runs however many processes start; `ensure_schedules` starts the chain when none
is pending.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, text

from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job, JobStatus

log = logging.getLogger("frontdesk.jobs.maintenance")

PRUNE_EVENTS = "prune_event_log"
PRUNE_EVERY = timedelta(hours=1)
SCHEDULE_LOCK = 7461525


async def prune_event_log(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Forget events older than the retention: sockets further behind are told to resync."""
    retention = timedelta(hours=float(payload["retention_hours"]))
    async with runtime.uow() as uow:
        now = uow.now()
        result = await uow.session.execute(
            delete(EventLogEntry).where(EventLogEntry.created_at < now - retention)
        )
        uow.enqueue(PRUNE_EVENTS, payload, delay=PRUNE_EVERY)
        await uow.commit()
    log.info("pruned %s events older than %s", getattr(result, "rowcount", "?"), retention)


async def ensure_schedules(runtime: Runtime, *, retention_hours: float) -> bool:
    """Start the housekeeping chain unless one is already waiting; True when it started one."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({SCHEDULE_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(
                Job.kind == PRUNE_EVENTS,
                Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]),
            )
            .limit(1)
        )
        if waiting is not None:
            return False
        uow.enqueue(PRUNE_EVENTS, {"retention_hours": retention_hours})
        await uow.commit()
        return True
