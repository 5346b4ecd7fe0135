"""Webhook subscriptions: made, changed, removed, re-keyed and pinged by owners and managers.

The signing secret is made here, sealed with the server's key, and returned once (on creation
and on rotation); reads never carry it. A new subscription starts after the log's current end,
so it is never sent what happened before it existed.
"""

from __future__ import annotations

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.security import SecretBox
from frontdesk.core.standard_webhooks import new_signing_secret
from frontdesk.core.webhooks.catalogue import DISABLED_BY_MEMBER, PING
from frontdesk.core.webhooks.deliveries import new_delivery
from frontdesk.core.webhooks.dispatch import ensure_dispatcher
from frontdesk.core.webhooks.events import subscription_changed
from frontdesk.core.webhooks.models import WebhookDelivery, WebhookSubscription
from frontdesk.core.webhooks.queries import subscription_read
from frontdesk.core.webhooks.schemas import (
    WebhookSecretRead,
    WebhookSubscriptionCreate,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
)
from frontdesk.db.outbox import latest_event_id
from frontdesk.db.uow import UnitOfWork

SECRET_NAME = "secret"  # noqa: S105 - the name of a secret


def open_secret(box: SecretBox, sealed: str) -> str:
    """The `whsec_...` secret of a subscription's sealed copy."""
    return str(box.open(sealed).get(SECRET_NAME, ""))


async def create_webhook_subscription(
    uow: UnitOfWork, actor: Actor, box: SecretBox, data: WebhookSubscriptionCreate
) -> WebhookSecretRead:
    actor.require_admin()
    now, secret = uow.now(), new_signing_secret()
    row = WebhookSubscription(
        workspace_id=actor.workspace_id,
        url=str(data.url),
        description=data.description.strip(),
        event_types=list(data.event_types),
        secret_sealed=box.seal({SECRET_NAME: secret}),
        is_enabled=True,
        failed_in_a_row=0,
        start_after_event_id=await latest_event_id(uow.session),
        created_at=now,
        updated_at=now,
    )
    uow.session.add(row)
    await uow.session.flush()
    await ensure_dispatcher(uow)
    record_audit(
        uow, actor, "webhook_subscription.created", "webhook_subscription", row.id, url=row.url
    )
    uow.emit(subscription_changed(row, "created"))
    return WebhookSecretRead(subscription=subscription_read(row), secret=secret)


async def update_webhook_subscription(
    uow: UnitOfWork, actor: Actor, row: WebhookSubscription, data: WebhookSubscriptionUpdate
) -> WebhookSubscriptionRead:
    actor.require_admin()
    changed: dict[str, object] = {}
    if data.url is not None and str(data.url) != row.url:
        row.url = changed["url"] = str(data.url)
    if data.description is not None and data.description.strip() != row.description:
        row.description = changed["description"] = data.description.strip()
    if data.event_types is not None and data.event_types != list(row.event_types or []):
        row.event_types = list(data.event_types)
        changed["event_types"] = row.event_types
    if data.is_enabled is not None and data.is_enabled != row.is_enabled:
        row.is_enabled = changed["is_enabled"] = data.is_enabled
        if data.is_enabled:
            row.disabled_reason, row.disabled_at, row.failed_in_a_row = None, None, 0
            await ensure_dispatcher(uow)
        else:
            row.disabled_reason, row.disabled_at = DISABLED_BY_MEMBER, uow.now()
    if not changed:
        return subscription_read(row)
    row.updated_at = uow.now()
    record_audit(
        uow, actor, "webhook_subscription.updated", "webhook_subscription", row.id, **changed
    )
    uow.emit(subscription_changed(row, "updated"))
    return subscription_read(row)


async def rotate_webhook_secret(
    uow: UnitOfWork, actor: Actor, box: SecretBox, row: WebhookSubscription
) -> WebhookSecretRead:
    """A new signing secret, shown once; the old one stops signing at once."""
    actor.require_admin()
    secret = new_signing_secret()
    row.secret_sealed = box.seal({SECRET_NAME: secret})
    row.updated_at = uow.now()
    record_audit(uow, actor, "webhook_subscription.secret_rotated", "webhook_subscription", row.id)
    uow.emit(subscription_changed(row, "secret_rotated"))
    return WebhookSecretRead(subscription=subscription_read(row), secret=secret)


async def delete_webhook_subscription(
    uow: UnitOfWork, actor: Actor, row: WebhookSubscription
) -> None:
    """Removed with its delivery log (their pending jobs find nothing and end)."""
    actor.require_admin()
    record_audit(
        uow, actor, "webhook_subscription.deleted", "webhook_subscription", row.id, url=row.url
    )
    uow.emit(subscription_changed(row, "deleted"))
    await uow.session.delete(row)


async def ping_webhook_subscription(
    uow: UnitOfWork, actor: Actor, row: WebhookSubscription
) -> WebhookDelivery:
    """A `webhook.ping` delivery sent through the same job, log and retries as events."""
    actor.require_admin()
    data = {"subscription_id": str(row.id), "description": row.description}
    delivery = await new_delivery(uow, row, None, PING, uow.now(), data)
    record_audit(uow, actor, "webhook_subscription.pinged", "webhook_subscription", row.id)
    return delivery
