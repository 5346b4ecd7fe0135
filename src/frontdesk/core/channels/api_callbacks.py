"""The API channel's delivery log: each callback to an integrator's URL and its attempts.

An agent's reply on an API channel is a message like any other (pending, with its delivery
job, in the transaction that writes it); the channel's sender then POSTs it, signed, to the
channel's callback URL. This module keeps what the app shows of that: one `ApiCallback` row
per message, created on the first attempt, with every attempt's answer (status code or error,
how long it took), the next retry and the outcome. The HTTP call itself is made by
`channels/api_channel`; core only records and decides:

- 2xx: delivered.
- 408, 429, any 5xx, a timeout or a network failure: retried after an exponential backoff
  (`backoff_seconds`), until `max_attempts` attempts were made; then failed.
- any other answer (a 4xx, a callback URL refused or missing): failed at once.

"Retry now" brings a waiting callback's next attempt forward, or gives a failed one (and its
message) a fresh round of attempts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.conversations.messages import DELIVER_JOB, message_read
from frontdesk.core.conversations.models import Conversation, DeliveryStatus, Message, MessageKind
from frontdesk.core.errors import Conflict, NotFound
from frontdesk.core.events import MessageUpdated, conversation_audience
from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.outbox import Job, JobStatus
from frontdesk.db.types import JSONType
from frontdesk.db.uow import UnitOfWork

MAX_ATTEMPTS = 8
# The job that sends a callback which is not a reply (a conversation event): replies go
# through the delivery job, whose message they are.
EVENT_CALLBACK_JOB = "api_channel_callback"
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 3600.0
# While an attempt is in flight, other deliveries of the same callback wait this long.
ATTEMPT_LEASE_SECONDS = 60.0
HISTORY_KEPT = 20
RETRYABLE_STATUSES = frozenset({408, 429})
SERVER_ERRORS = 500
SUCCESS = range(200, 300)
ERROR_LENGTH = 500


class CallbackStatus:
    PENDING = "pending"  # created, first attempt in flight
    RETRYING = "retrying"  # an attempt failed; the next one is due at next_attempt_at
    DELIVERED = "delivered"
    FAILED = "failed"


class ApiCallback(Base):
    __tablename__ = "api_callback"
    __table_args__ = (
        Index("ix_api_callback_channel_created", "channel_id", "created_at"),
        # A conversation event is told once per channel, however often its dispatch re-runs.
        UniqueConstraint("channel_id", "event_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), unique=True
    )
    event_type: Mapped[str] = mapped_column(String(40))
    # The event log entry a conversation event was made from (null for a reply).
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    # The JSON body, fixed at creation: every attempt sends the same bytes and webhook-id.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=MAX_ATTEMPTS)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(ERROR_LENGTH))
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def webhook_id(self) -> str:
        """The Standard Webhooks `webhook-id`: the same on every attempt, for deduplication."""
        return f"msg_{self.id.hex}"


class ApiCallbackRead(BaseModel):
    id: uuid.UUID
    webhook_id: str
    event_type: str
    message_id: uuid.UUID | None
    status: str
    attempts: int
    max_attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    history: list[dict[str, Any]]
    created_at: datetime
    updated_at: datetime


def callback_read(row: ApiCallback) -> ApiCallbackRead:
    return ApiCallbackRead(
        id=row.id,
        webhook_id=row.webhook_id,
        event_type=row.event_type,
        message_id=row.message_id,
        status=row.status,
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at,
        history=list(row.history or []),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def backoff_seconds(attempts: int) -> float:
    """The wait after the `attempts`-th failed attempt: 5s, 10s, 20s ... capped at an hour."""
    exponent = min(max(attempts - 1, 0), 20)
    return float(min(BACKOFF_BASE_SECONDS * 2**exponent, BACKOFF_CAP_SECONDS))


def is_retryable(status_code: int | None) -> bool:
    """A timeout or network failure (no status), 408, 429 or a 5xx is worth another try."""
    return status_code is None or status_code in RETRYABLE_STATUSES or status_code >= SERVER_ERRORS


@dataclass(frozen=True)
class Claim:
    """What the sender may do now: send `payload` as `webhook_id`, or wait, or nothing."""

    callback_id: uuid.UUID
    webhook_id: str
    payload: dict[str, Any]
    wait_seconds: float = 0.0
    delivered: bool = False
    failed: bool = False


async def claim_message_callback(
    uow: UnitOfWork, message_id: uuid.UUID, channel_id: uuid.UUID, payload: dict[str, Any]
) -> Claim:
    """The message's callback row (created with `payload` on the first attempt), locked, and
    whether an attempt may start now; if so the row is leased for ATTEMPT_LEASE_SECONDS, so a
    second delivery job of the same message (after a "retry now") waits instead of sending."""
    now = uow.now()
    row = await uow.session.scalar(
        select(ApiCallback).where(ApiCallback.message_id == message_id).with_for_update()
    )
    if row is None:
        message = await uow.session.get_one(Message, message_id)
        row = ApiCallback(
            workspace_id=message.workspace_id,
            channel_id=channel_id,
            message_id=message_id,
            event_type="message.created",
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
    return _claim(uow, row)


async def claim_callback(uow: UnitOfWork, callback_id: uuid.UUID) -> Claim | None:
    """`claim_message_callback` for a callback that is not a message (a conversation event)."""
    row = await uow.session.scalar(
        select(ApiCallback).where(ApiCallback.id == callback_id).with_for_update()
    )
    return None if row is None else _claim(uow, row)


def _claim(uow: UnitOfWork, row: ApiCallback) -> Claim:
    now = uow.now()
    base = Claim(row.id, row.webhook_id, dict(row.payload))
    if row.status == CallbackStatus.DELIVERED:
        return Claim(row.id, row.webhook_id, base.payload, delivered=True)
    if row.status == CallbackStatus.FAILED:
        return Claim(row.id, row.webhook_id, base.payload, failed=True)
    if row.next_attempt_at is not None and row.next_attempt_at > now:
        wait = (row.next_attempt_at - now).total_seconds()
        return Claim(row.id, row.webhook_id, base.payload, wait_seconds=wait)
    row.next_attempt_at = now + timedelta(seconds=ATTEMPT_LEASE_SECONDS)
    return base


@dataclass(frozen=True)
class Attempt:
    """One POST's answer: a status code, or `error` when none came (timeout, refused...)."""

    status_code: int | None
    error: str | None
    duration_ms: int
    # Retrying cannot help (a refused or missing callback URL), whatever the status.
    final: bool = False


async def record_attempt(uow: UnitOfWork, callback_id: uuid.UUID, attempt: Attempt) -> ApiCallback:
    """Log the attempt and decide: delivered, retrying (with its next time) or failed."""
    now = uow.now()
    row = await uow.session.scalar(
        select(ApiCallback).where(ApiCallback.id == callback_id).with_for_update()
    )
    if row is None:
        raise NotFound("callback")
    row.attempts += 1
    row.last_status_code = attempt.status_code
    row.last_error = (attempt.error or None) and str(attempt.error)[:ERROR_LENGTH]
    entry: dict[str, Any] = {
        "attempt": row.attempts,
        "at": now.isoformat(),
        "status_code": attempt.status_code,
        "error": row.last_error,
        "duration_ms": attempt.duration_ms,
    }
    row.history = [*(row.history or []), entry][-HISTORY_KEPT:]
    row.updated_at = now
    ok = attempt.status_code in SUCCESS
    if ok and not attempt.final:
        row.status, row.delivered_at, row.next_attempt_at = CallbackStatus.DELIVERED, now, None
    elif (
        not attempt.final and is_retryable(attempt.status_code) and row.attempts < row.max_attempts
    ):
        row.status = CallbackStatus.RETRYING
        row.next_attempt_at = now + timedelta(seconds=backoff_seconds(row.attempts))
    else:
        row.status, row.next_attempt_at = CallbackStatus.FAILED, None
    return row


async def list_callbacks(
    uow: UnitOfWork, actor: Actor, channel_id: uuid.UUID, limit: int = 50
) -> list[ApiCallbackRead]:
    rows = await uow.session.scalars(
        select(ApiCallback)
        .where(ApiCallback.workspace_id == actor.workspace_id, ApiCallback.channel_id == channel_id)
        .order_by(ApiCallback.created_at.desc(), ApiCallback.id.desc())
        .limit(limit)
    )
    return [callback_read(r) for r in rows]


async def _pending_job(
    uow: UnitOfWork, workspace_id: uuid.UUID, message_id: uuid.UUID
) -> Job | None:
    jobs = await uow.session.scalars(
        select(Job).where(
            Job.kind == DELIVER_JOB,
            Job.workspace_id == workspace_id,
            Job.status == JobStatus.PENDING,
        )
    )
    return next((j for j in jobs if j.payload.get("message_id") == str(message_id)), None)


async def _back_to_pending(uow: UnitOfWork, message: Message) -> None:
    """A failed message goes out again: pending, its error cleared, its audience told."""
    message.status, message.error = DeliveryStatus.PENDING, None
    message.version += 1
    message.updated_at = uow.now()
    conv = await uow.session.get_one(Conversation, message.conversation_id)
    sender = await uow.session.get(User, message.sender_user_id) if message.sender_user_id else None
    await uow.session.flush()
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


async def retry_now(
    uow: UnitOfWork, actor: Actor, channel_id: uuid.UUID, callback_id: uuid.UUID
) -> ApiCallbackRead:
    """Attempt a waiting or failed callback again at once (owners and managers)."""
    actor.require_admin()
    row = await uow.session.scalar(
        select(ApiCallback)
        .where(
            ApiCallback.id == callback_id,
            ApiCallback.channel_id == channel_id,
            ApiCallback.workspace_id == actor.workspace_id,
        )
        .with_for_update()
    )
    if row is None:
        raise NotFound("callback")
    if row.status == CallbackStatus.DELIVERED:
        raise Conflict("this callback was delivered already", details={"field": "callback_id"})
    now = uow.now()
    if row.message_id is None:  # a conversation event: its own job sends it
        if row.status == CallbackStatus.FAILED:
            row.max_attempts = row.attempts + MAX_ATTEMPTS
        row.status, row.next_attempt_at, row.updated_at = CallbackStatus.RETRYING, now, now
        uow.enqueue(EVENT_CALLBACK_JOB, {"callback_id": str(row.id)}, workspace_id=row.workspace_id)
        record_audit(
            uow, actor, "channel.callback_retried", "channel", channel_id, callback_id=str(row.id)
        )
        return callback_read(row)
    message = await uow.session.get(Message, row.message_id)
    if message is None:
        raise Conflict("its message is gone", details={"field": "callback_id"})
    if row.status == CallbackStatus.FAILED:
        row.max_attempts = row.attempts + MAX_ATTEMPTS
        if message.status == DeliveryStatus.FAILED:
            await _back_to_pending(uow, message)
    row.status = CallbackStatus.RETRYING
    row.next_attempt_at = now
    row.updated_at = now
    job = await _pending_job(uow, row.workspace_id, message.id)
    if job is not None:
        job.run_at, job.updated_at = now, now
    else:
        uow.enqueue(DELIVER_JOB, {"message_id": str(message.id)}, workspace_id=row.workspace_id)
    record_audit(
        uow, actor, "channel.callback_retried", "channel", channel_id, callback_id=str(row.id)
    )
    return callback_read(row)
