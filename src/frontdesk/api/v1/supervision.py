"""Supervising a conversation: an agent's raised hand, a supervisor monitoring, whispering
and taking over; and what the caller supervises."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.conversations.messages import create_idempotently
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.conversations.schemas import ConversationRead, MessageRead
from frontdesk.core.supervision import hands
from frontdesk.core.supervision.monitor import monitor_conversation
from frontdesk.core.supervision.rights import supervised_team_ids
from frontdesk.core.supervision.schemas import HelpRaise, HelpRead, SupervisionRights, TakeOver
from frontdesk.core.supervision.whispers import WhisperCreate, add_whisper

router = APIRouter()
rights_router = APIRouter()


@rights_router.get("/rights")
async def read_rights(actor: ActorDep, db: ReaderDep) -> SupervisionRights:
    """What the caller supervises: every team (owners, managers), some teams (a team lead),
    or none."""
    teams = await supervised_team_ids(db, actor)
    return SupervisionRights(all_teams=teams is None, team_ids=sorted(teams or (), key=str))


@router.post("/{conversation_id}/monitor", responses=error_responses(403))
async def monitor(conversation_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> ConversationRead:
    """Start monitoring the conversation: the app then shows it live without telling anyone
    it is viewed. Its supervisors only; recorded in the audit log."""
    conv = await access_conversation(uow.session, actor, conversation_id)
    read = await monitor_conversation(uow, actor, conv)
    await uow.commit()
    return read


@router.post("/{conversation_id}/whispers", status_code=201, responses=error_responses(403))
async def whisper(
    conversation_id: uuid.UUID,
    data: WhisperCreate,
    actor: ActorDep,
    uow: UowDep,
    response: Response,
) -> MessageRead:
    """A note only the assignee and the team's supervisors read (never the customer, never
    other agents). Its supervisors only; repeating a `client_message_id` returns the first."""
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read, created = await create_idempotently(
        uow,
        conversation_id,
        data.client_message_id,
        lambda: add_whisper(uow, actor, conv, data),
        whisper=True,
    )
    if not created:
        response.status_code = 200
    return read


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


@router.post("/{conversation_id}/take-over", responses=error_responses(403, 409))
async def take_over(
    conversation_id: uuid.UUID, data: TakeOver, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    """A supervisor (owner, manager, the team's lead) makes the conversation theirs, with an
    optional note to the agent who had it and an optional message to the customer."""
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await hands.take_over(uow, actor, conv, note=data.note, message=data.message)
    await uow.commit()
    return read
