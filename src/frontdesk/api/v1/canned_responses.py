"""REST API v1: canned responses, shared by the workspace, and rendering them for a reply."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.canned import actions
from frontdesk.core.canned.queries import (
    access_canned_response,
    canned_response_read,
    list_canned_responses,
    render_canned_response,
)
from frontdesk.core.canned.schemas import (
    CannedResponseCreate,
    CannedResponseRead,
    CannedResponseRender,
    CannedResponseRendered,
    CannedResponseUpdate,
)
from frontdesk.core.conversations.queries import access_conversation

router = APIRouter()


@router.get("")
async def read_canned_responses(
    actor: ActorDep, db: ReaderDep, q: Annotated[str | None, Query(max_length=200)] = None
) -> list[CannedResponseRead]:
    """Every canned response by shortcut; `q` searches shortcut, title and body."""
    return await list_canned_responses(db, actor, q=q)


@router.post("", status_code=201, responses=error_responses(409))
async def create_canned_response(
    data: CannedResponseCreate, actor: ActorDep, uow: UowDep
) -> CannedResponseRead:
    read = await actions.create_canned_response(uow, actor, data)
    await uow.commit()
    return read


@router.get("/{canned_response_id}")
async def read_canned_response(
    canned_response_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> CannedResponseRead:
    return canned_response_read(await access_canned_response(db, actor, canned_response_id))


@router.patch("/{canned_response_id}", responses=error_responses(409))
async def update_canned_response(
    canned_response_id: uuid.UUID, data: CannedResponseUpdate, actor: ActorDep, uow: UowDep
) -> CannedResponseRead:
    canned = await access_canned_response(uow.session, actor, canned_response_id)
    read = await actions.update_canned_response(uow, actor, canned, data)
    await uow.commit()
    return read


@router.delete("/{canned_response_id}", status_code=204)
async def delete_canned_response(
    canned_response_id: uuid.UUID, actor: ActorDep, uow: UowDep
) -> None:
    canned = await access_canned_response(uow.session, actor, canned_response_id)
    await actions.delete_canned_response(uow, actor, canned)
    await uow.commit()


@router.post("/{canned_response_id}/render")
async def render(
    canned_response_id: uuid.UUID, data: CannedResponseRender, actor: ActorDep, db: ReaderDep
) -> CannedResponseRendered:
    """The body filled in for a conversation the caller can see; nothing is written."""
    canned = await access_canned_response(db, actor, canned_response_id)
    conversation = await access_conversation(db, actor, data.conversation_id)
    return await render_canned_response(db, actor, canned, conversation)
