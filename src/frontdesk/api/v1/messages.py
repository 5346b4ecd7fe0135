"""Messages of a conversation: history, idempotent replies and internal notes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.links import linked
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.conversations import messages
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.conversations.schemas import MessageCreate, MessageRead, NoteCreate
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from frontdesk.core.supervision.rights import reads_whispers

router = APIRouter()


@router.get("/{conversation_id}/messages")
async def read_messages(
    conversation_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[MessageRead]:
    """Newest first; follow `next_cursor` to page back in time."""
    conv = await access_conversation(db, actor, conversation_id)
    page = await messages.list_messages(
        db,
        conv,
        limit=limit,
        cursor=cursor,
        notes=not actor.is_client,
        whispers=await reads_whispers(db, actor, conv),
    )
    return page.model_copy(update={"items": [linked(runtime, m) for m in page.items]})


@router.post("/{conversation_id}/messages", status_code=201, responses=error_responses(409))
async def send_message(
    conversation_id: uuid.UUID,
    data: MessageCreate,
    actor: ActorDep,
    uow: UowDep,
    response: Response,
    runtime: RuntimeDep,
) -> MessageRead:
    """Send a reply. Repeating a `client_message_id` returns the first message with 200."""
    actor.require_writer()
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read, created = await messages.create_idempotently(
        uow,
        conversation_id,
        data.client_message_id,
        lambda: messages.send_message(uow, actor, conv, data),
    )
    if not created:
        response.status_code = 200
    return linked(runtime, read)


@router.post("/{conversation_id}/notes", status_code=201)
async def add_note(
    conversation_id: uuid.UUID,
    data: NoteCreate,
    actor: ActorDep,
    uow: UowDep,
    response: Response,
) -> MessageRead:
    """An internal note; `mention_user_ids` notifies those members directly."""
    actor.require_writer()
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read, created = await messages.create_idempotently(
        uow,
        conversation_id,
        data.client_message_id,
        lambda: messages.add_note(uow, actor, conv, data),
    )
    if not created:
        response.status_code = 200
    return read
