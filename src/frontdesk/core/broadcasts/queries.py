"""Reading broadcasts: one, the workspace's list, their counts, and their recipients.

Counts come from the recipients' messages as they are now (a delivery receipt moves a message
to delivered or read; the furthest status counts for every nearer one: a read message was
delivered and sent) and from the customers' messages after the broadcast's in the same
conversation (replied). Only owners and managers read broadcasts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.core.actor import Actor
from frontdesk.core.broadcasts.models import Broadcast, BroadcastRecipient, RecipientStatus
from frontdesk.core.broadcasts.schemas import (
    BroadcastContent,
    BroadcastCounts,
    BroadcastRead,
    BroadcastRecipientRead,
    BroadcastSegment,
    SegmentPreviewCreate,
    SegmentPreviewRead,
)
from frontdesk.core.broadcasts.segment import evaluate, tally
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import DeliveryStatus, Direction, Message
from frontdesk.core.errors import Invalid, NotFound

SENT_OR_FURTHER = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)
DELIVERED_OR_FURTHER = (DeliveryStatus.DELIVERED, DeliveryStatus.READ)
EMPTY = BroadcastCounts(
    recipients=0,
    pending=0,
    sent=0,
    delivered=0,
    read=0,
    replied=0,
    failed=0,
    skipped=0,
    cancelled=0,
)


async def access_broadcast(db: AsyncSession, actor: Actor, broadcast_id: uuid.UUID) -> Broadcast:
    actor.require_admin()
    broadcast = await db.scalar(
        select(Broadcast).where(
            Broadcast.id == broadcast_id, Broadcast.workspace_id == actor.workspace_id
        )
    )
    if broadcast is None:
        raise NotFound("broadcast")
    return broadcast


def _counting() -> Select[Any]:
    sent = aliased(Message)
    reply = aliased(Message)
    replied = exists().where(
        reply.conversation_id == sent.conversation_id,
        reply.direction == Direction.INBOUND,
        # Two messages of one instant: the id (time-ordered) says which came later.
        or_(
            reply.created_at > sent.created_at,
            and_(reply.created_at == sent.created_at, reply.id > sent.id),
        ),
    )

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    r = BroadcastRecipient
    return (
        select(
            r.broadcast_id,
            func.count(r.id),
            count(r.status == RecipientStatus.PENDING),
            count(sent.status.in_(SENT_OR_FURTHER)),
            count(sent.status.in_(DELIVERED_OR_FURTHER)),
            count(sent.status == DeliveryStatus.READ),
            count(and_(sent.id.is_not(None), replied)),
            count(sent.status == DeliveryStatus.FAILED),
            count(r.status == RecipientStatus.SKIPPED),
            count(r.status == RecipientStatus.CANCELLED),
        )
        .outerjoin(sent, sent.id == r.message_id)
        .group_by(r.broadcast_id)
    )


async def counts_of(
    db: AsyncSession, workspace_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, BroadcastCounts]:
    if not ids:
        return {}
    rows = await db.execute(
        _counting().where(
            BroadcastRecipient.workspace_id == workspace_id,
            BroadcastRecipient.broadcast_id.in_(ids),
        )
    )
    names = list(BroadcastCounts.model_fields)
    return {
        row[0]: BroadcastCounts(**dict(zip(names, (int(v) for v in row[1:]), strict=True)))
        for row in rows
    }


def broadcast_read(
    broadcast: Broadcast, channel: Channel, counts: BroadcastCounts | None
) -> BroadcastRead:
    return BroadcastRead(
        id=broadcast.id,
        name=broadcast.name,
        channel_id=broadcast.channel_id,
        channel_name=channel.name,
        channel_type=channel.type,
        segment=BroadcastSegment.model_validate(broadcast.segment),
        content=BroadcastContent.model_validate(broadcast.content),
        send_at=broadcast.send_at,
        time_zone=broadcast.time_zone,
        status=broadcast.status,  # type: ignore[arg-type]
        created_by_id=broadcast.created_by_id,
        started_at=broadcast.started_at,
        finished_at=broadcast.finished_at,
        counts=counts or EMPTY,
        version=broadcast.version,
        created_at=broadcast.created_at,
        updated_at=broadcast.updated_at,
    )


async def get_broadcast(db: AsyncSession, broadcast: Broadcast) -> BroadcastRead:
    channel = await db.get_one(Channel, broadcast.channel_id)
    counts = await counts_of(db, broadcast.workspace_id, [broadcast.id])
    return broadcast_read(broadcast, channel, counts.get(broadcast.id))


async def list_broadcasts(db: AsyncSession, actor: Actor, limit: int = 200) -> list[BroadcastRead]:
    """The workspace's broadcasts, newest first."""
    actor.require_admin()
    rows = (
        await db.execute(
            select(Broadcast, Channel)
            .join(Channel, Channel.id == Broadcast.channel_id)
            .where(Broadcast.workspace_id == actor.workspace_id)
            .order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
            .limit(limit)
        )
    ).all()
    counts = await counts_of(db, actor.workspace_id, [b.id for b, _ in rows])
    return [broadcast_read(b, c, counts.get(b.id)) for b, c in rows]


async def list_recipients(
    db: AsyncSession, broadcast: Broadcast, *, status: str | None, limit: int
) -> list[BroadcastRecipientRead]:
    """Recipients with their message's status; `status="failed"` lists the failures (the
    provider's error with each), `skipped` the ones not sent and why."""
    query = (
        select(BroadcastRecipient, Contact.name, Message.status, Message.error)
        .join(Contact, Contact.id == BroadcastRecipient.contact_id)
        .outerjoin(Message, Message.id == BroadcastRecipient.message_id)
        .where(
            BroadcastRecipient.workspace_id == broadcast.workspace_id,
            BroadcastRecipient.broadcast_id == broadcast.id,
        )
        .order_by(BroadcastRecipient.updated_at.desc(), BroadcastRecipient.id)
        .limit(limit)
    )
    if status == DeliveryStatus.FAILED:
        query = query.where(Message.status == DeliveryStatus.FAILED)
    elif status is not None:
        query = query.where(BroadcastRecipient.status == status)
    rows = (await db.execute(query)).all()
    return [
        BroadcastRecipientRead(
            id=r.id,
            contact_id=r.contact_id,
            contact_name=name,
            conversation_id=r.conversation_id,
            message_id=r.message_id,
            status=r.status,
            reason=r.reason,
            message_status=message_status,
            error={str(k): str(v) for k, v in error.items()} if error else None,
            updated_at=r.updated_at,
        )
        for r, name, message_status, error in rows
    ]


async def preview_segment(
    db: AsyncSession,
    actor: Actor,
    data: SegmentPreviewCreate,
    now: datetime,
) -> SegmentPreviewRead:
    """How many contacts the segment has now, and how many would be skipped and why."""
    actor.require_admin()
    channel = await db.scalar(
        select(Channel).where(
            Channel.id == data.channel_id, Channel.workspace_id == actor.workspace_id
        )
    )
    if channel is None:
        raise Invalid("no such channel in this workspace", field="channel_id")
    found = await evaluate(
        db,
        actor.workspace_id,
        channel,
        data.segment,
        now,
        free_text=data.free_text,
    )
    reachable, skipped = tally(found)
    return SegmentPreviewRead(matching=len(found), reachable=reachable, skipped=skipped)
