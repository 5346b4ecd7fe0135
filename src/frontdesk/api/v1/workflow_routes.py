"""REST API v1: workflow templates, a workflow made from one, and the chat routes of a
conversation (its latest route, and sending it back to the menu).

`POST /workflows/from-template` sits next to the workflows API (`workflows.py`) without
touching it: it builds the template's definition and creates the workflow through the same
action as `POST /workflows`.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.workflows import routes
from frontdesk.core.workflows.queries import workflow_read
from frontdesk.core.workflows.schemas import WorkflowRead
from frontdesk.core.workflows.templates import create_workflow_from_template, list_templates
from frontdesk.core.workflows.templates.schemas import WorkflowFromTemplate, WorkflowTemplateRead
from frontdesk.core.workspaces.settings import ProductLanguage

templates_router = APIRouter()
router = APIRouter()
conversations_router = APIRouter()


@templates_router.get("")
async def read_workflow_templates(
    actor: ActorDep, db: ReaderDep, language: ProductLanguage | None = None
) -> list[WorkflowTemplateRead]:
    """The templates a workflow can start from, in `language` (default: the workspace's)."""
    return await list_templates(db, actor, language)


@router.post("/from-template", status_code=201)
async def create_workflow_from_template_route(
    data: WorkflowFromTemplate, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> WorkflowRead:
    """A new draft workflow from a template, with the teams, tag and keywords given; a route
    whose team is left out stays unconnected for the builder to flag."""
    workflow = await create_workflow_from_template(uow, actor, data)
    read = await workflow_read(uow.session, workflow, runtime.public_url)
    await uow.commit()
    return read


@conversations_router.get("/{conversation_id}/route")
async def read_conversation_route(
    conversation_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> routes.ConversationRouteRead:
    """The conversation's latest chat route, and whether it can go back to the menu."""
    conv = await access_conversation(db, actor, conversation_id)
    return await routes.conversation_route(db, conv)


@conversations_router.post(
    "/{conversation_id}/redirect", status_code=204, responses=error_responses(409)
)
async def redirect_conversation(conversation_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    """Send the conversation back to its chat-route workflow's menu (agents on it and
    supervisors); 409 when no route workflow in force holds it."""
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    await routes.redirect(uow, actor, conv)
    await uow.commit()
