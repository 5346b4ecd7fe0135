"""Editing workflows: the draft, its checks, publishing immutable versions, rollback, and the
workflow's life (pause, resume, archive, delete).

Every change moves the workflow's `version` with a guarded UPDATE (`... WHERE version = n`),
so of two editors saving the same draft the second gets a conflict, never a silent overwrite.
A published version is never changed: publishing and rolling back both write a new one.
"""

from __future__ import annotations

import secrets as random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select, update

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.events import define_event, workspace_key
from frontdesk.core.workflows import steps
from frontdesk.core.workflows.definition import Definition, Problem, graph_problems
from frontdesk.core.workflows.models import Workflow, WorkflowRun, WorkflowStatus, WorkflowVersion
from frontdesk.core.workflows.queries import workflow_summary
from frontdesk.core.workflows.schemas import WorkflowCreate, WorkflowUpdate
from frontdesk.core.workflows.triggers import next_fire_time, trigger_problems
from frontdesk.db.uow import UnitOfWork

WorkflowChanged = define_event("WorkflowChanged", "workflow.changed")


@dataclass(frozen=True)
class Published:
    version: WorkflowVersion
    # Whether this publish made the webhook secret (the API then shows it, this once).
    new_webhook_seed: bool


def blank_definition() -> dict[str, Any]:
    return {"trigger": {"type": "shortcut", "config": {}}, "start": None, "steps": []}


def definition_problems(definition: Definition) -> list[Problem]:
    """Everything that keeps a definition from being published: the graph, the trigger's
    settings and each step's settings."""
    problems = graph_problems(definition) + trigger_problems(definition.trigger)
    problems.extend(steps.config_problems(definition))
    return problems


async def _emit(uow: UnitOfWork, actor: Actor, workflow: Workflow, change: str) -> None:
    current = (
        await uow.session.get(WorkflowVersion, workflow.published_version_id)
        if workflow.published_version_id
        else None
    )
    summary = workflow_summary(workflow, current)
    summary.has_unpublished_changes = current is None or current.definition != workflow.draft
    uow.emit(
        WorkflowChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"workflow": summary.model_dump(mode="json"), "change": change},
        )
    )


async def _bump(uow: UnitOfWork, workflow: Workflow, expected: int | None = None) -> None:
    """Move the workflow's version on, refusing when it moved since `expected` (or since it
    was read)."""
    seen = workflow.version if expected is None else expected
    result = await uow.session.execute(
        update(Workflow)
        .where(Workflow.id == workflow.id, Workflow.version == seen)
        .values(version=seen + 1, updated_at=uow.now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            "the workflow was changed by someone else: reload it",
            details={"field": "version"},
        )
    workflow.version = seen + 1
    workflow.updated_at = uow.now()


async def create_workflow(uow: UnitOfWork, actor: Actor, data: WorkflowCreate) -> Workflow:
    actor.require_admin()
    now = uow.now()
    draft = data.definition.model_dump(mode="json") if data.definition else blank_definition()
    workflow = Workflow(
        workspace_id=actor.workspace_id,
        name=data.name,
        description=data.description,
        status=WorkflowStatus.DRAFT,
        template=data.template,
        draft=draft,
        created_at=now,
        created_by_id=actor.user_id,
        updated_at=now,
        version=1,
    )
    uow.session.add(workflow)
    await uow.session.flush()
    record_audit(uow, actor, "workflow.created", "workflow", workflow.id, name=workflow.name)
    await _emit(uow, actor, workflow, "created")
    return workflow


async def save_draft(
    uow: UnitOfWork, actor: Actor, workflow: Workflow, data: WorkflowUpdate
) -> Workflow:
    """The name, description and draft sent replace the workflow's; nothing is published."""
    actor.require_admin()
    if workflow.status == WorkflowStatus.ARCHIVED:
        raise Conflict("the workflow is archived: unarchive it to edit it")
    await _bump(uow, workflow, data.version)
    changed = []
    if data.name is not None and data.name != workflow.name:
        workflow.name = data.name
        changed.append("name")
    if data.description is not None and data.description != workflow.description:
        workflow.description = data.description
        changed.append("description")
    if data.draft is not None:
        draft = data.draft.model_dump(mode="json")
        if draft != workflow.draft:
            workflow.draft = draft
            changed.append("draft")
    record_audit(
        uow, actor, "workflow.updated", "workflow", workflow.id, name=workflow.name, fields=changed
    )
    await _emit(uow, actor, workflow, "updated")
    return workflow


async def _next_number(uow: UnitOfWork, workflow: Workflow) -> int:
    last = await uow.session.scalar(
        select(func.max(WorkflowVersion.number)).where(WorkflowVersion.workflow_id == workflow.id)
    )
    return int(last or 0) + 1


def _schedule(uow: UnitOfWork, workflow: Workflow, definition: Definition) -> None:
    """When the schedule next fires (from now), or none when it does not run on one."""
    if workflow.status == WorkflowStatus.ACTIVE and definition.trigger.type == "schedule":
        workflow.next_fire_at = next_fire_time(definition.trigger.config, uow.now())
    else:
        workflow.next_fire_at = None


async def publish_workflow(
    uow: UnitOfWork, actor: Actor, workflow: Workflow, note: str = "", *, action: str = "published"
) -> Published:
    """The draft becomes version n+1 and the one the trigger runs; refused with its problems."""
    actor.require_admin()
    if workflow.status == WorkflowStatus.ARCHIVED:
        raise Conflict("the workflow is archived: unarchive it to publish it")
    definition = Definition.model_validate(workflow.draft)
    problems = definition_problems(definition)
    if problems:
        raise Invalid(
            "the workflow has problems to fix before it is published",
            field="draft",
            problems=[p.model_dump() for p in problems],
        )
    await _bump(uow, workflow)
    version = WorkflowVersion(
        workspace_id=workflow.workspace_id,
        workflow_id=workflow.id,
        number=await _next_number(uow, workflow),
        definition=definition.model_dump(mode="json"),
        trigger_type=definition.trigger.type,
        note=note,
        published_at=uow.now(),
        published_by_id=actor.user_id,
    )
    uow.session.add(version)
    await uow.session.flush()
    workflow.published_version_id = version.id
    workflow.trigger_type = definition.trigger.type
    workflow.status = WorkflowStatus.ACTIVE
    new_seed = False
    if definition.trigger.type == "webhook" and workflow.webhook_token is None:
        workflow.webhook_token = random.token_urlsafe(24)
        workflow.webhook_secret = random.token_urlsafe(24)
        new_seed = True
    _schedule(uow, workflow, definition)
    record_audit(
        uow,
        actor,
        f"workflow.{action}",
        "workflow",
        workflow.id,
        name=workflow.name,
        number=version.number,
    )
    await _emit(uow, actor, workflow, action)
    return Published(version=version, new_webhook_seed=new_seed)


async def rollback_workflow(
    uow: UnitOfWork, actor: Actor, workflow: Workflow, number: int, note: str = ""
) -> Published:
    """Version `number`'s definition becomes the draft and is published as a new version."""
    actor.require_admin()
    chosen = await uow.session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow.id, WorkflowVersion.number == number
        )
    )
    if chosen is None:
        raise Invalid("the workflow has no such version", field="number")
    workflow.draft = dict(chosen.definition)
    return await publish_workflow(
        uow, actor, workflow, note or f"rolled back to version {number}", action="rolled_back"
    )


async def _current_definition(uow: UnitOfWork, workflow: Workflow) -> Definition | None:
    if workflow.published_version_id is None:
        return None
    version = await uow.session.get(WorkflowVersion, workflow.published_version_id)
    return Definition.model_validate(version.definition) if version is not None else None


async def _move(
    uow: UnitOfWork,
    actor: Actor,
    workflow: Workflow,
    *,
    allowed: tuple[str, ...],
    to: str,
    why: str,
    change: str,
) -> Workflow:
    actor.require_admin()
    if workflow.status not in allowed:
        raise Conflict(why)
    await _bump(uow, workflow)
    workflow.status = to
    workflow.archived_at = uow.now() if to == WorkflowStatus.ARCHIVED else None
    definition = await _current_definition(uow, workflow)
    if definition is not None:
        _schedule(uow, workflow, definition)
    record_audit(uow, actor, f"workflow.{change}", "workflow", workflow.id, name=workflow.name)
    await _emit(uow, actor, workflow, change)
    return workflow


async def pause_workflow(uow: UnitOfWork, actor: Actor, workflow: Workflow) -> Workflow:
    """Its trigger starts no new run; runs already going carry on."""
    return await _move(
        uow,
        actor,
        workflow,
        allowed=(WorkflowStatus.ACTIVE,),
        to=WorkflowStatus.PAUSED,
        why="only an active workflow can be paused",
        change="paused",
    )


async def resume_workflow(uow: UnitOfWork, actor: Actor, workflow: Workflow) -> Workflow:
    return await _move(
        uow,
        actor,
        workflow,
        allowed=(WorkflowStatus.PAUSED,),
        to=WorkflowStatus.ACTIVE,
        why="only a paused workflow can be resumed",
        change="resumed",
    )


async def archive_workflow(uow: UnitOfWork, actor: Actor, workflow: Workflow) -> Workflow:
    return await _move(
        uow,
        actor,
        workflow,
        allowed=(WorkflowStatus.DRAFT, WorkflowStatus.ACTIVE, WorkflowStatus.PAUSED),
        to=WorkflowStatus.ARCHIVED,
        why="the workflow is already archived",
        change="archived",
    )


async def unarchive_workflow(uow: UnitOfWork, actor: Actor, workflow: Workflow) -> Workflow:
    """Back as paused when it was published (so nothing fires until resumed), else a draft."""
    to = WorkflowStatus.PAUSED if workflow.published_version_id else WorkflowStatus.DRAFT
    return await _move(
        uow,
        actor,
        workflow,
        allowed=(WorkflowStatus.ARCHIVED,),
        to=to,
        why="only an archived workflow can be unarchived",
        change="unarchived",
    )


async def has_runs(uow: UnitOfWork, workflow: Workflow) -> bool:
    return bool(
        await uow.session.scalar(
            select(
                exists().where(
                    WorkflowRun.workflow_id == workflow.id, WorkflowRun.is_test.is_(False)
                )
            )
        )
    )


async def delete_workflow(uow: UnitOfWork, actor: Actor, workflow: Workflow) -> bool:
    """Deleted when it never ran (True); a workflow with runs is archived instead, so its run
    log stays (False)."""
    actor.require_admin()
    if await has_runs(uow, workflow):
        if workflow.status != WorkflowStatus.ARCHIVED:
            await archive_workflow(uow, actor, workflow)
        return False
    await _emit(uow, actor, workflow, "deleted")
    record_audit(uow, actor, "workflow.deleted", "workflow", workflow.id, name=workflow.name)
    await uow.session.delete(workflow)
    await uow.session.flush()
    return True


async def rotate_webhook_secret(uow: UnitOfWork, actor: Actor, workflow: Workflow) -> Workflow:
    """A new secret: calls signed with the old one are refused from now on."""
    actor.require_admin()
    if workflow.webhook_token is None:
        raise Conflict("the workflow has no webhook: publish it with a webhook trigger first")
    await _bump(uow, workflow)
    workflow.webhook_secret = random.token_urlsafe(24)
    record_audit(
        uow, actor, "workflow.webhook_secret_rotated", "workflow", workflow.id, name=workflow.name
    )
    await _emit(uow, actor, workflow, "webhook_secret_rotated")
    return workflow
