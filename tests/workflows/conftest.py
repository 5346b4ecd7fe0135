"""Workflow engine tests: workflows published as rows (the API has its own tests), runs
driven by the real job runner, time moved by the frozen clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.models import (
    Workflow,
    WorkflowRun,
    WorkflowStatus,
    WorkflowStepRun,
    WorkflowVersion,
)
from frontdesk.core.workflows.runs import start_run
from frontdesk.db.outbox import Job
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from frontdesk.jobs.workflows import dispatch_workflow_triggers
from tests.conftest import World
from tests.factories import Factory


def step(
    step_id: str, type_: str, config: dict[str, Any] | None = None, **next_: str
) -> dict[str, Any]:
    return {"id": step_id, "type": type_, "config": config or {}, "next": next_}


def definition(
    steps: list[dict[str, Any]], trigger: str = "shortcut", **trigger_config: Any
) -> dict[str, Any]:
    return {
        "trigger": {"type": trigger, "config": trigger_config},
        "start": steps[0]["id"],
        "steps": steps,
    }


async def publish(
    runtime: Runtime,
    world: World,
    body: dict[str, Any],
    *,
    workflow_id: uuid.UUID | None = None,
    name: str = "Flow",
) -> Workflow:
    """A workflow whose published version (the next number) is `body`; active."""
    now = runtime.clock.now()
    async with runtime.database.write_session() as s:
        workflow = await s.get(Workflow, workflow_id) if workflow_id else None
        if workflow is None:
            workflow = Workflow(
                workspace_id=world.acme.id,
                name=name,
                draft=body,
                status=WorkflowStatus.ACTIVE,
                created_at=now,
                updated_at=now,
            )
            s.add(workflow)
            await s.flush()
        number = (
            await s.scalar(
                select(func.max(WorkflowVersion.number)).where(
                    WorkflowVersion.workflow_id == workflow.id
                )
            )
            or 0
        ) + 1
        version = WorkflowVersion(
            workspace_id=world.acme.id,
            workflow_id=workflow.id,
            number=number,
            definition=body,
            trigger_type=body["trigger"]["type"],
            published_at=now,
        )
        s.add(version)
        await s.flush()
        workflow.draft = body
        workflow.published_version_id = version.id
        workflow.trigger_type = body["trigger"]["type"]
        workflow.status = WorkflowStatus.ACTIVE
        await s.commit()
        return workflow


async def start(
    runtime: Runtime, workflow: Workflow, conversation_id: uuid.UUID | None
) -> WorkflowRun | None:
    async with runtime.uow() as uow:
        run = await start_run(
            uow, workflow=workflow, trigger={"type": "shortcut"}, conversation_id=conversation_id
        )
        await uow.commit()
        return run


async def run_jobs(runtime: Runtime, rounds: int = 20) -> int:
    """Run due jobs until none is left; returns how many ran."""
    ran = 0
    for _ in range(rounds):
        done = await JobRunner(runtime, build_registry(), worker_id="test").run_once()
        ran += done
        if not done:
            break
    return ran


async def dispatch(runtime: Runtime) -> None:
    """One turn of the trigger dispatcher, then the jobs it made due."""
    await dispatch_workflow_triggers(runtime, {})
    await run_jobs(runtime)


def later(clock: FrozenClock, minutes: float) -> None:
    clock.advance(minutes=minutes)


async def the_run(runtime: Runtime, run_id: uuid.UUID) -> WorkflowRun:
    async with runtime.database.read_session() as db:
        return await db.get_one(WorkflowRun, run_id)


async def runs_of(runtime: Runtime, workflow_id: uuid.UUID) -> list[WorkflowRun]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(WorkflowRun)
            .where(WorkflowRun.workflow_id == workflow_id)
            .order_by(WorkflowRun.started_at)
        )
        return list(rows)


async def steps_of(runtime: Runtime, run_id: uuid.UUID) -> list[WorkflowStepRun]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(WorkflowStepRun)
            .where(WorkflowStepRun.run_id == run_id)
            .order_by(WorkflowStepRun.seq)
        )
        return list(rows)


def trail(rows: list[WorkflowStepRun]) -> list[tuple[str, str, str | None]]:
    return [(r.step_id, r.status, r.outlet) for r in rows]


async def bot_messages(runtime: Runtime, conversation_id: uuid.UUID) -> list[Message]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.sender_type == "bot")
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)


async def jobs_of(runtime: Runtime, kind: str) -> list[Job]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(Job).where(Job.kind == kind).order_by(Job.id)))


@dataclass
class Chat:
    """A website chat (no provider: a bot's message is sent when committed)."""

    channel_id: uuid.UUID
    conversation_id: uuid.UUID
    contact_id: uuid.UUID


async def webchat(runtime: Runtime, world: World, *, team: str | None = None) -> Chat:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        channel = await f.channel(world.acme.workspace, "webchat", "Site chat")
        contact = await f.contact(world.acme.workspace, "Gabi", channel=channel, provider_id="v1")
        conv = await f.conversation(
            world.acme.workspace,
            channel,
            contact,
            team=world.acme.teams[team] if team else None,
            body="Olá",
        )
        await s.commit()
        return Chat(channel.id, conv.id, contact.id)


async def conversation(runtime: Runtime, conversation_id: uuid.UUID) -> Conversation:
    async with runtime.database.read_session() as db:
        return await db.get_one(Conversation, conversation_id)
