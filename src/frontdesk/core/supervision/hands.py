"""Raised hands and taking over.

An agent raises a hand on a conversation when they need a supervisor: the owners, managers and
the team's leads are notified, the wallboard lists it until a supervisor takes over or the hand
is lowered. A supervisor (owner, manager or a lead of the conversation's team,
`rights.require_supervision`) takes over in one action: the conversation becomes theirs, with
an optional note to the agent who had it and an optional message to the customer; the raised
hand is answered. Each step is an event, and the take-over is in the audit log.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.conversations.actions import assign_conversation
from frontdesk.core.conversations.messages import add_note, send_message
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.conversations.queries import get_conversation
from frontdesk.core.conversations.schemas import ConversationRead, MessageCreate, NoteCreate
from frontdesk.core.errors import Conflict, Forbidden
from frontdesk.core.events import DomainEvent, HelpLowered, HelpRaised, conversation_audience
from frontdesk.core.notifications.actions import create_notification
from frontdesk.core.notifications.models import NotificationKind
from frontdesk.core.supervision.models import HelpRequest
from frontdesk.core.supervision.rights import require_supervision, supervises, supervisor_ids
from frontdesk.core.supervision.schemas import HelpRead
from frontdesk.db.uow import UnitOfWork


async def open_help(uow: UnitOfWork, conv: Conversation) -> HelpRequest | None:
    return await current_hand(uow.session, conv)


async def read_hand(db: AsyncSession, conv: Conversation) -> HelpRead | None:
    raised = await current_hand(db, conv)
    if raised is None:
        return None
    return HelpRead(raised_by_id=raised.raised_by_id, note=raised.note, raised_at=raised.raised_at)


async def current_hand(db: AsyncSession, conv: Conversation) -> HelpRequest | None:
    found: HelpRequest | None = await db.scalar(
        select(HelpRequest).where(
            HelpRequest.workspace_id == conv.workspace_id,
            HelpRequest.conversation_id == conv.id,
            HelpRequest.resolved_at.is_(None),
        )
    )
    return found


def _emit(
    uow: UnitOfWork, event: type[DomainEvent], conv: Conversation, raised: HelpRequest
) -> None:
    uow.emit(
        event(
            workspace_id=conv.workspace_id,
            audience=conversation_audience(conv.workspace_id, conv.team_id, [conv.assignee_id]),
            data={
                "conversation_id": str(conv.id),
                "help": {
                    "id": str(raised.id),
                    "raised_by_id": str(raised.raised_by_id) if raised.raised_by_id else None,
                    "note": raised.note,
                    "raised_at": raised.raised_at.isoformat(),
                    "resolved_at": raised.resolved_at.isoformat() if raised.resolved_at else None,
                    "resolved_by_id": str(raised.resolved_by_id) if raised.resolved_by_id else None,
                },
            },
        )
    )


async def raise_hand(
    uow: UnitOfWork, actor: Actor, conv: Conversation, note: str | None
) -> HelpRequest:
    """Ask the supervisors for help; raising it again while it is up changes nothing."""
    actor.require_writer()
    if actor.user_id is None:
        raise Forbidden("only members raise a hand")
    if conv.status == ConversationStatus.CLOSED:
        raise Conflict("the conversation is closed")
    existing = await open_help(uow, conv)
    if existing is not None:
        return existing
    raised = HelpRequest(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        raised_by_id=actor.user_id,
        note=note,
        raised_at=uow.now(),
        resolved_at=None,
        resolved_by_id=None,
    )
    uow.session.add(raised)
    await uow.session.flush()
    _emit(uow, HelpRaised, conv, raised)
    supervisors = await supervisor_ids(uow.session, conv)
    for user_id in (u for u in supervisors if u != actor.user_id):
        await create_notification(
            uow, conv, user_id=user_id, kind=NotificationKind.HELP, actor_id=actor.user_id
        )
    return raised


async def lower_hand(uow: UnitOfWork, actor: Actor, conv: Conversation) -> None:
    """The agent who raised it, or a supervisor, lowers the hand."""
    actor.require_writer()
    raised = await open_help(uow, conv)
    if raised is None:
        return
    if raised.raised_by_id != actor.user_id:
        if not await supervises(uow.session, actor, conv):
            raise Forbidden("only who raised it or a supervisor lowers a hand")
        # A supervisor answering someone else's hand is a supervisor action: audited.
        record_audit(
            uow,
            actor,
            "conversation.help_lowered",
            "conversation",
            conv.id,
            raised_by_id=str(raised.raised_by_id) if raised.raised_by_id else None,
        )
    _resolve(uow, actor, conv, raised)


def _resolve(uow: UnitOfWork, actor: Actor, conv: Conversation, raised: HelpRequest) -> None:
    raised.resolved_at, raised.resolved_by_id = uow.now(), actor.user_id
    _emit(uow, HelpLowered, conv, raised)


async def take_over(
    uow: UnitOfWork,
    actor: Actor,
    conv: Conversation,
    *,
    note: str | None,
    message: str | None,
) -> ConversationRead:
    """Make the conversation the supervisor's own, tell the agent and the customer if asked."""
    actor.require_writer()
    await require_supervision(uow.session, actor, conv)
    if actor.user_id is None:
        raise Forbidden("only members take over a conversation")
    if conv.status == ConversationStatus.CLOSED:
        raise Conflict("the conversation is closed: reopen it first")
    previous = conv.assignee_id
    await assign_conversation(uow, actor, conv, actor.user_id)
    if note:
        told = [previous] if previous is not None and previous != actor.user_id else []
        await add_note(uow, actor, conv, NoteCreate(body=note, mention_user_ids=told))
    if message:
        await send_message(
            uow, actor, conv, MessageCreate(body=message, client_message_id=uuid.uuid4().hex)
        )
    raised = await open_help(uow, conv)
    if raised is not None:
        _resolve(uow, actor, conv, raised)
    record_audit(
        uow,
        actor,
        "conversation.taken_over",
        "conversation",
        conv.id,
        previous_assignee_id=str(previous) if previous else None,
        with_note=bool(note),
        with_message=bool(message),
    )
    return await get_conversation(uow.session, conv.workspace_id, conv.id)
