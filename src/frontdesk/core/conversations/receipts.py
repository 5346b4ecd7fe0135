"""A provider's status reports for outbound messages: stored once, applied monotonically.

Reports arrive more than once, out of order, and sometimes before the send's own answer (so
before the message knows its provider id). Each (channel, provider id, status) is stored once;
one for a known message moves its status forward (sent < delivered < read; failed, with the
provider's error, is final); one for a message not known yet is parked and applied when the
message learns its id (`delivery.record_delivery`) or by the retry job. Any arrival order ends
in the same state.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.delivery import STATUS_RANK, is_unconfirmed, record_delivery
from frontdesk.core.conversations.models import (
    DeliveryReceipt,
    DeliveryStatus,
    Direction,
    Message,
    MessagePart,
)
from frontdesk.db.ids import new_id
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored

REPORTED_STATUSES = frozenset(
    {DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ, DeliveryStatus.FAILED}
)
RETRY_PARKED_JOB = "retry_parked_receipt"
# A parked report is looked at again this often, for this long, then left for good (it was
# about a message sent by another system on the same number).
PARKED_RETRY_SECONDS = 30.0
PARKED_PATIENCE = timedelta(minutes=30)


class ReceiptOutcome(enum.StrEnum):
    APPLIED = "applied"  # the message's status moved
    STALE = "stale"  # stored, but the message was already further along
    PARKED = "parked"  # no such message yet
    DUPLICATE = "duplicate"  # this report was stored before


async def _target(
    uow: UnitOfWork, channel_id: uuid.UUID, provider_id: str, ours: uuid.UUID | None = None
) -> Message | None:
    """The outbound message a report names: by its provider id, or by the id of one of its
    parts once the whole message has been handed over (a report on a part of a message still
    being sent waits, parked, so it cannot stop the rest from going out), or, by the id we
    gave the provider to echo, a message whose send was cut short before its answer was
    recorded (`jobs/delivery.py`): the report settles the doubt."""
    message = await uow.session.scalar(
        select(Message).where(
            Message.channel_id == channel_id,
            Message.provider_message_id == provider_id,
            Message.direction == Direction.OUTBOUND,
        )
    )
    if message is not None:
        return message
    message = await uow.session.scalar(
        select(Message)
        .join(MessagePart, MessagePart.message_id == Message.id)
        .where(
            MessagePart.channel_id == channel_id,
            MessagePart.provider_message_id == provider_id,
            Message.status != DeliveryStatus.PENDING,
        )
    )
    if message is not None or ours is None:
        return message
    unconfirmed = await uow.session.scalar(
        select(Message).where(
            Message.id == ours,
            Message.channel_id == channel_id,
            Message.direction == Direction.OUTBOUND,
            Message.status == DeliveryStatus.FAILED,
        )
    )
    return unconfirmed if unconfirmed is not None and is_unconfirmed(unconfirmed) else None


async def record_receipt(
    uow: UnitOfWork,
    channel: Channel,
    provider_message_id: str,
    status: str,
    *,
    occurred_at: datetime | None = None,
    error: dict[str, Any] | None = None,
    our_message_id: uuid.UUID | None = None,
) -> ReceiptOutcome:
    """Store a status report and apply it if its message is known (see the module's doc)."""
    if status not in REPORTED_STATUSES:
        raise ValueError(f"not a delivery status: {status!r}")
    message = await _target(uow, channel.id, provider_message_id, our_message_id)
    error = error if status == DeliveryStatus.FAILED else None
    values = {
        "id": new_id(),
        "workspace_id": channel.workspace_id,
        "channel_id": channel.id,
        "provider_message_id": provider_message_id,
        "status": status,
        "occurred_at": occurred_at,
        "error": error,
        "message_id": message.id if message else None,
        "our_message_id": our_message_id,
        "created_at": uow.now(),
    }
    unique = ("channel_id", "provider_message_id", "status")
    receipt_id = await insert_unless_stored(
        uow.session, DeliveryReceipt, values, unique, DeliveryReceipt.id
    )
    if receipt_id is None:
        return ReceiptOutcome.DUPLICATE
    if message is None:
        uow.enqueue(
            RETRY_PARKED_JOB,
            {"receipt_id": str(receipt_id)},
            workspace_id=channel.workspace_id,
            delay=timedelta(seconds=PARKED_RETRY_SECONDS),
        )
        return ReceiptOutcome.PARKED
    moved = await _apply(uow, message, provider_message_id, status, error)
    return ReceiptOutcome.APPLIED if moved else ReceiptOutcome.STALE


async def _apply(
    uow: UnitOfWork,
    message: Message,
    provider_message_id: str,
    status: str,
    error: dict[str, Any] | None,
) -> bool:
    # An unconfirmed message learns its provider id from the report: the provider did take it.
    learned = provider_message_id if is_unconfirmed(message) else None
    return await record_delivery(uow, message.id, status, provider_message_id=learned, error=error)


async def retry_parked_receipt(uow: UnitOfWork, receipt_id: uuid.UUID) -> bool | None:
    """Try a parked report again: True applied, False keep waiting, None give up (or gone)."""
    receipt = await uow.session.get(DeliveryReceipt, receipt_id)
    if receipt is None or receipt.message_id is not None:
        return None
    message = await _target(
        uow, receipt.channel_id, receipt.provider_message_id, receipt.our_message_id
    )
    if message is None:
        return False if uow.now() - receipt.created_at < PARKED_PATIENCE else None
    receipt.message_id = message.id
    current = STATUS_RANK.get(message.status or "", -1)
    if STATUS_RANK[receipt.status] > current or is_unconfirmed(message):
        await _apply(uow, message, receipt.provider_message_id, receipt.status, receipt.error)
    return True
