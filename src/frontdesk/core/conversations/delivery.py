"""Recording what happened to an outbound message: sent, delivered, read or failed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.capabilities import capabilities_of
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.messages import message_read
from frontdesk.core.conversations.models import (
    Conversation,
    DeliveryReceipt,
    DeliveryStatus,
    Direction,
    Message,
    MessageKind,
    MessagePart,
)
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

SEND_READ_RECEIPT_JOB = "send_read_receipt"
# The error code of a message whose send was cut short before the provider's answer was
# recorded: it may or may not be with the customer (jobs/delivery.py).
SEND_UNCONFIRMED = "send_unconfirmed"
# How far back an earlier pending message of the conversation holds a delivery back.
ORDER_HORIZON = timedelta(days=1)


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
    conversation_id: uuid.UUID | None = None
    kind: str = MessageKind.TEXT
    # The template and its parameters, or the buttons / list, as `Message.payload` has them.
    payload: dict[str, Any] = field(default_factory=dict)
    # The provider's id of the message this one quotes, if any.
    reply_to_provider_id: str | None = None
    created_at: datetime | None = None
    # Parts an earlier attempt already handed to the provider: part number -> provider id.
    sent_parts: dict[int, str] = field(default_factory=dict)
    # Set when an earlier attempt began sending and its outcome was never recorded.
    send_started_at: datetime | None = None


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
    parts = await uow.session.execute(
        select(MessagePart.part, MessagePart.provider_message_id).where(
            MessagePart.message_id == message.id
        )
    )
    return Outgoing(
        message_id=message.id,
        workspace_id=message.workspace_id,
        channel_id=message.channel_id,
        contact_id=contact_id,
        body=message.body,
        attachments=list(message.attachments or []),
        status=message.status,
        conversation_id=message.conversation_id,
        kind=message.kind,
        payload=dict(message.payload or {}),
        reply_to_provider_id=message.reply_to_provider_id,
        created_at=message.created_at,
        sent_parts=dict(parts.all()),
        send_started_at=message.send_started_at,
    )


async def mark_send_started(uow: UnitOfWork, message_id: uuid.UUID, started: bool) -> None:
    """Note that an attempt is handing the message to its provider now (or no longer is: the
    provider refused it, so nothing went out).

    Bookkeeping, committed before the provider is called: a process that dies before it records
    the provider's answer leaves the mark, and the next attempt knows the message may already
    be with the customer.
    """
    await uow.session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(send_started_at=uow.now() if started else None)
    )


async def record_sent_part(
    uow: UnitOfWork, message_id: uuid.UUID, number: int, provider_id: str
) -> None:
    """Remember that part `number` of a message went out, so a retry does not send it again
    and the provider's reports on it find the message.

    Bookkeeping of a delivery in progress, not a change anyone sees: the message's status
    moves (with its event) when the whole message is sent or has failed.
    """
    message = await uow.session.get(Message, message_id)
    if message is None:
        return
    uow.session.add(
        MessagePart(
            workspace_id=message.workspace_id,
            channel_id=message.channel_id,
            message_id=message.id,
            part=number,
            provider_message_id=provider_id,
            created_at=uow.now(),
        )
    )


async def has_earlier_pending(uow: UnitOfWork, outgoing: Outgoing) -> bool:
    """Whether a message sent before this one in its conversation is still waiting to go.

    Deliveries of one conversation go out in the order they were written: a later one waits
    while an earlier one is pending (being sent, or waiting out a provider's rate limit). One
    pending for longer than ORDER_HORIZON is stuck, not slow, and holds nothing up.
    """
    if outgoing.conversation_id is None or outgoing.created_at is None:
        return False
    earlier = await uow.session.scalar(
        select(Message.id)
        .where(
            Message.conversation_id == outgoing.conversation_id,
            Message.direction == Direction.OUTBOUND,
            Message.status == DeliveryStatus.PENDING,
            Message.id != outgoing.message_id,
            Message.created_at >= outgoing.created_at - ORDER_HORIZON,
            or_(
                Message.created_at < outgoing.created_at,
                and_(
                    Message.created_at == outgoing.created_at,
                    Message.id < outgoing.message_id,
                ),
            ),
        )
        .limit(1)
    )
    return earlier is not None


def is_unconfirmed(message: Message) -> bool:
    """Failed only because its send's outcome is unknown: a report from the provider (which
    then names it) may still show it went out."""
    return (
        message.status == DeliveryStatus.FAILED
        and not message.provider_message_id
        and (message.error or {}).get("code") == SEND_UNCONFIRMED
    )


async def record_delivery(
    uow: UnitOfWork,
    message_id: uuid.UUID,
    status: str,
    *,
    provider_message_id: str | None = None,
    error: dict[str, Any] | None = None,
) -> bool:
    """Move the message's status forward and tell the conversation's audience; False if stale.

    The message row is locked and read afresh first: two reports on one message at once (a
    delivery and a read arriving together) queue, so the later never overwrites the further
    status with a nearer one. `FOR NO KEY UPDATE`, not `FOR UPDATE`: each report has just
    inserted a receipt referencing the message (a key-share lock on it), which a plain
    `FOR UPDATE` would wait for both ways, a deadlock.
    """
    message = await uow.session.scalar(
        select(Message)
        .where(Message.id == message_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if message is None:
        return False
    current = STATUS_RANK.get(message.status or "", -1)
    if is_unconfirmed(message) and provider_message_id:
        current = -1  # the provider's report shows where the message really is
    if STATUS_RANK[status] <= current and not (status == DeliveryStatus.FAILED and error):
        return False
    message.status = status
    message.error = error
    learned_id = bool(provider_message_id) and message.provider_message_id != provider_message_id
    if provider_message_id:
        message.provider_message_id = provider_message_id
    if learned_id:
        await _apply_parked(uow, message)
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
            audience=conversation_audience(
                conv.workspace_id,
                conv.team_id,
                [conv.assignee_id],
                channel_id=None if message.kind == MessageKind.NOTE else conv.channel_id,
            ),
            data={"message": message_read(message, sender).model_dump(mode="json")},
        )
    )
    return True


async def _apply_parked(uow: UnitOfWork, message: Message) -> None:
    """Reports the provider sent before the send's answer arrived: the furthest one wins."""
    parked = (
        await uow.session.scalars(
            select(DeliveryReceipt).where(
                DeliveryReceipt.channel_id == message.channel_id,
                DeliveryReceipt.provider_message_id == message.provider_message_id,
                DeliveryReceipt.message_id.is_(None),
            )
        )
    ).all()
    for receipt in parked:
        receipt.message_id = message.id
    best = max(parked, key=lambda r: STATUS_RANK.get(r.status, -1), default=None)
    if best is not None and STATUS_RANK.get(best.status, -1) > STATUS_RANK.get(
        message.status or "", -1
    ):
        message.status, message.error = best.status, best.error


async def mark_conversation_read(uow: UnitOfWork, conversation: Conversation) -> int:
    """An agent opened the conversation: the customer's messages so far are read.

    On channels that show it (`Capabilities.read_receipts`) the provider is told too, in a job,
    for the newest message: the customer's app marks the ones before it read as well.
    """
    unread = (
        await uow.session.execute(
            select(Message.id, Message.provider_message_id)
            .where(
                Message.conversation_id == conversation.id,
                Message.direction == Direction.INBOUND,
                Message.status == DeliveryStatus.RECEIVED,
            )
            # Two messages of one instant: the id (time-ordered to the millisecond) decides.
            .order_by(Message.created_at, Message.id)
        )
    ).all()
    count = 0
    for message_id, _ in unread:
        count += await record_delivery(uow, message_id, DeliveryStatus.READ)
    if count and unread[-1][1]:
        channel_type = await uow.session.scalar(
            select(Channel.type).where(Channel.id == conversation.channel_id)
        )
        if capabilities_of(channel_type).read_receipts:
            uow.enqueue(
                SEND_READ_RECEIPT_JOB,
                {"message_id": str(unread[-1][0])},
                workspace_id=conversation.workspace_id,
                max_attempts=3,
            )
    return count
