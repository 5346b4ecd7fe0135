"""Conversation events an API channel's integrator asked for: closed and assigned.

A channel whose setting `conversation_events` is true is told when one of its conversations is
closed or (re)assigned, by a callback like a reply's (signed, retried, in the delivery log).
The `api_channel_events` job chain reads the event log after a cursor it carries in its own
payload; each event becomes one `ApiCallback` row, unique per (channel, event id), so a batch
read twice (a job run again after a crash) queues nothing twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.channels.api_callbacks import (
    EVENT_CALLBACK_JOB,
    MAX_ATTEMPTS,
    ApiCallback,
    CallbackStatus,
)
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.db.outbox import EventLogEntry
from frontdesk.db.uow import UnitOfWork

API = "api"
EVENTS_SETTING = "conversation_events"
EVENT_TYPES = ("conversation.closed", "conversation.assigned")
BATCH_SIZE = 200


@dataclass(frozen=True)
class Dispatched:
    last_event_id: int
    events_read: int
    queued: int


async def log_end(uow: UnitOfWork) -> int:
    """Where a new chain starts reading: the log's end (history tells nobody anything)."""
    return int(await uow.session.scalar(select(func.max(EventLogEntry.id))) or 0)


async def _customer_id(uow: UnitOfWork, conversation_id: uuid.UUID, channel_id: uuid.UUID) -> str:
    found = await uow.session.scalar(
        select(ContactIdentity.provider_id)
        .join(Conversation, Conversation.contact_id == ContactIdentity.contact_id)
        .where(Conversation.id == conversation_id, ContactIdentity.channel_id == channel_id)
        .limit(1)
    )
    return found or ""


def _conversation(entry: EventLogEntry) -> dict[str, Any]:
    conversation = (entry.payload or {}).get("conversation")
    return conversation if isinstance(conversation, dict) else {}


def _id_of(value: Any) -> str | None:
    """The id of a nested object of the conversation as events carry it (channel, team...)."""
    return str(value["id"]) if isinstance(value, dict) and value.get("id") else None


def _channel_id(entry: EventLogEntry) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(_id_of(_conversation(entry).get("channel"))))
    except ValueError:
        return None


async def queue_conversation_events(uow: UnitOfWork, after_event_id: int) -> Dispatched:
    """One batch of the log after `after_event_id`: a callback per event for each opted-in
    API channel, with its job. Most batches read nothing (one indexed query)."""
    events = list(
        await uow.session.scalars(
            select(EventLogEntry)
            .where(EventLogEntry.id > after_event_id, EventLogEntry.type.in_(EVENT_TYPES))
            .order_by(EventLogEntry.id)
            .limit(BATCH_SIZE)
        )
    )
    if not events:
        return Dispatched(after_event_id, 0, 0)
    channel_ids = {c for c in map(_channel_id, events) if c is not None}
    channels = {
        c.id: c
        for c in await uow.session.scalars(
            select(Channel).where(Channel.id.in_(channel_ids), Channel.type == API)
        )
        if c.is_active and (c.settings or {}).get(EVENTS_SETTING) is True
    }
    queued = 0
    for entry in events:
        conversation = _conversation(entry)
        channel_id = _channel_id(entry)
        channel = channels.get(channel_id) if channel_id else None
        if channel is None or entry.workspace_id != channel.workspace_id:
            continue
        done = await uow.session.scalar(
            select(ApiCallback.id).where(
                ApiCallback.channel_id == channel.id, ApiCallback.event_id == entry.id
            )
        )
        if done is not None:
            continue
        conversation_id = uuid.UUID(str(conversation["id"]))
        payload = {
            "type": entry.type,
            "timestamp": entry.created_at.isoformat(),
            "data": {
                "channel_id": str(channel.id),
                "conversation_id": str(conversation_id),
                "customer": {"external_id": await _customer_id(uow, conversation_id, channel.id)},
                "status": conversation.get("status"),
                "assignee_id": _id_of(conversation.get("assignee")),
                "team_id": _id_of(conversation.get("team")),
            },
        }
        now = uow.now()
        row = ApiCallback(
            workspace_id=channel.workspace_id,
            channel_id=channel.id,
            message_id=None,
            event_type=entry.type,
            event_id=entry.id,
            payload=payload,
            status=CallbackStatus.PENDING,
            attempts=0,
            max_attempts=MAX_ATTEMPTS,
            history=[],
            created_at=now,
            updated_at=now,
        )
        uow.session.add(row)
        await uow.session.flush()
        uow.enqueue(EVENT_CALLBACK_JOB, {"callback_id": str(row.id)}, workspace_id=row.workspace_id)
        queued += 1
    return Dispatched(events[-1].id, len(events), queued)
