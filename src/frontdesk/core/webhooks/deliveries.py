"""Webhook deliveries: made from the event log, attempted on the schedule, logged, replayed.

The dispatcher job reads the event log after its cursor; each event of a subscription's types
and of its workspace becomes one `WebhookDelivery` (unique per subscription and event, so a
batch read twice makes nothing twice) with its `webhook_deliver` job. The job claims the row,
POSTs it (the HTTP call is the job's: core has no client) and hands the answer back here:

- 2xx: delivered; the subscription's count of failed deliveries starts again;
- anything else (a status, a timeout, a refused connection): the next attempt is scheduled by
  `catalogue.RETRY_SCHEDULE_SECONDS`; after the last one the delivery has failed, and a
  subscription whose last deliveries all failed so is disabled (`catalogue`), with a notice job;
- a URL that may not be called (a private address): failed at once.

A replay from the log is one more attempt at once, not retried and not counted against the
subscription; replaying a delivery still waiting for its next attempt brings that attempt
forward instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict
from frontdesk.core.events import supervisors_key
from frontdesk.core.webhooks.catalogue import (
    ATTEMPT_LEASE,
    DISABLED_FAILING,
    FAILED_DELIVERIES_TO_DISABLE,
    HISTORY_KEPT,
    PING,
    retry_delay,
)
from frontdesk.core.webhooks.events import WebhookDeliveryUpdated, subscription_changed
from frontdesk.core.webhooks.models import ERROR_LENGTH, WebhookDelivery, WebhookSubscription
from frontdesk.core.webhooks.queries import delivery_read
from frontdesk.core.webhooks.schemas import WebhookDeliveryRead
from frontdesk.db.uow import UnitOfWork

WEBHOOK_DELIVER_JOB = "webhook_deliver"
WEBHOOK_DISABLED_JOB = "webhook_notify_disabled"


class DeliveryStatus:
    PENDING = "pending"  # made, first attempt due or in flight
    RETRYING = "retrying"  # an attempt failed; the next is due at next_attempt_at
    DELIVERED = "delivered"
    FAILED = "failed"
    ALL = (PENDING, RETRYING, DELIVERED, FAILED)


def _emit(uow: UnitOfWork, row: WebhookDelivery) -> None:
    uow.emit(
        WebhookDeliveryUpdated(
            workspace_id=row.workspace_id,
            audience=(supervisors_key(row.workspace_id),),
            data={"webhook_delivery": delivery_read(row).model_dump(mode="json")},
        )
    )


async def new_delivery(  # noqa: PLR0917 - one delivery's whole origin
    uow: UnitOfWork,
    subscription: WebhookSubscription,
    event_id: int | None,
    event_type: str,
    at: datetime,
    data: dict[str, Any],
) -> WebhookDelivery:
    """A delivery of one event (or a ping) with its job, due at once."""
    now = uow.now()
    row = WebhookDelivery(
        workspace_id=subscription.workspace_id,
        subscription_id=subscription.id,
        event_id=event_id,
        event_type=event_type,
        payload={"type": event_type, "timestamp": at.isoformat(), "data": data},
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        history=[],
        created_at=now,
        updated_at=now,
    )
    uow.session.add(row)
    await uow.session.flush()
    uow.enqueue(WEBHOOK_DELIVER_JOB, {"delivery_id": str(row.id)}, workspace_id=row.workspace_id)
    _emit(uow, row)
    return row


@dataclass(frozen=True)
class Claim:
    """What the sender may do now: POST `payload` to `url` as `webhook_id`, or wait, or stop."""

    delivery_id: uuid.UUID
    webhook_id: str
    url: str
    secret_sealed: str
    payload: dict[str, Any]
    wait_seconds: float = 0.0
    done: bool = False


async def claim_delivery(uow: UnitOfWork, delivery_id: uuid.UUID, *, replay: bool) -> Claim | None:
    """The delivery locked, and whether an attempt may start now; if so it is leased, so a
    second job of the same delivery (a replay) waits instead of sending twice."""
    row = await uow.session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    )
    sub = await uow.session.get(WebhookSubscription, row.subscription_id) if row else None
    if row is None or sub is None:
        return None
    now = uow.now()
    claim = Claim(row.id, row.webhook_id, sub.url, sub.secret_sealed, dict(row.payload))
    if row.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED) and not replay:
        return Claim(**{**claim.__dict__, "done": True})
    if not sub.is_enabled:
        row.status, row.next_attempt_at, row.updated_at = DeliveryStatus.FAILED, None, now
        row.last_error = "Not sent: the subscription is disabled."
        _emit(uow, row)
        return Claim(**{**claim.__dict__, "done": True})
    if row.next_attempt_at is not None and row.next_attempt_at > now:
        wait = (row.next_attempt_at - now).total_seconds()
        return Claim(**{**claim.__dict__, "wait_seconds": wait})
    row.next_attempt_at = now + ATTEMPT_LEASE
    return claim


@dataclass(frozen=True)
class Attempt:
    """One POST's answer: a status code, or `error` when none came (timeout, refused...)."""

    status_code: int | None
    error: str | None
    duration_ms: int
    response: str | None = None
    # Retrying cannot help (a URL that may not be called).
    final: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300  # noqa: PLR2004


@dataclass(frozen=True)
class Outcome:
    status: str
    next_attempt_at: datetime | None
    disabled_subscription_id: uuid.UUID | None = None


async def record_delivery_attempt(
    uow: UnitOfWork, delivery_id: uuid.UUID, attempt: Attempt, *, replay: bool
) -> Outcome | None:
    """Log the attempt and decide: delivered, retrying (with its next time) or failed."""
    row = await uow.session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    )
    sub = await uow.session.get(WebhookSubscription, row.subscription_id) if row else None
    if row is None or sub is None:
        return None
    now = uow.now()
    row.attempts += 1
    row.last_status_code, row.last_duration_ms = attempt.status_code, attempt.duration_ms
    row.last_error = attempt.error[:ERROR_LENGTH] if attempt.error else None
    row.last_response = attempt.response[:ERROR_LENGTH] if attempt.response else None
    entry = {
        "attempt": row.attempts,
        "at": now.isoformat(),
        "status_code": attempt.status_code,
        "error": row.last_error,
        "duration_ms": attempt.duration_ms,
    }
    row.history = [*(row.history or []), entry][-HISTORY_KEPT:]
    row.updated_at = now
    delay = None if attempt.final or replay else retry_delay(row.attempts)
    disabled = None
    if attempt.ok:
        row.status, row.delivered_at, row.next_attempt_at = DeliveryStatus.DELIVERED, now, None
        if row.event_type != PING:
            sub.failed_in_a_row = 0
    elif delay is not None:
        row.status, row.next_attempt_at = DeliveryStatus.RETRYING, now + delay
    else:
        row.status, row.next_attempt_at = DeliveryStatus.FAILED, None
        if not replay and row.event_type != PING:
            disabled = _count_failure(uow, sub)
    _emit(uow, row)
    return Outcome(row.status, row.next_attempt_at, disabled)


def _count_failure(uow: UnitOfWork, sub: WebhookSubscription) -> uuid.UUID | None:
    """One more delivery failed for good; the subscription is disabled at the limit."""
    sub.failed_in_a_row += 1
    if not sub.is_enabled or sub.failed_in_a_row < FAILED_DELIVERIES_TO_DISABLE:
        return None
    now = uow.now()
    sub.is_enabled, sub.disabled_at, sub.updated_at = False, now, now
    sub.disabled_reason = DISABLED_FAILING
    uow.enqueue(
        WEBHOOK_DISABLED_JOB, {"subscription_id": str(sub.id)}, workspace_id=sub.workspace_id
    )
    uow.emit(subscription_changed(sub, "disabled"))
    return sub.id


async def replay_webhook_delivery(
    uow: UnitOfWork, actor: Actor, sub: WebhookSubscription, row: WebhookDelivery
) -> WebhookDeliveryRead:
    """Attempt the delivery again at once, with the same body and webhook-id."""
    actor.require_admin()
    if not sub.is_enabled:
        raise Conflict(
            "the subscription is disabled: turn it on before replaying",
            details={"field": "is_enabled"},
        )
    now = uow.now()
    replay = row.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)
    if replay:
        row.status = DeliveryStatus.PENDING
    row.next_attempt_at, row.updated_at = now, now
    uow.enqueue(
        WEBHOOK_DELIVER_JOB,
        {"delivery_id": str(row.id), "replay": replay},
        workspace_id=row.workspace_id,
    )
    record_audit(
        uow,
        actor,
        "webhook_delivery.replayed",
        "webhook_subscription",
        sub.id,
        delivery_id=str(row.id),
    )
    _emit(uow, row)
    return delivery_read(row)
