"""Recording what happened to an outbound message: sent, delivered, read or failed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.messages import message_read
from frontdesk.core.conversations.models import Conversation, DeliveryStatus, Direction, Message
from frontdesk.core.events import MessageUpdated, VisitorMessageUpdated, conversation_audience
from frontdesk.core.webchat.visitor import WEBCHAT, emit_to_visitor
from frontdesk.db.uow import UnitOfWork

# A status only moves forward: a late "delivered" never overwrites "read".
STATUS_RANK = {
    DeliveryStatus.RECEIVED: 0,
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.READ: 3,
    DeliveryStatus.FAILED: 4,
}


@dataclass(frozen=True)
class Outgoing:
    """What a delivery needs: the message and where it goes."""

    message_id: uuid.UUID
    workspace_id: uuid.UUID
    channel_id: uuid.UUID
    contact_id: uuid.UUID
    body: str
    attachments: list[dict[str, Any]]
    status: str | None


async def load_outgoing(uow: UnitOfWork, message_id: uuid.UUID) -> Outgoing | None:
    row = (
        await uow.session.execute(
            select(Message, Conversation.contact_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.id == message_id)
        )
    ).first()
    if row is None:
        return None
    message, contact_id = row
    return Outgoing(
        message_id=message.id,
        workspace_id=message.workspace_id,
        channel_id=message.channel_id,
        contact_id=contact_id,
        body=message.body,
        attachments=list(message.attachments or []),
        status=message.status,
    )


async def record_delivery(
    uow: UnitOfWork,
    message_id: uuid.UUID,
    status: str,
    *,
    provider_message_id: str | None = None,
    error: dict[str, Any] | None = None,
) -> bool:
    """Move the message's status forward and tell the conversation's audience; False if stale."""
    message = await uow.session.get(Message, message_id)
    if message is None:
        return False
    current = STATUS_RANK.get(message.status or "", -1)
    if STATUS_RANK[status] <= current and not (status == DeliveryStatus.FAILED and error):
        return False
    message.status = status
    message.error = error
    if provider_message_id:
        message.provider_message_id = provider_message_id
    message.version += 1
    message.updated_at = uow.now()
    conv = await uow.session.get_one(Conversation, message.conversation_id)
    sender = await uow.session.get(User, message.sender_user_id) if message.sender_user_id else None
    await uow.session.flush()
    channel_type = await uow.session.scalar(
        select(Channel.type).where(Channel.id == message.channel_id)
    )
    if channel_type == WEBCHAT:
        emit_to_visitor(uow, VisitorMessageUpdated, conv.contact_id, message, sender)
    uow.emit(
        MessageUpdated(
            workspace_id=message.workspace_id,
            audience=conversation_audience(conv.workspace_id, conv.team_id, [conv.assignee_id]),
            data={"message": message_read(message, sender).model_dump(mode="json")},
        )
    )
    return True


async def mark_conversation_read(uow: UnitOfWork, conversation: Conversation) -> int:
    """An agent opened the conversation: the customer's messages so far are read."""
    unread = await uow.session.scalars(
        select(Message.id)
        .where(
            Message.conversation_id == conversation.id,
            Message.direction == Direction.INBOUND,
            Message.status == DeliveryStatus.RECEIVED,
        )
        .order_by(Message.created_at)
    )
    count = 0
    for message_id in list(unread):
        count += await record_delivery(uow, message_id, DeliveryStatus.READ)
    return count
