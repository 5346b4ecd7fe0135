"""Routing jobs: route a conversation, drain queues when capacity appears, the periodic sweep."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import select, text

from frontdesk.core.routing import engine
from frontdesk.core.routing.ledger import DRAIN_JOB, ROUTE_JOB
from frontdesk.core.routing.sweep import (
    SWEEP_EVERY,
    SWEEP_JOB,
    sweep_workspace,
    workspaces_to_sweep,
)
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job, JobStatus

log = logging.getLogger("frontdesk.jobs.routing")
SWEEP_LOCK = 7461526

__all__ = ["DRAIN_JOB", "ROUTE_JOB", "SWEEP_JOB", "drain_queues", "route_conversation", "sweep"]


async def route_conversation(runtime: Runtime, payload: dict[str, Any]) -> None:
    async with runtime.uow() as uow:
        outcome = await engine.route_by_id(
            uow, uuid.UUID(payload["workspace_id"]), uuid.UUID(payload["conversation_id"])
        )
        await uow.commit()
    log.debug("routed %s: %s", payload["conversation_id"], outcome)


async def drain_queues(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Capacity appeared for an agent (or in given teams): hand queued conversations out."""
    workspace_id = uuid.UUID(payload["workspace_id"])
    async with runtime.uow() as uow:
        team_ids = [uuid.UUID(t) for t in payload.get("team_ids", [])]
        if user_id := payload.get("user_id"):
            team_ids += await engine.teams_of(uow.session, workspace_id, uuid.UUID(user_id))
        for team_id in dict.fromkeys(team_ids):
            await engine.drain(uow, workspace_id, team_id)
        await uow.commit()


async def sweep(runtime: Runtime, payload: dict[str, Any]) -> None:
    """The safety net: auto-offline, timeouts, draining, queue notices; then the next run."""
    async with runtime.uow() as uow:
        workspace_ids = await workspaces_to_sweep(uow)
    for workspace_id in workspace_ids:
        async with runtime.uow() as uow:
            report = await sweep_workspace(uow, workspace_id)
            await uow.commit()
        if report.offline or report.released or report.assigned:
            log.info("routing sweep %s: %s", workspace_id, report)
    async with runtime.uow() as uow:
        uow.enqueue(SWEEP_JOB, payload, delay=SWEEP_EVERY)
        await uow.commit()


async def ensure_sweep(runtime: Runtime) -> bool:
    """Start the sweep chain unless one is already waiting; True when it started one."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({SWEEP_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(Job.kind == SWEEP_JOB, Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]))
            .limit(1)
        )
        if waiting is not None:
            return False
        uow.enqueue(SWEEP_JOB, {})
        await uow.commit()
        return True
