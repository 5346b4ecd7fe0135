"""Runs: starting one (once per conversation and workflow), ending, cancelling, retrying a
failed one from its failed step, and sending a conversation back to a workflow's menu.

A run is advanced by `workflow_advance` jobs (advance.py); starting one enqueues its first
advance in the same transaction, so a committed run always has a job to take it on.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.actions import unassign_conversation
from frontdesk.core.conversations.emit import emit_conversation
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.routing import ledger
from frontdesk.core.workflows.definition import Definition
from frontdesk.core.workflows.events import (
    ConversationBotStarted,
    RunCancelled,
    RunCompleted,
    RunFailed,
    RunStarted,
    emit_run,
)
from frontdesk.core.workflows.models import (
    RunStatus,
    StepRunStatus,
    Workflow,
    WorkflowRun,
    WorkflowStatus,
    WorkflowStepRun,
    WorkflowVersion,
)
from frontdesk.core.workflows.steps.base import StepContext
from frontdesk.core.workflows.steps.effects import end_bot_handling
from frontdesk.core.workspaces.models import Role
from frontdesk.db.ids import new_id
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored

ADVANCE_JOB = "workflow_advance"
# Triggers whose runs take the conversation from routing while they run (bot handling).
BOT_TRIGGERS = frozenset({"conversation_opened", "message_received", "redirect"})
TEST_VERSION_NUMBER = 0  # the version row test runs of a draft name (their definition is theirs)


def bot_actor(workspace_id: uuid.UUID) -> Actor:
    """Who a run acts as: the workspace's automation, with a manager's reach and no user."""
    return Actor(workspace_id=workspace_id, role=Role.MANAGER)


def active_key(workflow_id: uuid.UUID, conversation_id: uuid.UUID | None) -> str | None:
    return f"{workflow_id}:{conversation_id}" if conversation_id else None


def enqueue_advance(
    uow: UnitOfWork, run: WorkflowRun, *, wake: str | None = None, run_at: Any = None
) -> None:
    """The job that takes the run on from `steps_taken` (its fence: a stale copy does nothing)."""
    payload: dict[str, Any] = {"run_id": str(run.id), "seq": run.steps_taken}
    if wake:
        payload["wake"] = wake
    uow.enqueue(ADVANCE_JOB, payload, workspace_id=run.workspace_id, run_at=run_at)


async def start_version_run(
    uow: UnitOfWork,
    *,
    workflow: Workflow,
    version: WorkflowVersion,
    trigger: dict[str, Any],
    conversation_id: uuid.UUID | None = None,
    contact_id: uuid.UUID | None = None,
    parent_run_id: uuid.UUID | None = None,
    variables: dict[str, Any] | None = None,
    is_test: bool = False,
    start_step: str | None = None,
) -> WorkflowRun | None:
    """A run of `version`; None when the workflow already runs on this conversation."""
    definition = Definition.model_validate(trigger.get("definition") or version.definition)
    first = start_step or definition.start
    if first is None or first not in {s.id for s in definition.steps}:
        raise Invalid("the workflow has no such step to start at", field="step_id")
    conv = None
    if conversation_id is not None:
        conv = await uow.session.scalar(
            select(Conversation).where(
                Conversation.id == conversation_id,
                Conversation.workspace_id == workflow.workspace_id,
            )
        )
        if conv is None:
            raise Invalid("no such conversation", field="conversation_id")
        contact_id = contact_id or conv.contact_id
    now = uow.now()
    run: WorkflowRun | None = await insert_unless_stored(
        uow.session,
        WorkflowRun,
        {
            "id": new_id(),
            "workspace_id": workflow.workspace_id,
            "workflow_id": workflow.id,
            "version_id": version.id,
            "conversation_id": conversation_id,
            "contact_id": contact_id,
            "parent_run_id": parent_run_id,
            "status": RunStatus.RUNNING,
            "active_key": None if is_test else active_key(workflow.id, conversation_id),
            "current_step": first,
            "variables": dict(variables or {}),
            "trigger": trigger,
            "steps_taken": 0,
            "is_test": is_test,
            "started_at": now,
            "updated_at": now,
        },
        ("active_key",),
        WorkflowRun,
    )
    if run is None:
        return None
    if conv is not None and not is_test and trigger.get("type") in BOT_TRIGGERS:
        await take_conversation(uow, run, conv)
    enqueue_advance(uow, run)
    emit_run(uow, RunStarted, run)
    return run


async def take_conversation(uow: UnitOfWork, run: WorkflowRun, conv: Conversation) -> bool:
    """Bot handling: routing leaves the conversation alone while the run has it. A
    conversation people already have (assigned) or another run holds is not taken."""
    if conv.status == ConversationStatus.CLOSED or conv.assignee_id is not None:
        return False
    if conv.bot_run_id is not None and conv.bot_run_id != run.id:
        holder = await uow.session.get(WorkflowRun, conv.bot_run_id)
        if holder is not None and holder.status in RunStatus.ACTIVE:
            return False
    conv.bot_run_id = run.id
    ledger.leave_queue(conv)
    await emit_conversation(
        uow,
        ConversationBotStarted,
        conv,
        change={"run_id": str(run.id), "workflow_id": str(run.workflow_id)},
    )
    return True


async def start_run(
    uow: UnitOfWork,
    *,
    workflow: Workflow,
    trigger: dict[str, Any],
    conversation_id: uuid.UUID | None = None,
    contact_id: uuid.UUID | None = None,
    parent_run_id: uuid.UUID | None = None,
    variables: dict[str, Any] | None = None,
    is_test: bool = False,
) -> WorkflowRun | None:
    """A run of the workflow's published version (None when one is already active for this
    workflow and conversation: the unique `active_key` decides, also under races)."""
    if workflow.published_version_id is None:
        raise Invalid("the workflow has no published version", field="workflow_id")
    version = await uow.session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.id == workflow.published_version_id,
            WorkflowVersion.workspace_id == workflow.workspace_id,
        )
    )
    if version is None:
        raise Invalid("the workflow has no published version", field="workflow_id")
    return await start_version_run(
        uow,
        workflow=workflow,
        version=version,
        trigger=trigger,
        conversation_id=conversation_id,
        contact_id=contact_id,
        parent_run_id=parent_run_id,
        variables=variables,
        is_test=is_test,
    )


async def _test_version(uow: UnitOfWork, workflow: Workflow, definition: Definition) -> Any:
    version = await uow.session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow.id,
            WorkflowVersion.number == TEST_VERSION_NUMBER,
        )
    )
    if version is None:
        version = WorkflowVersion(
            id=new_id(),
            workspace_id=workflow.workspace_id,
            workflow_id=workflow.id,
            number=TEST_VERSION_NUMBER,
            definition={"trigger": definition.trigger.model_dump(), "start": None, "steps": []},
            trigger_type=definition.trigger.type,
            note="test runs of the draft",
            published_at=uow.now(),
        )
        uow.session.add(version)
        await uow.session.flush()
    return version


async def start_definition_test(
    uow: UnitOfWork,
    *,
    workflow: Workflow,
    definition: dict[str, Any],
    contact_id: uuid.UUID | None,
    variables: dict[str, Any] | None = None,
) -> WorkflowRun:
    """A test run of a definition (a draft) against a sample contact, without a conversation:
    nothing is sent to a provider, nothing is written to the contact (the step rows say what
    would have been)."""
    parsed = Definition.model_validate(definition)
    version = await _test_version(uow, workflow, parsed)
    trigger = {"type": "test", "definition": parsed.model_dump(mode="json")}
    run = await start_version_run(
        uow,
        workflow=workflow,
        version=version,
        trigger=trigger,
        contact_id=contact_id,
        variables=variables,
        is_test=True,
    )
    if run is None:  # pragma: no cover - test runs have no active key
        raise Conflict("the test run could not start")
    return run


async def start_child(
    ctx: StepContext, workflow_id: uuid.UUID, variables: dict[str, Any]
) -> WorkflowRun | None:
    """A `start_workflow` step: another active workflow whose trigger is "workflow"."""
    workflow = await ctx.uow.session.scalar(
        select(Workflow).where(
            Workflow.id == workflow_id,
            Workflow.workspace_id == ctx.run.workspace_id,
            Workflow.status == WorkflowStatus.ACTIVE,
            Workflow.trigger_type == "workflow",
        )
    )
    if workflow is None:
        from frontdesk.core.workflows.steps.base import StepFailed

        raise StepFailed("no active workflow started by other workflows has this id")
    if ctx.is_test:
        return None
    return await start_run(
        ctx.uow,
        workflow=workflow,
        trigger={"type": "workflow", "parent_run_id": str(ctx.run.id)},
        conversation_id=ctx.run.conversation_id,
        contact_id=ctx.run.contact_id,
        parent_run_id=ctx.run.id,
        variables=variables,
    )


async def finish_run(
    uow: UnitOfWork, run: WorkflowRun, status: str, *, error: str | None = None, why: str = ""
) -> None:
    """End the run: its active key is freed, and a conversation it held goes to people."""
    now = uow.now()
    run.status, run.error, run.active_key = status, error, None
    run.wait_kind = run.wait_until = None
    run.updated_at = now
    run.ended_at = now
    if status == RunStatus.COMPLETED:
        run.current_step = None
    if run.conversation_id is not None and not run.is_test:
        conv = await uow.session.get(Conversation, run.conversation_id)
        await end_bot_handling(uow, run, conv, why or status)
    event = {RunStatus.COMPLETED: RunCompleted, RunStatus.FAILED: RunFailed}.get(
        status, RunCancelled
    )
    emit_run(uow, event, run)


async def cancel_run(uow: UnitOfWork, run: WorkflowRun, actor: Actor, reason: str) -> None:
    """Stop a running or waiting run; its pending jobs find it ended and do nothing."""
    actor.require_writer()
    if run.status not in RunStatus.ACTIVE:
        raise Conflict("only a running or waiting run can be cancelled")
    await finish_run(uow, run, RunStatus.CANCELLED, error=reason or "cancelled", why="cancelled")


async def retry_run(uow: UnitOfWork, run: WorkflowRun, actor: Actor) -> WorkflowRun:
    """A failed run goes on from its failed step, with that step's idempotency key."""
    actor.require_writer()
    if run.status != RunStatus.FAILED:
        raise Conflict("only a failed run can be retried")
    key = None if run.is_test else active_key(run.workflow_id, run.conversation_id)
    if key is not None:
        other = await uow.session.scalar(
            select(WorkflowRun.id).where(WorkflowRun.active_key == key, WorkflowRun.id != run.id)
        )
        if other is not None:
            raise Conflict("another run of this workflow is active on this conversation")
    failed = await uow.session.scalar(
        select(WorkflowStepRun).where(
            WorkflowStepRun.run_id == run.id, WorkflowStepRun.seq == run.steps_taken + 1
        )
    )
    if failed is not None and failed.status == StepRunStatus.FAILED:
        run.current_step = failed.step_id
    run.status, run.error, run.active_key, run.ended_at = RunStatus.RUNNING, None, key, None
    run.updated_at = uow.now()
    enqueue_advance(uow, run)
    emit_run(uow, RunStarted, run)
    return run


async def redirect_to_step(
    uow: UnitOfWork,
    *,
    conversation: Conversation,
    workflow: Workflow,
    step_id: str | None,
    actor: Actor,
) -> WorkflowRun:
    """Send the conversation back to the workflow (its start, or `step_id`): its active run
    of that workflow ends, people let go of it, and a new run has it (bot handling)."""
    actor.require_writer()
    key = active_key(workflow.id, conversation.id)
    current = await uow.session.scalar(select(WorkflowRun).where(WorkflowRun.active_key == key))
    if current is not None:
        await finish_run(uow, current, RunStatus.CANCELLED, error="redirected", why="redirected")
    if conversation.assignee_id is not None:
        await unassign_conversation(uow, actor, conversation)
    await uow.session.flush()
    if workflow.published_version_id is None:
        raise Invalid("the workflow has no published version", field="workflow_id")
    version = await uow.session.get(WorkflowVersion, workflow.published_version_id)
    if version is None:
        raise Invalid("the workflow has no published version", field="workflow_id")
    trigger = {"type": "redirect", "user_id": str(actor.user_id) if actor.user_id else None}
    run = await start_version_run(
        uow,
        workflow=workflow,
        version=version,
        trigger=trigger,
        conversation_id=conversation.id,
        contact_id=conversation.contact_id,
        start_step=step_id,
    )
    if run is None:  # pragma: no cover - the active run was ended just above
        raise Conflict("the workflow is already running on this conversation")
    return run
