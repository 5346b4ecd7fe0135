"""REST API v1: workflows, their drafts, published versions, diff and rollback, and test runs.

Owners and managers change workflows; viewers read them too. The run log, shortcuts and the
incoming webhook are in `workflow_runs.py` and `workflow_hooks.py`.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.contacts.queries import access_contact
from frontdesk.core.errors import Invalid, NotFound
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from frontdesk.core.workflows import runs, variables, versions
from frontdesk.core.workflows.definition import Definition
from frontdesk.core.workflows.diff import diff_definitions
from frontdesk.core.workflows.models import Workflow, WorkflowVersion
from frontdesk.core.workflows.queries import (
    access_workflow,
    get_version,
    list_shortcuts,
    list_versions,
    list_workflow_runs,
    list_workflows,
    parse_version_ref,
    require_reader,
    run_detail,
    version_read,
    webhook_url,
    workflow_read,
)
from frontdesk.core.workflows.schemas import (
    PublishRequest,
    RollbackRequest,
    RunDetailRead,
    RunPage,
    RunStatusName,
    ShortcutRead,
    VariableCatalogue,
    VariableRead,
    WebhookSecretRead,
    WorkflowCreate,
    WorkflowDiff,
    WorkflowProblems,
    WorkflowPublished,
    WorkflowRead,
    WorkflowStatusName,
    WorkflowSummary,
    WorkflowTestRun,
    WorkflowUpdate,
    WorkflowVersionRead,
    WorkflowVersionSummary,
)
from frontdesk.core.workflows.triggers import webhook_secret

router = APIRouter()

VERSION_REF = r"^(draft|[0-9]+)$"
MAX_NUMBER_DIGITS = 6


@router.get("")
async def read_workflows(
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    status: WorkflowStatusName | None = None,
    include_archived: bool = False,
) -> list[WorkflowSummary]:
    """Every workflow of the workspace by name (archived ones when asked), with its runs today
    and when its version in force was published."""
    return await list_workflows(
        db,
        actor,
        status=status,
        include_archived=include_archived,
        now=runtime.clock.now(),
    )


@router.post("", status_code=201)
async def create_workflow(
    data: WorkflowCreate, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> WorkflowRead:
    """A blank workflow, or one from a template's definition; it starts as a draft."""
    workflow = await versions.create_workflow(uow, actor, data)
    read = await workflow_read(uow.session, workflow, runtime.public_url)
    await uow.commit()
    return read


@router.get("/shortcuts")
async def read_shortcuts(actor: ActorDep, db: ReaderDep) -> list[ShortcutRead]:
    """The shortcut workflows an agent may run on a conversation."""
    return await list_shortcuts(db, actor)


@router.get("/variables")
async def read_variables(actor: ActorDep, db: ReaderDep) -> VariableCatalogue:
    """What a step may write as `{{...}}`: the builder's variable picker."""
    require_reader(actor)
    found = await variables.catalogue(db, actor.workspace_id)
    return VariableCatalogue(variables=[VariableRead.model_validate(v) for v in found])


@router.get("/{workflow_id}")
async def read_workflow(
    workflow_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> WorkflowRead:
    require_reader(actor)
    workflow = await access_workflow(db, actor, workflow_id)
    return await workflow_read(db, workflow, runtime.public_url)


@router.patch("/{workflow_id}", responses=error_responses(409))
async def update_workflow(
    workflow_id: uuid.UUID,
    data: WorkflowUpdate,
    actor: ActorDep,
    uow: UowDep,
    runtime: RuntimeDep,
) -> WorkflowRead:
    """Save the draft (and name, description); 409 when someone saved since `version`."""
    actor.require_admin()
    workflow = await access_workflow(uow.session, actor, workflow_id, for_update=True)
    await versions.save_draft(uow, actor, workflow, data)
    read = await workflow_read(uow.session, workflow, runtime.public_url)
    await uow.commit()
    return read


@router.delete("/{workflow_id}", status_code=204)
async def delete_workflow(workflow_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> Response:
    """Deleted when it never ran; a workflow that ran is archived instead (its log stays)."""
    actor.require_admin()
    workflow = await access_workflow(uow.session, actor, workflow_id, for_update=True)
    await versions.delete_workflow(uow, actor, workflow)
    await uow.commit()
    return Response(status_code=204)


@router.post("/{workflow_id}/validate")
async def validate_workflow(
    workflow_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> WorkflowProblems:
    """The draft's problems (graph, trigger, each step's settings), each naming its step and
    outlet; empty when it may be published."""
    actor.require_admin()
    workflow = await access_workflow(db, actor, workflow_id)
    problems = versions.definition_problems(Definition.model_validate(workflow.draft))
    return WorkflowProblems(is_valid=not problems, problems=problems)


async def _published(
    runtime: RuntimeDep, workflow: Workflow, published: versions.Published
) -> WorkflowPublished:
    read = version_read(published.version, workflow)
    secret = webhook_secret(runtime.secrets, workflow) if published.new_webhook_seed else None
    return WorkflowPublished(
        **read.model_dump(),
        webhook_url=webhook_url(runtime.public_url, workflow),
        webhook_secret=secret,
    )


@router.post("/{workflow_id}/publish", status_code=201, responses=error_responses(409))
async def publish_workflow(
    workflow_id: uuid.UUID,
    data: PublishRequest,
    actor: ActorDep,
    uow: UowDep,
    runtime: RuntimeDep,
) -> WorkflowPublished:
    """The draft becomes a new version the trigger runs; 422 with `details.problems` when it
    has any. A webhook trigger's secret is in the answer once, on its first publish."""
    actor.require_admin()
    workflow = await access_workflow(uow.session, actor, workflow_id, for_update=True)
    published = await versions.publish_workflow(uow, actor, workflow, data.note)
    read = await _published(runtime, workflow, published)
    await uow.commit()
    return read


@router.post("/{workflow_id}/rollback", status_code=201, responses=error_responses(409))
async def rollback_workflow(
    workflow_id: uuid.UUID,
    data: RollbackRequest,
    actor: ActorDep,
    uow: UowDep,
    runtime: RuntimeDep,
) -> WorkflowPublished:
    """Version `number` becomes the draft and is published as a new version."""
    actor.require_admin()
    workflow = await access_workflow(uow.session, actor, workflow_id, for_update=True)
    published = await versions.rollback_workflow(uow, actor, workflow, data.number, data.note)
    read = await _published(runtime, workflow, published)
    await uow.commit()
    return read


def _lifecycle(name: str, doc: str) -> None:
    action = getattr(versions, f"{name}_workflow")

    async def change(
        workflow_id: uuid.UUID, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
    ) -> WorkflowRead:
        actor.require_admin()
        workflow = await access_workflow(uow.session, actor, workflow_id, for_update=True)
        await action(uow, actor, workflow)
        read = await workflow_read(uow.session, workflow, runtime.public_url)
        await uow.commit()
        return read

    change.__doc__ = doc
    router.add_api_route(
        f"/{{workflow_id}}/{name}",
        change,
        methods=["POST"],
        name=f"{name}_workflow",
        response_model=WorkflowRead,
        responses=error_responses(409),
    )


_lifecycle("pause", "Its trigger starts no new run; runs already going carry on.")
_lifecycle("resume", "Its trigger starts runs again.")
_lifecycle("archive", "Out of the list and of every trigger; its versions and runs stay.")
_lifecycle("unarchive", "Back as paused (when it was published) or as a draft.")


@router.post("/{workflow_id}/webhook-secret", responses=error_responses(409))
async def rotate_webhook_secret(
    workflow_id: uuid.UUID, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> WebhookSecretRead:
    """A new signing secret, shown this once; the old one stops working at once."""
    actor.require_admin()
    workflow = await access_workflow(uow.session, actor, workflow_id, for_update=True)
    await versions.rotate_webhook_secret(uow, actor, workflow)
    url = webhook_url(runtime.public_url, workflow) or ""
    read = WebhookSecretRead(
        webhook_url=url, webhook_secret=webhook_secret(runtime.secrets, workflow)
    )
    await uow.commit()
    return read


@router.get("/{workflow_id}/versions")
async def read_versions(
    workflow_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> list[WorkflowVersionSummary]:
    """Every published version, newest first."""
    require_reader(actor)
    workflow = await access_workflow(db, actor, workflow_id)
    return await list_versions(db, workflow)


@router.get("/{workflow_id}/versions/{number}")
async def read_version(
    workflow_id: uuid.UUID,
    number: Annotated[str, Path(description="The version's number.")],
    actor: ActorDep,
    db: ReaderDep,
) -> WorkflowVersionRead:
    """One published version with its definition (404 for a number it does not have)."""
    require_reader(actor)
    workflow = await access_workflow(db, actor, workflow_id)
    # Read after the caller's rights, so a malformed number hints at nothing either.
    if not number.isdigit() or len(number) > MAX_NUMBER_DIGITS:
        raise NotFound("version")
    return version_read(await get_version(db, workflow, int(number)), workflow)


@router.get("/{workflow_id}/diff")
async def read_diff(
    workflow_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
    from_: Annotated[str | None, Query(alias="from", max_length=12, pattern=VERSION_REF)] = None,
    to: Annotated[str, Query(max_length=12, pattern=VERSION_REF)] = "draft",
) -> WorkflowDiff:
    """What changed from one version (default: the one in force) to another or the draft."""
    require_reader(actor)
    workflow = await access_workflow(db, actor, workflow_id)
    if from_ is None:
        if workflow.published_version_id is None:
            raise Invalid("the workflow has no published version", field="from")
        current = await db.get(WorkflowVersion, workflow.published_version_id)
        from_ = str(current.number) if current is not None else "draft"
    before = await _definition_at(db, workflow, from_)
    after = await _definition_at(db, workflow, to)
    return diff_definitions(before, after, from_label=from_, to_label=to)


async def _definition_at(db: ReaderDep, workflow: Workflow, ref: str) -> Definition:
    number = parse_version_ref(ref)
    if number is None:
        return Definition.model_validate(workflow.draft)
    try:
        version = await get_version(db, workflow, number)
    except NotFound:
        raise Invalid(f"the workflow has no version {number}", field="version") from None
    return Definition.model_validate(version.definition)


@router.post("/{workflow_id}/test-runs", status_code=201)
async def create_test_run(
    workflow_id: uuid.UUID, data: WorkflowTestRun, actor: ActorDep, uow: UowDep
) -> RunDetailRead:
    """Run the draft against a sample contact: every step is recorded, nothing is sent."""
    actor.require_admin()
    workflow = await access_workflow(uow.session, actor, workflow_id)
    definition = Definition.model_validate(workflow.draft)
    problems = versions.definition_problems(definition)
    if problems:
        raise Invalid(
            "the draft has problems to fix before it can run",
            field="draft",
            problems=[p.model_dump() for p in problems],
        )
    try:
        contact = await access_contact(uow.session, actor, data.contact_id)
    except NotFound:
        raise Invalid("no such contact", field="contact_id") from None
    run = await runs.start_definition_test(
        uow,
        workflow=workflow,
        definition=definition.model_dump(mode="json"),
        contact_id=contact.id,
        variables=data.variables,
    )
    await uow.session.flush()
    read = await run_detail(uow.session, run)
    await uow.commit()
    return read


@router.get("/{workflow_id}/runs")
async def read_workflow_runs(
    workflow_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
    status: RunStatusName | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> RunPage:
    """The workflow's runs, newest first."""
    require_reader(actor)
    workflow = await access_workflow(db, actor, workflow_id)
    return await list_workflow_runs(db, workflow, status=status, limit=limit, cursor=cursor)
