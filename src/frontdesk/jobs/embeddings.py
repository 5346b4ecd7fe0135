"""The embeddings job: a chain that, every few seconds, embeds the conversations that got new
customer messages and the canned responses that changed, in the workspaces that turned
similar conversations on.

Like the other chains it enqueues its next run in the transaction of its last step, so exactly
one runs however many processes start; `ensure_embedding_chain` starts it when none is waiting.
Each batch is its own transaction; the model runs in a worker thread (core/similarity/encoder).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from frontdesk.core.runtime import Runtime
from frontdesk.core.similarity.actions import BATCH_SIZE, embed_pending, enabled_workspaces
from frontdesk.db.outbox import Job, JobStatus

log = logging.getLogger("frontdesk.jobs.embeddings")

EMBED_JOB = "embed_conversations"
EMBED_EVERY = timedelta(seconds=5)
EMBED_CHAIN_LOCK = 7461629
MAX_BATCHES = 20


async def embed_conversations(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Batches until nothing is stale (or `MAX_BATCHES`), then the next run.

    `{"once": true}` runs the batches without scheduling another run (the demo, tests);
    `{"max_batches": n, "batch_size": m}` stops after n batches of m.
    """
    async with runtime.database.read_session() as s:
        workspace_ids = await enabled_workspaces(s)
    finished = not workspace_ids
    batches = int(payload.get("max_batches", MAX_BATCHES))
    size = int(payload.get("batch_size", BATCH_SIZE))
    for _ in range(batches if workspace_ids else 0):
        async with runtime.uow() as uow:
            progress = await embed_pending(uow, workspace_ids, batch_size=size)
            await uow.commit()
        if progress.total:
            log.info(
                "embedded %s conversations and %s canned responses",
                progress.conversations,
                progress.canned_responses,
            )
        if progress.conversations < size and progress.canned_responses < size:
            finished = True
            break
    if payload.get("once"):
        return
    async with runtime.uow() as uow:
        uow.enqueue(EMBED_JOB, payload, delay=EMBED_EVERY if finished else None)
        await uow.commit()


async def ensure_embedding_chain(runtime: Runtime) -> bool:
    """Start the embeddings chain unless one is already waiting; True when it started one."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({EMBED_CHAIN_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(Job.kind == EMBED_JOB, Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]))
            .limit(1)
        )
        if waiting is not None:
            return False
        uow.enqueue(EMBED_JOB, {})
        await uow.commit()
        return True
