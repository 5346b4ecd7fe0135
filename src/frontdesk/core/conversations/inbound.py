"""Recording a customer's message, whatever the channel: deduplicated, then threaded.

The (channel, provider message id) unique constraint is the guard against duplicates: a
redelivered message finds the first copy and changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.emit import emit_conversation
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
from frontdesk.core.events import (
    ConversationCreated,
    ConversationUpdated,
    MessageCreated,
    VisitorMessageCreated,
)
from frontdesk.core.routing import ledger
from frontdesk.core.webchat.visitor import WEBCHAT, emit_to_visitor
from frontdesk.db.uow import UnitOfWork

PREVIEW_LENGTH = 200


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


async def _open_conversation(uow: UnitOfWork, inbound: Inbound) -> tuple[Conversation, bool]:
    """The contact's live conversation on this channel, or a new one in the channel's team."""
    conv = await uow.session.scalar(
        select(Conversation)
        .where(
            Conversation.workspace_id == inbound.channel.workspace_id,
            Conversation.channel_id == inbound.channel.id,
            Conversation.contact_id == inbound.contact_id,
            Conversation.status != ConversationStatus.CLOSED,
        )
        .order_by(Conversation.created_at.desc())
        .limit(1)
    )
    if conv is not None:
        return conv, False
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
    return conv, True


async def record_inbound_message(uow: UnitOfWork, inbound: Inbound) -> Recorded:
    """Store the message once and bring its conversation up to date, with their events."""
    if (found := await _existing(uow, inbound)) is not None:
        return found
    conv, is_new = await _open_conversation(uow, inbound)
    now = uow.now()
    message = Message(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        channel_id=inbound.channel.id,
        direction=Direction.INBOUND,
        sender_type=SenderType.CONTACT,
        kind=inbound.kind,
        body=inbound.body,
        attachments=inbound.attachments,
        mentions=[],
        client_message_id=inbound.client_message_id,
        provider_message_id=inbound.provider_message_id,
        status=DeliveryStatus.RECEIVED,
        payload=inbound.payload,
        raw=inbound.raw,
        reply_to_provider_id=inbound.reply_to_provider_id,
        reply_to_message_id=await _quoted(uow, inbound),
        version=1,
        created_at=now,
        updated_at=now,
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(message)
    except IntegrityError:
        # The same message, recorded by a concurrent delivery a moment ago.
        found = await _existing(uow, inbound)
        if found is None:
            raise
        return found
    _touch(conv, inbound, now)
    if conv.assignee_id is None and conv.queued_at is None:
        # A new or unworked conversation: routing decides, in a job, after this commit.
        ledger.request_route(uow, conv)
    event = ConversationCreated if is_new else ConversationUpdated
    conversation = await emit_conversation(uow, event, conv, change={"inbound": True})
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
    conv.last_inbound_at = conv.last_activity_at = now
    text = " ".join(inbound.body.split())
    fallback = KIND_PREVIEWS.get(inbound.kind, "📎 attachment")
    conv.last_message_preview = (text or fallback)[:PREVIEW_LENGTH]
