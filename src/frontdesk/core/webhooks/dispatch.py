"""The dispatcher's step: one batch of the event log after a cursor, fanned out to the
subscriptions that want each event (deliveries) and to the team chat hooks told of
escalations. The cursor is carried by the dispatcher job's own payload; deliveries are unique
per (subscription, event), so a batch read again after a crash makes no delivery twice.

The chain is started by the first subscription or team chat hook (and again by any made or
turned on later, should it have stopped), at the log's end: an install without webhooks never
polls the log for them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select, text, tuple_

from frontdesk.core.webhooks.catalogue import EVENT_TYPES, visible_to_workspace
from frontdesk.core.webhooks.chat import queue_team_chat_posts
from frontdesk.core.webhooks.deliveries import new_delivery
from frontdesk.core.webhooks.models import WebhookDelivery, WebhookSubscription
from frontdesk.db.outbox import EventLogEntry, Job, JobStatus
from frontdesk.db.uow import UnitOfWork

BATCH_SIZE = 200
WEBHOOK_DISPATCH_JOB = "webhook_dispatch"
DISPATCH_LOCK = 7461543


@dataclass(frozen=True)
class Dispatched:
    last_event_id: int
    events_read: int
    deliveries: int
    chat_posts: int


async def log_end(uow: UnitOfWork) -> int:
    """Where a new dispatcher starts reading: the log's end."""
    return int(await uow.session.scalar(select(func.max(EventLogEntry.id))) or 0)


async def ensure_dispatcher(uow: UnitOfWork) -> bool:
    """Start the dispatcher chain at the log's end unless one is waiting; True when started."""
    if uow.session.get_bind().dialect.name == "postgresql":
        await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({DISPATCH_LOCK})"))
    waiting = await uow.session.scalar(
        select(Job.id)
        .where(
            Job.kind == WEBHOOK_DISPATCH_JOB,
            Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]),
        )
        .limit(1)
    )
    if waiting is not None:
        return False
    uow.enqueue(WEBHOOK_DISPATCH_JOB, {"after": await log_end(uow)})
    return True


async def _subscriptions(
    uow: UnitOfWork, workspace_ids: set[uuid.UUID]
) -> dict[uuid.UUID, list[WebhookSubscription]]:
    found: dict[uuid.UUID, list[WebhookSubscription]] = defaultdict(list)
    if not workspace_ids:
        return found
    rows = await uow.session.scalars(
        select(WebhookSubscription)
        .where(
            WebhookSubscription.workspace_id.in_(list(workspace_ids)),
            WebhookSubscription.is_enabled.is_(True),
        )
        .order_by(WebhookSubscription.created_at, WebhookSubscription.id)
    )
    for row in rows:
        found[row.workspace_id].append(row)
    return found


def _wants(sub: WebhookSubscription, entry: EventLogEntry) -> bool:
    if entry.id <= sub.start_after_event_id:
        return False
    return not sub.event_types or entry.type in sub.event_types


async def dispatch_webhook_events(
    uow: UnitOfWork, after_event_id: int, base_url: str
) -> Dispatched:
    """One batch after `after_event_id`; most batches read nothing (one indexed query)."""
    events = list(
        await uow.session.scalars(
            select(EventLogEntry)
            .where(EventLogEntry.id > after_event_id, EventLogEntry.type.in_(EVENT_TYPES))
            .order_by(EventLogEntry.id)
            .limit(BATCH_SIZE)
        )
    )
    if not events:
        return Dispatched(after_event_id, 0, 0, 0)
    shown = [
        e
        for e in events
        if e.workspace_id is not None and visible_to_workspace(e.workspace_id, e.audience)
    ]
    subscriptions = await _subscriptions(uow, {e.workspace_id for e in shown if e.workspace_id})
    wanted = [
        (sub, entry)
        for entry in shown
        if entry.workspace_id is not None
        for sub in subscriptions.get(entry.workspace_id, [])
        if _wants(sub, entry)
    ]
    made: set[tuple[uuid.UUID, int]] = set()
    if wanted:
        pairs = [(sub.id, entry.id) for sub, entry in wanted]
        made = {
            (s, int(e or 0))
            for s, e in await uow.session.execute(
                select(WebhookDelivery.subscription_id, WebhookDelivery.event_id).where(
                    tuple_(WebhookDelivery.subscription_id, WebhookDelivery.event_id).in_(pairs)
                )
            )
        }
    deliveries = 0
    for sub, entry in wanted:
        if (sub.id, entry.id) not in made:
            await new_delivery(uow, sub, entry.id, entry.type, entry.created_at, entry.payload)
            deliveries += 1
    chat_posts = await queue_team_chat_posts(uow, shown, base_url)
    return Dispatched(events[-1].id, len(events), deliveries, chat_posts)
