"""Reads of webhook subscriptions and their delivery log (owners and managers only)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.errors import Invalid, NotFound
from frontdesk.core.pagination import Page, cursor_uuid, decode_cursor, encode_cursor
from frontdesk.core.webhooks.models import WebhookDelivery, WebhookSubscription
from frontdesk.core.webhooks.schemas import (
    WebhookAttemptRead,
    WebhookDeliveryRead,
    WebhookSubscriptionRead,
)


def subscription_read(row: WebhookSubscription) -> WebhookSubscriptionRead:
    return WebhookSubscriptionRead(
        id=row.id,
        url=row.url,
        description=row.description,
        event_types=list(row.event_types or []),
        is_enabled=row.is_enabled,
        disabled_reason=row.disabled_reason,  # type: ignore[arg-type]
        disabled_at=row.disabled_at,
        failed_in_a_row=row.failed_in_a_row,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def access_webhook_subscription(
    db: AsyncSession, actor: Actor, subscription_id: uuid.UUID
) -> WebhookSubscription:
    """The caller's workspace's subscription, for owners and managers; else not found."""
    actor.require_admin()
    row = await db.scalar(
        select(WebhookSubscription).where(
            WebhookSubscription.id == subscription_id,
            WebhookSubscription.workspace_id == actor.workspace_id,
        )
    )
    if row is None:
        raise NotFound("webhook subscription")
    return row


async def list_webhook_subscriptions(
    db: AsyncSession, actor: Actor
) -> list[WebhookSubscriptionRead]:
    actor.require_admin()
    rows = await db.scalars(
        select(WebhookSubscription)
        .where(WebhookSubscription.workspace_id == actor.workspace_id)
        .order_by(WebhookSubscription.created_at, WebhookSubscription.id)
    )
    return [subscription_read(r) for r in rows]


def delivery_read(row: WebhookDelivery) -> WebhookDeliveryRead:
    return WebhookDeliveryRead(
        id=row.id,
        subscription_id=row.subscription_id,
        webhook_id=row.webhook_id,
        event_id=row.event_id,
        event_type=row.event_type,
        status=row.status,  # type: ignore[arg-type]
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status_code=row.last_status_code,
        last_response=row.last_response,
        last_error=row.last_error,
        last_duration_ms=row.last_duration_ms,
        history=[WebhookAttemptRead.model_validate(h) for h in row.history or []],
        payload=dict(row.payload),
        delivered_at=row.delivered_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def access_webhook_delivery(
    db: AsyncSession, actor: Actor, subscription_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery:
    actor.require_admin()
    row = await db.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.subscription_id == subscription_id,
            WebhookDelivery.workspace_id == actor.workspace_id,
        )
    )
    if row is None:
        raise NotFound("webhook delivery")
    return row


async def list_webhook_deliveries(
    db: AsyncSession,
    actor: Actor,
    subscription_id: uuid.UUID,
    *,
    status: str | None = None,
    event_type: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[WebhookDeliveryRead]:
    """The subscription's deliveries, newest first, filtered by status and event type."""
    actor.require_admin()
    query = select(WebhookDelivery).where(
        WebhookDelivery.workspace_id == actor.workspace_id,
        WebhookDelivery.subscription_id == subscription_id,
    )
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    if event_type is not None:
        query = query.where(WebhookDelivery.event_type == event_type)
    if cursor:
        created, last_id = decode_cursor(cursor, 2)
        try:
            at = datetime.fromisoformat(str(created))
        except ValueError:
            raise Invalid("the cursor is not valid", field="cursor") from None
        before = cursor_uuid(last_id)
        query = query.where(
            (WebhookDelivery.created_at < at)
            | ((WebhookDelivery.created_at == at) & (WebhookDelivery.id < before))
        )
    rows = list(
        await db.scalars(
            query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(
                limit + 1
            )
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].created_at.isoformat(), rows[-1].id) if more else None
    return Page(items=[delivery_read(r) for r in rows], next_cursor=next_cursor)
