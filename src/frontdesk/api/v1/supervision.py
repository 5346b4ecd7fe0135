"""Supervising a conversation: an agent's raised hand, and a supervisor taking over."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.conversations.schemas import ConversationRead
from frontdesk.core.supervision import hands
from frontdesk.core.supervision.schemas import HelpRaise, HelpRead, TakeOver

router = APIRouter()


@router.get("/{conversation_id}/help")
async def read_hand(conversation_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> HelpRead | None:
    """The hand raised on the conversation, or null."""
    conv = await access_conversation(db, actor, conversation_id)
    return await hands.read_hand(db, conv)


@router.post("/{conversation_id}/help", status_code=204, responses=error_responses(409))
async def raise_hand(
    conversation_id: uuid.UUID, data: HelpRaise, actor: ActorDep, uow: UowDep
) -> None:
    """Ask the supervisors for help: they are notified and the wallboard shows it."""
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    await hands.raise_hand(uow, actor, conv, data.note)
    await uow.commit()


@router.delete("/{conversation_id}/help", status_code=204)
async def lower_hand(conversation_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    """Lower the raised hand (who raised it, or a supervisor)."""
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    await hands.lower_hand(uow, actor, conv)
    await uow.commit()


@router.post("/{conversation_id}/take-over", responses=error_responses(409))
async def take_over(
    conversation_id: uuid.UUID, data: TakeOver, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    """An owner or manager makes the conversation theirs, with an optional note to the agent
    who had it and an optional message to the customer."""
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await hands.take_over(uow, actor, conv, note=data.note, message=data.message)
    await uow.commit()
    return read
