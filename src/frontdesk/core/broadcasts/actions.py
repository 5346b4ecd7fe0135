"""Changing broadcasts (owners and managers): write a draft, start it now or at its time,
pause, resume and cancel it. Each change is audited and emits `broadcast.changed`.

Starting does not send: it hands the broadcast to the `send_broadcast` job (at once, or at
the scheduled instant), which evaluates the segment once and releases recipients at the pace
the channel's send budget allows (`jobs/broadcasts.py`, `core/broadcasts/sending.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.broadcasts.events import emit_broadcast
from frontdesk.core.broadcasts.models import (
    Broadcast,
    BroadcastRecipient,
    BroadcastStatus,
    RecipientStatus,
)
from frontdesk.core.broadcasts.queries import get_broadcast
from frontdesk.core.broadcasts.schemas import (
    BroadcastContent,
    BroadcastCreate,
    BroadcastRead,
    BroadcastSegment,
    BroadcastUpdate,
)
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.compose import placeholder_count, template_body
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.tags.models import Tag
from frontdesk.core.templates.models import MessageTemplate, TemplateStatus
from frontdesk.db.uow import UnitOfWork

SEND_JOB = "send_broadcast"
# start, pause, resume, cancel: a change of state with nothing but the broadcast.
BroadcastAction = Callable[[UnitOfWork, Actor, Broadcast], Awaitable[BroadcastRead]]


async def _channel(uow: UnitOfWork, actor: Actor, channel_id: uuid.UUID) -> Channel:
    channel = await uow.session.scalar(
        select(Channel).where(Channel.id == channel_id, Channel.workspace_id == actor.workspace_id)
    )
    if channel is None:
        raise Invalid("no such channel in this workspace", field="channel_id")
    if not channel.is_active:
        raise Invalid("this channel is not connected", field="channel_id")
    return channel


async def _check_segment(uow: UnitOfWork, actor: Actor, segment: BroadcastSegment) -> None:
    wanted = set(segment.tag_ids)
    if not wanted:
        return
    found = set(
        await uow.session.scalars(
            select(Tag.id).where(Tag.workspace_id == actor.workspace_id, Tag.id.in_(wanted))
        )
    )
    if found != wanted:
        raise Invalid("unknown tag", field="segment.tag_ids")


async def _check_content(uow: UnitOfWork, channel: Channel, content: BroadcastContent) -> None:
    if content.kind == "text":
        return
    template = await uow.session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.id == content.template_id,
            MessageTemplate.workspace_id == channel.workspace_id,
            MessageTemplate.channel_id == channel.id,
        )
    )
    if template is None:
        raise Invalid("no such template on this channel", field="content.template_id")
    if template.status != TemplateStatus.APPROVED:
        raise Invalid(
            f"the template is {template.status.lower()}, not approved",
            field="content.template_id",
        )
    wanted = placeholder_count(template_body(template))
    if len(content.variables) != wanted:
        raise Invalid(
            f"the template needs {wanted} variable(s), {len(content.variables)} given",
            field="content.variables",
            expected=wanted,
        )


def scheduled_instant(send_at: datetime | None, time_zone: str | None) -> datetime | None:
    """The UTC instant of a local time in a zone (a time with an offset is taken as it is)."""
    if send_at is None:
        return None
    if send_at.tzinfo is None:
        if time_zone is None:
            raise Invalid("give the time zone of the scheduled time", field="time_zone")
        send_at = send_at.replace(tzinfo=ZoneInfo(time_zone))
    try:
        return send_at.astimezone(UTC)
    except OverflowError:
        raise Invalid("the scheduled time is out of range", field="send_at") from None


async def _changed(uow: UnitOfWork, broadcast: Broadcast, change: str) -> BroadcastRead:
    broadcast.version += 1
    broadcast.updated_at = uow.now()
    await uow.session.flush()
    read = await get_broadcast(uow.session, broadcast)
    emit_broadcast(uow, broadcast.workspace_id, read, change)
    return read


async def create_broadcast(uow: UnitOfWork, actor: Actor, data: BroadcastCreate) -> BroadcastRead:
    actor.require_admin()
    channel = await _channel(uow, actor, data.channel_id)
    await _check_segment(uow, actor, data.segment)
    await _check_content(uow, channel, data.content)
    send_at = scheduled_instant(data.send_at, data.time_zone)
    if send_at is not None and send_at <= uow.now():
        raise Invalid("the scheduled time has passed", field="send_at")
    now = uow.now()
    broadcast = Broadcast(
        workspace_id=actor.workspace_id,
        name=data.name,
        channel_id=channel.id,
        segment=data.segment.model_dump(mode="json"),
        content=data.content.model_dump(mode="json"),
        send_at=send_at,
        time_zone=data.time_zone or ("UTC" if send_at is not None else None),
        status=BroadcastStatus.DRAFT,
        created_by_id=actor.user_id,
        version=0,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(broadcast)
    await uow.session.flush()
    record_audit(uow, actor, "broadcast.created", "broadcast", broadcast.id, name=data.name)
    return await _changed(uow, broadcast, "created")


def _require(broadcast: Broadcast, *statuses: str, doing: str) -> None:
    if broadcast.status not in statuses:
        raise Conflict(
            f"a {broadcast.status} broadcast cannot be {doing}",
            details={"status": broadcast.status},
        )


async def update_broadcast(
    uow: UnitOfWork, actor: Actor, broadcast: Broadcast, data: BroadcastUpdate
) -> BroadcastRead:
    actor.require_admin()
    _require(broadcast, BroadcastStatus.DRAFT, doing="edited")
    channel = await _channel(uow, actor, broadcast.channel_id)
    if data.name is not None:
        broadcast.name = data.name
    if data.segment is not None:
        await _check_segment(uow, actor, data.segment)
        broadcast.segment = data.segment.model_dump(mode="json")
    if data.content is not None:
        await _check_content(uow, channel, data.content)
        broadcast.content = data.content.model_dump(mode="json")
    if "send_at" in data.model_fields_set:
        zone = data.time_zone or broadcast.time_zone
        send_at = scheduled_instant(data.send_at, zone)
        if send_at is not None and send_at <= uow.now():
            raise Invalid("the scheduled time has passed", field="send_at")
        broadcast.send_at = send_at
        broadcast.time_zone = (zone or "UTC") if send_at is not None else None
    record_audit(uow, actor, "broadcast.updated", "broadcast", broadcast.id)
    return await _changed(uow, broadcast, "updated")


async def start_broadcast(uow: UnitOfWork, actor: Actor, broadcast: Broadcast) -> BroadcastRead:
    """Send now, or (with a time still to come) schedule the job for that instant."""
    actor.require_admin()
    _require(broadcast, BroadcastStatus.DRAFT, doing="started")
    await _channel(uow, actor, broadcast.channel_id)
    now = uow.now()
    payload = {"broadcast_id": str(broadcast.id), "workspace_id": str(broadcast.workspace_id)}
    if broadcast.send_at is not None and broadcast.send_at > now:
        broadcast.status = BroadcastStatus.SCHEDULED
        uow.enqueue(
            SEND_JOB, payload, workspace_id=broadcast.workspace_id, run_at=broadcast.send_at
        )
        change = "scheduled"
    else:
        broadcast.status, broadcast.started_at = BroadcastStatus.SENDING, now
        uow.enqueue(SEND_JOB, payload, workspace_id=broadcast.workspace_id)
        change = "started"
    record_audit(uow, actor, f"broadcast.{change}", "broadcast", broadcast.id)
    return await _changed(uow, broadcast, change)


async def pause_broadcast(uow: UnitOfWork, actor: Actor, broadcast: Broadcast) -> BroadcastRead:
    """Stop releasing recipients; messages already written still go out."""
    actor.require_admin()
    _require(broadcast, BroadcastStatus.SENDING, doing="paused")
    broadcast.status = BroadcastStatus.PAUSED
    record_audit(uow, actor, "broadcast.paused", "broadcast", broadcast.id)
    return await _changed(uow, broadcast, "paused")


async def resume_broadcast(uow: UnitOfWork, actor: Actor, broadcast: Broadcast) -> BroadcastRead:
    actor.require_admin()
    _require(broadcast, BroadcastStatus.PAUSED, doing="resumed")
    broadcast.status = BroadcastStatus.SENDING
    uow.enqueue(
        SEND_JOB,
        {"broadcast_id": str(broadcast.id), "workspace_id": str(broadcast.workspace_id)},
        workspace_id=broadcast.workspace_id,
    )
    record_audit(uow, actor, "broadcast.resumed", "broadcast", broadcast.id)
    return await _changed(uow, broadcast, "resumed")


async def cancel_broadcast(uow: UnitOfWork, actor: Actor, broadcast: Broadcast) -> BroadcastRead:
    """Recipients not yet sent to are not sent to; a draft or a scheduled one never starts."""
    actor.require_admin()
    _require(
        broadcast,
        BroadcastStatus.DRAFT,
        BroadcastStatus.SCHEDULED,
        BroadcastStatus.SENDING,
        BroadcastStatus.PAUSED,
        doing="cancelled",
    )
    now = uow.now()
    broadcast.status, broadcast.finished_at = BroadcastStatus.CANCELLED, now
    await uow.session.execute(
        update(BroadcastRecipient)
        .where(
            BroadcastRecipient.broadcast_id == broadcast.id,
            BroadcastRecipient.status == RecipientStatus.PENDING,
        )
        .values(status=RecipientStatus.CANCELLED, updated_at=now)
    )
    record_audit(uow, actor, "broadcast.cancelled", "broadcast", broadcast.id)
    return await _changed(uow, broadcast, "cancelled")
