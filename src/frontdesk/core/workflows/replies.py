"""A customer's message answering the question a run waits on.

The dispatcher offers each inbound message first to the conversation's runs waiting for a
reply; a run that takes it checks the answer, saves it and moves on (or asks again), and the
message starts no new run.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from frontdesk.core.workflows.advance import (
    apply_outcome,
    context_for,
    definition_of,
    fail,
    lock_run,
)
from frontdesk.core.workflows.events import RunWaiting, emit_run
from frontdesk.core.workflows.models import RunStatus, WorkflowRun, WorkflowStepRun
from frontdesk.core.workflows.runs import enqueue_advance
from frontdesk.core.workflows.steps.base import StepFailed
from frontdesk.core.workflows.steps.messages import AskQuestionConfig, answer_question
from frontdesk.db.uow import UnitOfWork


async def waiting_runs(
    uow: UnitOfWork, workspace_id: uuid.UUID, conversation_id: uuid.UUID
) -> list[uuid.UUID]:
    return list(
        await uow.session.scalars(
            select(WorkflowRun.id)
            .where(
                WorkflowRun.workspace_id == workspace_id,
                WorkflowRun.conversation_id == conversation_id,
                WorkflowRun.status == RunStatus.WAITING,
                WorkflowRun.wait_kind == "reply",
            )
            .order_by(WorkflowRun.started_at)
        )
    )


def _choice_id(message: dict[str, Any]) -> str | None:
    payload = message.get("payload") or {}
    choice = payload.get("choice") if isinstance(payload, dict) else None
    if isinstance(choice, dict) and choice.get("id") is not None:
        return str(choice["id"])
    return None


async def deliver_reply(uow: UnitOfWork, run_id: uuid.UUID, message: dict[str, Any]) -> bool:
    """Give the message to the run if it still waits for a reply; True when it took it."""
    run = await lock_run(uow, run_id)
    if run is None or run.status != RunStatus.WAITING or run.wait_kind != "reply":
        return False
    row = await uow.session.scalar(
        select(WorkflowStepRun).where(
            WorkflowStepRun.run_id == run.id, WorkflowStepRun.seq == run.steps_taken
        )
    )
    definition = await definition_of(uow, run)
    step = next((s for s in definition.steps if s.id == run.current_step), None)
    if row is None or step is None or step.type != "ask_question":
        await fail(uow, run, "the question the run waited on is gone")
        return True
    text = str(message.get("body") or "")
    run.variables = {**run.variables, "_message": text}
    ctx = await context_for(uow, run, definition, step, run.steps_taken)
    attempt = int(row.output.get("attempts", 0)) + 1
    try:
        config = AskQuestionConfig.model_validate(step.config)
        file = {"id": message.get("id"), "kind": message.get("kind")}
        outcome = await answer_question(ctx, config, text, _choice_id(message), attempt, file=file)
    except (StepFailed, ValidationError) as exc:
        await fail(uow, run, f"step {step.id!r}: {exc}")
        return True
    if outcome is None:  # asked again
        row.output = {**row.output, "attempts": attempt, f"invalid_{attempt}": text}
        emit_run(uow, RunWaiting, run, row)
        return True
    run.status, run.wait_kind, run.wait_until = RunStatus.RUNNING, None, None
    await apply_outcome(uow, ctx, row, outcome)
    if run.status == RunStatus.RUNNING:
        enqueue_advance(uow, run)
    return True
