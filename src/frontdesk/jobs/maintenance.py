"""Housekeeping that runs on a schedule: pruning the event log past its retention.

A scheduled job re-enqueues its next run in the same transaction as its work, so exactly
one chain runs however many processes start; `ensure_schedules` starts the chain when none
is pending.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, text

from frontdesk.core.reports.actions import read_up_to
from frontdesk.core.reports.exports.run import delete_expired_exports
from frontdesk.core.runtime import Runtime
from frontdesk.core.sla.actions import sla_read_up_to
from frontdesk.db.outbox import EventLogEntry, Job, JobStatus

log = logging.getLogger("frontdesk.jobs.maintenance")

PRUNE_EVENTS = "prune_event_log"
PRUNE_EVERY = timedelta(hours=1)
# Events the report job has not read yet are kept past the retention, up to this age.
KEEP_UNREAD_FOR = timedelta(days=30)
SCHEDULE_LOCK = 7461525


async def prune_event_log(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Forget events older than the retention: sockets further behind are told to resync.

    Events the report job or the SLA job has not read yet stay (up to `KEEP_UNREAD_FOR`), so a
    stopped job, or history loaded with past times (the demo's), still becomes report facts and
    due times."""
    retention = timedelta(hours=float(payload["retention_hours"]))
    async with runtime.uow() as uow:
        now = uow.now()
        old = EventLogEntry.created_at < now - retention
        read = await read_up_to(uow.session)
        sla_read = await sla_read_up_to(uow.session)  # the SLA job's cursor holds them too
        if sla_read is not None:
            read = sla_read if read is None else min(read, sla_read)
        if read is not None:
            old = and_(
                old,
                or_(EventLogEntry.id <= read, EventLogEntry.created_at < now - KEEP_UNREAD_FOR),
            )
        result = await uow.session.execute(delete(EventLogEntry).where(old))
        uow.enqueue(PRUNE_EVENTS, payload, delay=PRUNE_EVERY)
        await uow.commit()
    log.info("pruned %s events older than %s", getattr(result, "rowcount", "?"), retention)
    removed = await delete_expired_exports(runtime)
    if removed:
        log.info("deleted %s expired report exports", removed)


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
