"""API channel jobs: the chain that turns conversation events into callbacks for the channels
that asked for them (`api_channel_events`), and the job that sends one such callback
(`api_channel_callback`). Replies are sent by the delivery job, not here.

The chain carries its cursor (the last event id read) in its own payload and runs every couple
of seconds, like the workflow dispatcher; the callbacks it queues are unique per (channel,
event), so a batch read again after a crash queues nothing twice.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text

from frontdesk.channels.api_channel.outbound import CALLBACK_SETTING, SECRET_NAME, post_callback
from frontdesk.core.channels.api_callbacks import (
    EVENT_CALLBACK_JOB,
    ApiCallback,
    Attempt,
    CallbackStatus,
    claim_callback,
    record_attempt,
)
from frontdesk.core.channels.api_events import BATCH_SIZE, log_end, queue_conversation_events
from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job, JobStatus
from frontdesk.jobs.registry import RetryJobLater

EVENTS_JOB = "api_channel_events"
EVENTS_EVERY = timedelta(seconds=2)
EVENTS_LOCK = 7461542
MAX_BATCHES = 20

__all__ = [
    "EVENTS_JOB",
    "EVENT_CALLBACK_JOB",
    "dispatch_api_channel_events",
    "ensure_api_channel_chain",
    "send_api_callback",
]


async def dispatch_api_channel_events(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Batches until the log is read, then the next run of the chain."""
    after = int(payload.get("after", 0))
    for _ in range(MAX_BATCHES):
        async with runtime.uow() as uow:
            result = await queue_conversation_events(uow, after)
            done = result.events_read < BATCH_SIZE
            if done:
                uow.enqueue(EVENTS_JOB, {"after": result.last_event_id}, delay=EVENTS_EVERY)
            await uow.commit()
        after = result.last_event_id
        if done:
            return
    async with runtime.uow() as uow:
        uow.enqueue(EVENTS_JOB, {"after": after})
        await uow.commit()


async def ensure_api_channel_chain(runtime: Runtime) -> bool:
    """Start the chain at the log's end unless one is already waiting; True when it started."""
    async with runtime.uow() as uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(text(f"SELECT pg_advisory_xact_lock({EVENTS_LOCK})"))
        waiting = await uow.session.scalar(
            select(Job.id)
            .where(
                Job.kind == EVENTS_JOB,
                Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]),
            )
            .limit(1)
        )
        if waiting is not None:
            return False
        uow.enqueue(EVENTS_JOB, {"after": await log_end(uow)})
        await uow.commit()
        return True


async def send_api_callback(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Send one conversation event's callback; retried on the log's own backoff."""
    callback_id = uuid.UUID(payload["callback_id"])
    async with runtime.uow() as uow:
        claim = await claim_callback(uow, callback_id)
        channel = await uow.session.scalar(
            select(Channel)
            .join(ApiCallback, ApiCallback.channel_id == Channel.id)
            .where(ApiCallback.id == callback_id)
        )
        now = int(uow.now().timestamp())
        if channel is not None:
            uow.session.expunge(channel)
        await uow.commit()
    if claim is None or channel is None or claim.delivered or claim.failed:
        return
    if claim.wait_seconds > 0:
        raise RetryJobLater(claim.wait_seconds, "the next callback attempt is not due")
    url = (channel.settings or {}).get(CALLBACK_SETTING)
    stored = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    secret = stored.get(SECRET_NAME)
    if not isinstance(url, str) or not url or not isinstance(secret, str) or not secret:
        attempt = Attempt(None, "the channel has no callback URL or signing secret", 0, final=True)
    else:
        attempt = await post_callback(url, secret, claim.webhook_id, claim.payload, now)
    async with runtime.uow() as uow:
        row = await record_attempt(uow, callback_id, attempt)
        status, due = row.status, row.next_attempt_at
        await uow.commit()
    if status == CallbackStatus.RETRYING and due is not None:
        delay = max((due - runtime.clock.now()).total_seconds(), 0.05)
        raise RetryJobLater(delay, f"callback attempt failed: {attempt.error}")
