"""The weekly spot-check sample: a chain job that, every hour, samples each workspace whose
sampling is on and whose last weekly sample is a week old (or that has none).

Like the other schedules, the chain re-enqueues its next run in the transaction of its work,
so exactly one runs however many workers start; `ensure_quality_chain` starts it when none is
pending. Each workspace is sampled in its own transaction: one failing does not hold the rest.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from frontdesk.core.quality.sampling import WINDOW, last_weekly_sample, sample_reviews
from frontdesk.core.quality.settings import read_quality_settings
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.db.outbox import Job, JobStatus

log = logging.getLogger("frontdesk.jobs.quality")

SAMPLE_JOB = "sample_quality_reviews"
SAMPLE_EVERY = timedelta(hours=1)
SAMPLE_CHAIN_LOCK = 7461601


async def sample_quality_reviews(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Sample every workspace that is due, then schedule the next look."""
    async with runtime.database.read_session() as s:
        workspaces = list(await s.execute(select(Workspace.id, Workspace.settings)))
    for workspace_id, settings in workspaces:
        quality = read_quality_settings(settings)
        if not quality.is_sampling_enabled:
            continue
        async with runtime.uow() as uow:
            last = await last_weekly_sample(uow, workspace_id)
            if last is not None and last > uow.now() - WINDOW:
                continue
            sample = await sample_reviews(uow, workspace_id, settings=quality)
            await uow.commit()
        log.info("sampled %s conversations in workspace %s", sample.picked, workspace_id)
    if payload.get("once"):
        return
    async with runtime.uow() as uow:
        uow.enqueue(SAMPLE_JOB, payload, delay=SAMPLE_EVERY)
        await uow.commit()


async def ensure_quality_chain(runtime: Runtime) -> bool:
    """Start the weekly-sample chain unless one is already waiting; True when it started one."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({SAMPLE_CHAIN_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(Job.kind == SAMPLE_JOB, Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]))
            .limit(1)
        )
        if waiting is not None:
            return False
        uow.enqueue(SAMPLE_JOB, {})
        await uow.commit()
        return True
