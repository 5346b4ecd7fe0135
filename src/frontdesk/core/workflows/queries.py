"""Reading workflows, their versions and their runs, and who may.

Owners, managers and viewers read workflows; owners and managers change them. A run is read by
the supervisors, and by an agent who can see its conversation (the run log in the inbox).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import access_conversation, can_see, visible_to
from frontdesk.core.errors import Forbidden, Invalid, NotFound
from frontdesk.core.pagination import cursor_datetime, cursor_uuid, decode_cursor, encode_cursor
from frontdesk.core.workflows.definition import Definition
from frontdesk.core.workflows.models import (
    Workflow,
    WorkflowRun,
    WorkflowStatus,
    WorkflowStepRun,
    WorkflowVersion,
)
from frontdesk.core.workflows.schemas import (
    RunDetailRead,
    RunPage,
    RunRead,
    ShortcutRead,
    StepRunRead,
    WorkflowFields,
    WorkflowRead,
    WorkflowSummary,
    WorkflowVersionRead,
    WorkflowVersionSummary,
)
from frontdesk.core.workspaces.models import Workspace

HOOK_PATH = "/api/v1/hooks/workflows/"
MAX_STEPS_SHOWN = 1000
MAX_VERSION = 1_000_000


def require_reader(actor: Actor) -> None:
    if not actor.is_supervisor or actor.is_client:
        raise Forbidden("only owners, managers and viewers see workflows")


def _draft_trigger(workflow: Workflow) -> str:
    return str((workflow.draft.get("trigger") or {}).get("type") or "")


def workflow_summary(workflow: Workflow, current: WorkflowVersion | None) -> WorkflowFields:
    """The workflow as the list shows it, `current` being its version in force."""
    return WorkflowFields(
        id=workflow.id,
        name=workflow.name,
        description=workflow.description,
        status=workflow.status,  # type: ignore[arg-type]
        template=workflow.template,
        trigger_type=workflow.trigger_type,
        draft_trigger_type=_draft_trigger(workflow),
        published_version=current.number if current else None,
        published_at=current.published_at if current else None,
        has_unpublished_changes=False,
        next_fire_at=workflow.next_fire_at,
        created_at=workflow.created_at,
        updated_at=workflow.updated_at,
        archived_at=workflow.archived_at,
        version=workflow.version,
    )


def webhook_url(public_url: str, workflow: Workflow) -> str | None:
    if workflow.webhook_token is None:
        return None
    return public_url.rstrip("/") + HOOK_PATH + workflow.webhook_token


async def workflow_read(db: AsyncSession, workflow: Workflow, public_url: str) -> WorkflowRead:
    current = (
        await db.get(WorkflowVersion, workflow.published_version_id)
        if workflow.published_version_id
        else None
    )
    ran = await db.scalar(
        select(
            exists().where(WorkflowRun.workflow_id == workflow.id, WorkflowRun.is_test.is_(False))
        )
    )
    summary = workflow_summary(workflow, current)
    return WorkflowRead(
        **summary.model_dump(exclude={"has_unpublished_changes"}),
        has_unpublished_changes=current is None or current.definition != workflow.draft,
        draft=Definition.model_validate(workflow.draft),
        webhook_url=webhook_url(public_url, workflow),
        has_runs=bool(ran),
    )


async def access_workflow(
    db: AsyncSession, actor: Actor, workflow_id: uuid.UUID, *, for_update: bool = False
) -> Workflow:
    query = select(Workflow).where(
        Workflow.id == workflow_id, Workflow.workspace_id == actor.workspace_id
    )
    if for_update and db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    workflow = await db.scalar(query)
    if workflow is None:
        raise NotFound("workflow")
    return workflow


def start_of_today(time_zone: str, now: datetime) -> datetime:
    """The UTC instant the workspace's day began: local midnight (UTC for an unknown zone)."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone)
    midnight = datetime(local.year, local.month, local.day, tzinfo=zone)
    return midnight.astimezone(UTC)


async def _runs_since(
    db: AsyncSession, workspace_id: uuid.UUID, workflow_ids: list[uuid.UUID], since: datetime
) -> dict[uuid.UUID, int]:
    """Real runs (not tests) started at or after `since`, per workflow: one grouped query."""
    rows = await db.execute(
        select(WorkflowRun.workflow_id, func.count())
        .where(
            WorkflowRun.workspace_id == workspace_id,
            WorkflowRun.workflow_id.in_(workflow_ids),
            WorkflowRun.started_at >= since,
            WorkflowRun.is_test.is_(False),
        )
        .group_by(WorkflowRun.workflow_id)
    )
    return dict(rows.all())


async def list_workflows(
    db: AsyncSession,
    actor: Actor,
    *,
    status: str | None,
    include_archived: bool,
    now: datetime,
) -> list[WorkflowSummary]:
    """By name; archived ones only when asked (or asked for by status), each with when its
    version in force was published and how many runs it started today."""
    require_reader(actor)
    query = (
        select(Workflow, WorkflowVersion, Workspace.timezone)
        .join(Workspace, Workspace.id == Workflow.workspace_id)
        .outerjoin(WorkflowVersion, WorkflowVersion.id == Workflow.published_version_id)
        .where(Workflow.workspace_id == actor.workspace_id)
    )
    if status is not None:
        query = query.where(Workflow.status == status)
    elif not include_archived:
        query = query.where(Workflow.status != WorkflowStatus.ARCHIVED)
    rows = list(await db.execute(query.order_by(func.lower(Workflow.name), Workflow.id)))
    if not rows:
        return []
    since = start_of_today(rows[0].timezone, now)
    counts = await _runs_since(db, actor.workspace_id, [row[0].id for row in rows], since)
    found = []
    for workflow, current, _zone in rows:
        fields = workflow_summary(workflow, current)
        fields.has_unpublished_changes = current is None or current.definition != workflow.draft
        found.append(WorkflowSummary(**fields.model_dump(), runs_today=counts.get(workflow.id, 0)))
    return found


async def list_shortcuts(db: AsyncSession, actor: Actor) -> list[ShortcutRead]:
    """The active shortcut workflows: what an agent may run on a conversation."""
    rows = await db.scalars(
        select(Workflow)
        .where(
            Workflow.workspace_id == actor.workspace_id,
            Workflow.status == WorkflowStatus.ACTIVE,
            Workflow.trigger_type == "shortcut",
        )
        .order_by(func.lower(Workflow.name), Workflow.id)
    )
    return [ShortcutRead(id=w.id, name=w.name, description=w.description) for w in rows]


def version_summary(version: WorkflowVersion, workflow: Workflow) -> WorkflowVersionSummary:
    return WorkflowVersionSummary(
        id=version.id,
        workflow_id=version.workflow_id,
        number=version.number,
        trigger_type=version.trigger_type,
        note=version.note,
        published_at=version.published_at,
        published_by_id=version.published_by_id,
        is_current=version.id == workflow.published_version_id,
    )


def version_read(version: WorkflowVersion, workflow: Workflow) -> WorkflowVersionRead:
    return WorkflowVersionRead(
        **version_summary(version, workflow).model_dump(),
        definition=Definition.model_validate(version.definition),
    )


async def list_versions(db: AsyncSession, workflow: Workflow) -> list[WorkflowVersionSummary]:
    """Newest first."""
    rows = await db.scalars(
        select(WorkflowVersion)
        .where(WorkflowVersion.workflow_id == workflow.id, WorkflowVersion.number >= 1)
        .order_by(WorkflowVersion.number.desc())
    )
    return [version_summary(v, workflow) for v in rows]


async def get_version(db: AsyncSession, workflow: Workflow, number: int) -> WorkflowVersion:
    version = await db.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow.id,
            WorkflowVersion.number == number,
            WorkflowVersion.number >= 1,  # 0 holds test runs of the draft (core/workflows/runs)
        )
    )
    if version is None:
        raise NotFound("version")
    return version


# --- runs -----------------------------------------------------------------------------------


def _run_select() -> Any:
    return (
        select(WorkflowRun, Workflow.name, WorkflowVersion.number)
        .join(Workflow, Workflow.id == WorkflowRun.workflow_id)
        .join(WorkflowVersion, WorkflowVersion.id == WorkflowRun.version_id)
    )


def _run_read(run: WorkflowRun, name: str, number: int) -> RunRead:
    return RunRead(
        id=run.id,
        workflow_id=run.workflow_id,
        workflow_name=name,
        version_id=run.version_id,
        version_number=number,
        conversation_id=run.conversation_id,
        contact_id=run.contact_id,
        parent_run_id=run.parent_run_id,
        status=run.status,  # type: ignore[arg-type]
        current_step=run.current_step,
        wait_kind=run.wait_kind,
        wait_until=run.wait_until,
        trigger_type=(run.trigger or {}).get("type"),
        steps_taken=run.steps_taken,
        is_test=run.is_test,
        error=run.error,
        started_at=run.started_at,
        updated_at=run.updated_at,
        ended_at=run.ended_at,
    )


async def _paged(db: AsyncSession, query: Any, *, limit: int, cursor: str | None) -> RunPage:
    """Newest first, by start time."""
    if cursor:
        at, last_id = decode_cursor(cursor, 2)
        when, after = cursor_datetime(at), cursor_uuid(last_id)
        query = query.where(
            or_(
                WorkflowRun.started_at < when,
                and_(WorkflowRun.started_at == when, WorkflowRun.id < after),
            )
        )
    rows = list(
        await db.execute(
            query.order_by(WorkflowRun.started_at.desc(), WorkflowRun.id.desc()).limit(limit + 1)
        )
    )
    items = [_run_read(*row) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor(last.started_at.isoformat(), last.id)
    return RunPage(items=items, next_cursor=next_cursor)


async def list_workflow_runs(
    db: AsyncSession,
    workflow: Workflow,
    *,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> RunPage:
    query = _run_select().where(
        WorkflowRun.workspace_id == workflow.workspace_id, WorkflowRun.workflow_id == workflow.id
    )
    if status is not None:
        query = query.where(WorkflowRun.status == status)
    return await _paged(db, query, limit=limit, cursor=cursor)


async def list_conversation_runs(
    db: AsyncSession, actor: Actor, conversation_id: uuid.UUID, *, limit: int, cursor: str | None
) -> RunPage:
    """The run log of a conversation the caller can see."""
    conversation = await access_conversation(db, actor, conversation_id)
    query = _run_select().where(
        WorkflowRun.workspace_id == actor.workspace_id,
        WorkflowRun.conversation_id == conversation.id,
    )
    return await _paged(db, query, limit=limit, cursor=cursor)


async def access_run(
    db: AsyncSession, actor: Actor, run_id: uuid.UUID, *, for_update: bool = False
) -> WorkflowRun:
    """The run if the caller may read it: supervisors any, others a run of a conversation
    they can see."""
    query = select(WorkflowRun).where(
        WorkflowRun.id == run_id, WorkflowRun.workspace_id == actor.workspace_id
    )
    if for_update and db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    run = await db.scalar(query)
    if run is None:
        raise NotFound("run")
    if actor.is_supervisor and not actor.is_client:
        return run
    conversation = (
        await db.scalar(
            select(Conversation).where(Conversation.id == run.conversation_id, visible_to(actor))
        )
        if run.conversation_id is not None
        else None
    )
    if conversation is None or not can_see(actor, conversation):
        raise NotFound("run")
    return run


def step_run_read(step: WorkflowStepRun) -> StepRunRead:
    return StepRunRead(
        id=step.id,
        seq=step.seq,
        step_id=step.step_id,
        step_type=step.step_type,
        status=step.status,
        outlet=step.outlet,
        input=step.input,
        output=step.output,
        error=step.error,
        attempts=step.attempts,
        started_at=step.started_at,
        ended_at=step.ended_at,
    )


async def run_detail(db: AsyncSession, run: WorkflowRun) -> RunDetailRead:
    row = (await db.execute(_run_select().where(WorkflowRun.id == run.id))).one()
    steps = await db.scalars(
        select(WorkflowStepRun)
        .where(WorkflowStepRun.run_id == run.id)
        .order_by(WorkflowStepRun.seq)
        .limit(MAX_STEPS_SHOWN)
    )
    return RunDetailRead(
        **_run_read(*row).model_dump(),
        variables=run.variables or {},
        trigger=run.trigger or {},
        steps=[step_run_read(s) for s in steps],
    )


def parse_version_ref(value: str) -> int | None:
    """A version number, or None for "draft"."""
    if value == "draft":
        return None
    if value.isdigit() and 0 < int(value) < MAX_VERSION:
        return int(value)
    raise Invalid('a version is its number or "draft"', field="version")
