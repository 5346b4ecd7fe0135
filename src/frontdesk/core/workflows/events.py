"""Workflow run events (to the workspace's supervisors' screens and the run log), and the
conversation's bot handling starting and ending (handover)."""

from __future__ import annotations

from typing import Any

from frontdesk.core.events import define_event, supervisors_key
from frontdesk.core.workflows.models import WorkflowRun, WorkflowStepRun
from frontdesk.db.uow import UnitOfWork

RunStarted = define_event("WorkflowRunStarted", "workflow.run_started")
RunStep = define_event("WorkflowRunStep", "workflow.run_step")
RunWaiting = define_event("WorkflowRunWaiting", "workflow.run_waiting")
RunCompleted = define_event("WorkflowRunCompleted", "workflow.run_completed")
RunFailed = define_event("WorkflowRunFailed", "workflow.run_failed")
RunCancelled = define_event("WorkflowRunCancelled", "workflow.run_cancelled")
# A run took the conversation (bot handling), and handed it over to people.
ConversationBotStarted = define_event("ConversationBotStarted", "conversation.bot_started")
ConversationHandedOver = define_event("ConversationHandedOver", "conversation.handed_over")

RUN_EVENT_TYPES = (
    "workflow.run_started",
    "workflow.run_step",
    "workflow.run_waiting",
    "workflow.run_completed",
    "workflow.run_failed",
    "workflow.run_cancelled",
)


def run_data(run: WorkflowRun) -> dict[str, Any]:
    return {
        "id": str(run.id),
        "workflow_id": str(run.workflow_id),
        "version_id": str(run.version_id),
        "conversation_id": str(run.conversation_id) if run.conversation_id else None,
        "contact_id": str(run.contact_id) if run.contact_id else None,
        "status": run.status,
        "current_step": run.current_step,
        "wait_kind": run.wait_kind,
        "wait_until": run.wait_until.isoformat() if run.wait_until else None,
        "steps_taken": run.steps_taken,
        "is_test": run.is_test,
        "error": run.error,
        "started_at": run.started_at.isoformat(),
        "ended_at": run.ended_at.isoformat() if run.ended_at else None,
    }


def step_data(row: WorkflowStepRun) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "step_id": row.step_id,
        "step_type": row.step_type,
        "status": row.status,
        "outlet": row.outlet,
        "error": row.error,
    }


def emit_run(
    uow: UnitOfWork,
    event: Any,
    run: WorkflowRun,
    step: WorkflowStepRun | None = None,
) -> None:
    data: dict[str, Any] = {"run": run_data(run)}
    if step is not None:
        data["step"] = step_data(step)
    uow.emit(
        event(
            workspace_id=run.workspace_id,
            audience=(supervisors_key(run.workspace_id),),
            data=data,
        )
    )
