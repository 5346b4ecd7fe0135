"""Workflow jobs: advancing a run (`workflow_advance`), and the trigger dispatcher's chain
(`workflow_dispatch`), which reads the event log every couple of seconds like the SLA chain.

The HTTP request step's calls are made here (core has no HTTP client): httpx, with the step's
timeout, the `Idempotency-Key` header, and private, loopback and link-local addresses refused
unless `FRONTDESK_WORKFLOW_HTTP_ALLOW_PRIVATE=1` (tests and self-hosted setups that call their
own intranet set it; see docs/subsystems/workflows.md).
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select, text

from frontdesk.channels import addresses
from frontdesk.channels.http_client import http_client
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.advance import advance_run, fail, lock_run
from frontdesk.core.workflows.dispatch import BATCH_SIZE, dispatch_events, start_cursor
from frontdesk.core.workflows.models import RunStatus
from frontdesk.core.workflows.runs import ADVANCE_JOB
from frontdesk.core.workflows.steps.http import HttpAnswer, HttpCall
from frontdesk.db.outbox import Job, JobStatus

log = logging.getLogger("frontdesk.jobs.workflows")

DISPATCH_JOB = "workflow_dispatch"
DISPATCH_EVERY = timedelta(seconds=2)
DISPATCH_LOCK = 7461541
MAX_STEPS = 50
ALLOW_PRIVATE_ENV = "FRONTDESK_WORKFLOW_HTTP_ALLOW_PRIVATE"
MAX_RESPONSE_BYTES = 1024 * 1024

__all__ = [
    "ADVANCE_JOB",
    "DISPATCH_JOB",
    "advance_workflow_run",
    "dispatch_workflow_triggers",
    "give_up_workflow_run",
]


def allow_private() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "").lower() in ("1", "true", "yes")


async def blocked_reason(url: str) -> str | None:
    """Why the URL may not be called: a private, loopback or link-local target (the server's
    own network), unless allowed; None when it may."""
    return await addresses.blocked_reason(url, allow_private=allow_private())


async def call_http(call: HttpCall) -> HttpAnswer:
    blocked = await blocked_reason(call.url)
    if blocked:
        return HttpAnswer(failure="blocked", detail=blocked)
    try:
        async with http_client(timeout=call.timeout_seconds) as http:
            response = await http.request(
                call.method,
                call.url,
                headers=call.headers,
                json=call.body if call.body is not None else None,
            )
    except httpx.TimeoutException:
        return HttpAnswer(failure="timeout", detail="the request timed out")
    except httpx.HTTPError as exc:
        return HttpAnswer(failure="error", detail=f"{type(exc).__name__}: {exc}")
    body: Any = None
    if len(response.content) <= MAX_RESPONSE_BYTES:
        try:
            body = response.json()
        except ValueError:
            body = None
    return HttpAnswer(status=response.status_code, json=body)


async def advance_workflow_run(runtime: Runtime, payload: dict[str, Any]) -> None:
    await advance_run(
        runtime.uow,
        uuid.UUID(payload["run_id"]),
        int(payload["seq"]),
        http=call_http,
        wake_kind=payload.get("wake"),
    )


async def give_up_workflow_run(runtime: Runtime, payload: dict[str, Any], error: str) -> None:
    """The advance job failed for good (not a step: the engine itself): the run fails where it
    stood, so it shows in the run log and can be retried, instead of staying "running"."""
    async with runtime.uow() as uow:
        run = await lock_run(uow, uuid.UUID(payload["run_id"]))
        if run is None or run.status not in RunStatus.ACTIVE:
            return
        if run.steps_taken != int(payload["seq"]):
            return
        await fail(uow, run, f"the engine gave up on this step: {error}")
        await uow.commit()


async def dispatch_workflow_triggers(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Batches until the log is read, then the next run of the chain."""
    for _ in range(MAX_STEPS):
        async with runtime.uow() as uow:
            progress = await dispatch_events(uow)
            done = progress.events_read < BATCH_SIZE
            if done:
                uow.enqueue(DISPATCH_JOB, payload, delay=DISPATCH_EVERY)
            await uow.commit()
        if progress.started or progress.replies:
            log.info("workflows: %s runs started, %s replies", progress.started, progress.replies)
        if done:
            return
    async with runtime.uow() as uow:
        uow.enqueue(DISPATCH_JOB, payload)
        await uow.commit()


async def ensure_workflow_chain(runtime: Runtime) -> bool:
    """Start the dispatcher chain unless one is already waiting; True when it started one."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({DISPATCH_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(
                Job.kind == DISPATCH_JOB,
                Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]),
            )
            .limit(1)
        )
        if waiting is not None:
            return False
        await start_cursor(uow)
        uow.enqueue(DISPATCH_JOB, {})
        await uow.commit()
        return True
