"""Recording a customer's message, whatever the channel: deduplicated, then threaded.

The (channel, provider message id) unique constraint is the guard against duplicates: a
redelivered message finds the first copy and changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.language import learn_language
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.actions import reopen_closed
from frontdesk.core.conversations.emit import emit_conversation_read
from frontdesk.core.conversations.messages import conversation_keys, message_read
from frontdesk.core.conversations.models import (
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
    MessageKind,
    SenderType,
)
from frontdesk.core.conversations.queries import read_loaded
from frontdesk.core.csat.answers import take_answer
from frontdesk.core.events import (
    ConversationCreated,
    ConversationUpdated,
    MessageCreated,
    VisitorMessageCreated,
)
from frontdesk.core.routing import ledger
from frontdesk.core.webchat.visitor import WEBCHAT, emit_to_visitor
from frontdesk.core.workspaces.models import Team
from frontdesk.core.workspaces.settings import load_conversation_settings
from frontdesk.db.ids import new_id
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored

PREVIEW_LENGTH = 200
# Messages whose text the customer wrote (a caption too), unlike a tapped button's title or a
# postback, which the business wrote: only these tell the customer's language.
WORDS_OF_THEIR_OWN = (MessageKind.TEXT, MessageKind.MEDIA)


@dataclass(frozen=True)
class Inbound:
    channel: Channel
    contact_id: uuid.UUID
    provider_message_id: str
    body: str
    attachments: list[dict[str, Any]]
    kind: str = MessageKind.TEXT
    client_message_id: str | None = None
    sent_at: datetime | None = None
    # Kind-specific content (see Message.payload), the provider's own payload, and the
    # provider id of the message this one quotes.
    payload: dict[str, Any] | None = None
    raw: dict[str, Any] | None = None
    reply_to_provider_id: str | None = None
    # The contact itself when the caller has it loaded: it is not read again for the events.
    contact: Contact | None = None


@dataclass(frozen=True)
class Recorded:
    message: Message
    conversation: Conversation
    created: bool


async def _existing(uow: UnitOfWork, inbound: Inbound) -> Recorded | None:
    row = (
        await uow.session.execute(
            select(Message, Conversation)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(
                Message.channel_id == inbound.channel.id,
                Message.provider_message_id == inbound.provider_message_id,
            )
        )
    ).first()
    return Recorded(message=row[0], conversation=row[1], created=False) if row else None


@dataclass(frozen=True)
class _Open:
    """The conversation a message goes to, with what its read model shows."""

    conversation: Conversation
    assignee: User | None
    team: Team | None
    is_new: bool
    # A closed conversation the customer writes to within the workspace's reopen window: it is
    # reopened once the message is stored (a redelivery reopens nothing).
    reopens: bool = False


# Built once (with bound parameters): a webhook runs it for every message.
_ASSIGNEE = aliased(User, name="assignee")
_LIVE = (
    select(Conversation, _ASSIGNEE, Team)
    .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Conversation.assignee_id)
    .outerjoin(Team, Team.id == Conversation.team_id)
    .where(
        Conversation.workspace_id == bindparam("workspace_id"),
        Conversation.channel_id == bindparam("channel_id"),
        Conversation.contact_id == bindparam("contact_id"),
        Conversation.status != ConversationStatus.CLOSED,
    )
    .order_by(Conversation.created_at.desc())
    .limit(1)
)


# The contact's conversation on this channel closed most recently, if after :since; locked
# (PostgreSQL), so two messages at once reopen it once: the second finds it open.
_CLOSED_SINCE = (
    select(Conversation, _ASSIGNEE, Team)
    .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Conversation.assignee_id)
    .outerjoin(Team, Team.id == Conversation.team_id)
    .where(
        Conversation.workspace_id == bindparam("workspace_id"),
        Conversation.channel_id == bindparam("channel_id"),
        Conversation.contact_id == bindparam("contact_id"),
        Conversation.status == ConversationStatus.CLOSED,
        Conversation.closed_at >= bindparam("since"),
    )
    .order_by(Conversation.closed_at.desc())
    .limit(1)
    .with_for_update(of=Conversation)
    .execution_options(populate_existing=True)
)


async def _reopenable(uow: UnitOfWork, inbound: Inbound) -> _Open | None:
    """The conversation this message reopens: closed within the workspace's reopen window."""
    hours = (
        await load_conversation_settings(uow.session, inbound.channel.workspace_id)
    ).reopen_within_hours
    if hours <= 0:
        return None
    params = {
        "workspace_id": inbound.channel.workspace_id,
        "channel_id": inbound.channel.id,
        "contact_id": inbound.contact_id,
        "since": uow.now() - timedelta(hours=hours),
    }
    row = (await uow.session.execute(_CLOSED_SINCE, params)).first()
    if row is None:
        # Reopened by a message a moment ago (we waited for its lock): it is live now.
        return await _live_conversation(uow, inbound)
    return _Open(row[0], row[1], row[2], is_new=False, reopens=True)


async def _live_conversation(uow: UnitOfWork, inbound: Inbound) -> _Open | None:
    """The contact's live conversation on this channel, with its assignee and team."""
    params = {
        "workspace_id": inbound.channel.workspace_id,
        "channel_id": inbound.channel.id,
        "contact_id": inbound.contact_id,
    }
    row = (await uow.session.execute(_LIVE, params)).first()
    return _Open(row[0], row[1], row[2], is_new=False) if row else None


async def _new_conversation(uow: UnitOfWork, inbound: Inbound) -> _Open:
    """A new conversation in the channel's team."""
    now = uow.now()
    conv = Conversation(
        workspace_id=inbound.channel.workspace_id,
        channel_id=inbound.channel.id,
        contact_id=inbound.contact_id,
        status=ConversationStatus.OPEN,
        team_id=inbound.channel.team_id,
        priority=1,
        opened_at=now,
        last_activity_at=now,
        last_message_preview="",
        version=0,
        created_at=now,
    )
    uow.session.add(conv)
    await uow.session.flush()
    team = await uow.session.get(Team, conv.team_id) if conv.team_id else None
    return _Open(conv, None, team, is_new=True)


async def _insert_once(uow: UnitOfWork, values: dict[str, Any]) -> Message | None:
    """Insert the message unless (channel, provider id) is stored already: None then.

    `ON CONFLICT DO NOTHING` on the unique constraint, so a redelivery costs no savepoint; a
    copy being stored concurrently is waited for (PostgreSQL) or excluded (SQLite's one writer).
    """
    found = await insert_unless_stored(
        uow.session, Message, values, ("channel_id", "provider_message_id"), Message
    )
    return found if isinstance(found, Message) else None


async def record_inbound_message(uow: UnitOfWork, inbound: Inbound) -> Recorded:
    """Store the message once and bring its conversation up to date, with their events."""
    opened = await _live_conversation(uow, inbound)
    if opened is None:
        # A redelivery whose conversation has been closed since must not open a new one.
        if (found := await _existing(uow, inbound)) is not None:
            return found
        # An answer to the survey sent on the close: stored there, reopening nothing.
        if (answer := await take_answer(uow, inbound)) is not None:
            return Recorded(message=answer[0], conversation=answer[1], created=True)
        opened = await _reopenable(uow, inbound) or await _new_conversation(uow, inbound)
    conv = opened.conversation
    now = uow.now()
    message = await _insert_once(
        uow,
        {
            "id": new_id(),
            "workspace_id": conv.workspace_id,
            "conversation_id": conv.id,
            "channel_id": inbound.channel.id,
            "direction": Direction.INBOUND,
            "sender_type": SenderType.CONTACT,
            "kind": inbound.kind,
            "body": inbound.body,
            "attachments": inbound.attachments,
            "mentions": [],
            "client_message_id": inbound.client_message_id,
            "provider_message_id": inbound.provider_message_id,
            "status": DeliveryStatus.RECEIVED,
            "payload": inbound.payload,
            "raw": inbound.raw,
            "reply_to_provider_id": inbound.reply_to_provider_id,
            "reply_to_message_id": await _quoted(uow, inbound),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        },
    )
    if message is None:
        # Stored already: by an earlier delivery, or a concurrent one a moment ago.
        if opened.is_new:
            await uow.session.delete(conv)
            await uow.session.flush()
        found = await _existing(uow, inbound)
        if found is None:
            raise RuntimeError("a message that conflicts on insert cannot be found")
        return found
    if opened.reopens:
        await reopen_closed(uow, conv, by_user_id=None)
    contact = inbound.contact or await uow.session.get(Contact, conv.contact_id)
    if contact is None:
        raise RuntimeError("the message's contact is gone")
    if inbound.kind in WORDS_OF_THEIR_OWN:
        # Before routing (a job after this commit) writes to them: in their language.
        await learn_language(uow, contact, inbound.body)
    _touch(conv, inbound, now)
    # A new or unworked conversation waits in its team's queue; routing decides, in a job.
    await ledger.queue_for_routing(uow, conv, is_new=opened.is_new, first_text=inbound.body)
    conv.version += 1
    # Written now, before the commit takes the event-log lock, so this transaction takes the
    # conversation's row lock first, as every other writer of a conversation does.
    await uow.session.flush()
    conversation = await read_loaded(
        uow.session,
        (conv, contact, inbound.channel, opened.assignee, opened.team),
        tagged=not opened.is_new,
    )
    event = ConversationCreated if opened.is_new else ConversationUpdated
    emit_conversation_read(uow, event, conv, conversation, change={"inbound": True})
    uow.emit(
        MessageCreated(
            workspace_id=conv.workspace_id,
            audience=conversation_keys(conv),
            data={
                "message": message_read(message, None).model_dump(mode="json"),
                "conversation": conversation.model_dump(mode="json"),
            },
        )
    )
    if inbound.channel.type == WEBCHAT:
        emit_to_visitor(uow, VisitorMessageCreated, conv.contact_id, message, None)
    return Recorded(message=message, conversation=conv, created=True)


async def _quoted(uow: UnitOfWork, inbound: Inbound) -> uuid.UUID | None:
    if not inbound.reply_to_provider_id:
        return None
    return await uow.session.scalar(
        select(Message.id).where(
            Message.channel_id == inbound.channel.id,
            Message.provider_message_id == inbound.reply_to_provider_id,
        )
    )


# What the inbox list shows for a message without text, by kind.
KIND_PREVIEWS = {
    MessageKind.LOCATION: "📍 location",
    MessageKind.CONTACTS: "👤 contact card",
    MessageKind.UNSUPPORTED: "⚠️ unsupported message",
}


def _touch(conv: Conversation, inbound: Inbound, now: datetime) -> None:
    if conv.status in (ConversationStatus.SNOOZED, ConversationStatus.PENDING):
        conv.status, conv.snoozed_until = ConversationStatus.OPEN, None
    if conv.waiting_since is None:
        conv.waiting_since = now
    conv.last_inbound_at = conv.last_activity_at = conv.last_message_at = now
    text = " ".join(inbound.body.split())
    fallback = KIND_PREVIEWS.get(inbound.kind, "📎 attachment")
    conv.last_message_preview = (text or fallback)[:PREVIEW_LENGTH]
