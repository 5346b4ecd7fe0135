"""REST API v1: workflow runs (each with its steps), retrying and cancelling them, the run log
of a conversation, and running a shortcut workflow on a conversation.

Supervisors read every run; an agent reads the runs of the conversations they can see and runs
shortcuts there. Owners and managers retry and cancel.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from frontdesk.core.workflows import runs
from frontdesk.core.workflows.models import RunStatus
from frontdesk.core.workflows.queries import access_run, list_conversation_runs, run_detail
from frontdesk.core.workflows.schemas import (
    RunCancel,
    RunDetailRead,
    RunPage,
    ShortcutRunCreate,
)
from frontdesk.core.workflows.triggers import run_shortcut

router = APIRouter()
conversations_router = APIRouter()


@router.get("/{run_id}")
async def read_run(run_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> RunDetailRead:
    """The run with every step it took: input, output, time and error."""
    return await run_detail(db, await access_run(db, actor, run_id))


@router.post("/{run_id}/retry", status_code=201, responses=error_responses(409))
async def retry_run(run_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> RunDetailRead:
    """A failed run goes on from the step that failed."""
    actor.require_admin()
    run = await access_run(uow.session, actor, run_id, for_update=True)
    if run.status != RunStatus.FAILED:
        raise Conflict("only a failed run can be retried")
    retried = await runs.retry_run(uow, run, actor)
    record_audit(uow, actor, "workflow_run.retried", "workflow_run", run.id)
    await uow.session.flush()
    read = await run_detail(uow.session, retried)
    await uow.commit()
    return read


@router.post("/{run_id}/cancel", responses=error_responses(409))
async def cancel_run(
    run_id: uuid.UUID, data: RunCancel, actor: ActorDep, uow: UowDep
) -> RunDetailRead:
    """A running or waiting run stops where it is."""
    actor.require_admin()
    run = await access_run(uow.session, actor, run_id, for_update=True)
    if run.status not in RunStatus.ACTIVE:
        raise Conflict("only a running or waiting run can be cancelled")
    await runs.cancel_run(uow, run, actor, data.reason)
    record_audit(uow, actor, "workflow_run.cancelled", "workflow_run", run.id, reason=data.reason)
    await uow.session.flush()
    read = await run_detail(uow.session, run)
    await uow.commit()
    return read


@conversations_router.get("/{conversation_id}/workflow-runs")
async def read_conversation_runs(
    conversation_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> RunPage:
    """The conversation's run log, newest first (to whoever can see the conversation)."""
    return await list_conversation_runs(db, actor, conversation_id, limit=limit, cursor=cursor)


@conversations_router.post(
    "/{conversation_id}/shortcuts", status_code=201, responses=error_responses(409)
)
async def run_conversation_shortcut(
    conversation_id: uuid.UUID, data: ShortcutRunCreate, actor: ActorDep, uow: UowDep
) -> RunDetailRead:
    """Run a shortcut workflow on the conversation; 409 while it already runs there."""
    run = await run_shortcut(uow, actor, conversation_id, data.workflow_id)
    await uow.session.flush()
    read = await run_detail(uow.session, run)
    await uow.commit()
    return read
