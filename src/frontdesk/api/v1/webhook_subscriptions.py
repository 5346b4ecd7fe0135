"""REST API v1: outbound webhook subscriptions, their delivery log, and team chat hooks
(owners and managers only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.channels.addresses import blocked_reason
from frontdesk.core.errors import Invalid
from frontdesk.core.pagination import Page
from frontdesk.core.webhooks import subscriptions, team_chat
from frontdesk.core.webhooks.catalogue import (
    EVENT_TYPES,
    FAILED_DELIVERIES_TO_DISABLE,
    RETRY_SCHEDULE_SECONDS,
    allow_private,
)
from frontdesk.core.webhooks.deliveries import replay_webhook_delivery
from frontdesk.core.webhooks.queries import (
    access_webhook_delivery,
    access_webhook_subscription,
    delivery_read,
    list_webhook_deliveries,
    list_webhook_subscriptions,
    subscription_read,
)
from frontdesk.core.webhooks.schemas import (
    DeliveryStatusName,
    TeamChatHookCreate,
    TeamChatHookRead,
    TeamChatHookUpdate,
    WebhookDeliveryRead,
    WebhookEventTypesRead,
    WebhookSecretRead,
    WebhookSubscriptionCreate,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
)

router = APIRouter()
team_chat_router = APIRouter()
MAX_LIMIT = 200


async def _check_url(url: object) -> None:
    """A URL the server may not call (a private address, unless allowed) is refused now."""
    blocked = await blocked_reason(str(url), allow_private=allow_private())
    if blocked:
        raise Invalid(f"this URL cannot be called: {blocked}", field="url")


@router.get("/event-types")
async def read_webhook_event_types(actor: ActorDep) -> WebhookEventTypesRead:
    """The event types a subscription may choose, the retry schedule and the disabling rule."""
    actor.require_admin()
    return WebhookEventTypesRead(
        event_types=list(EVENT_TYPES),
        retry_schedule_seconds=list(RETRY_SCHEDULE_SECONDS),
        failed_deliveries_to_disable=FAILED_DELIVERIES_TO_DISABLE,
    )


@router.get("")
async def read_webhook_subscriptions(
    actor: ActorDep, db: ReaderDep
) -> list[WebhookSubscriptionRead]:
    return await list_webhook_subscriptions(db, actor)


@router.post("", status_code=201)
async def create_webhook_subscription(
    data: WebhookSubscriptionCreate, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> WebhookSecretRead:
    """Its signing secret is in this answer only (rotate it to get a new one)."""
    actor.require_admin()
    await _check_url(data.url)
    created = await subscriptions.create_webhook_subscription(uow, actor, runtime.secrets, data)
    await uow.commit()
    return created


@router.get("/{webhook_subscription_id}")
async def read_webhook_subscription(
    webhook_subscription_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> WebhookSubscriptionRead:
    return subscription_read(await access_webhook_subscription(db, actor, webhook_subscription_id))


@router.patch("/{webhook_subscription_id}")
async def update_webhook_subscription(
    webhook_subscription_id: uuid.UUID,
    data: WebhookSubscriptionUpdate,
    actor: ActorDep,
    uow: UowDep,
) -> WebhookSubscriptionRead:
    row = await access_webhook_subscription(uow.session, actor, webhook_subscription_id)
    if data.url is not None:
        await _check_url(data.url)
    read = await subscriptions.update_webhook_subscription(uow, actor, row, data)
    await uow.commit()
    return read


@router.delete("/{webhook_subscription_id}", status_code=204)
async def delete_webhook_subscription(
    webhook_subscription_id: uuid.UUID, actor: ActorDep, uow: UowDep
) -> None:
    row = await access_webhook_subscription(uow.session, actor, webhook_subscription_id)
    await subscriptions.delete_webhook_subscription(uow, actor, row)
    await uow.commit()


@router.post("/{webhook_subscription_id}/rotate-secret")
async def rotate_webhook_secret(
    webhook_subscription_id: uuid.UUID, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> WebhookSecretRead:
    """A new signing secret, in this answer only; the old one stops signing at once."""
    row = await access_webhook_subscription(uow.session, actor, webhook_subscription_id)
    rotated = await subscriptions.rotate_webhook_secret(uow, actor, runtime.secrets, row)
    await uow.commit()
    return rotated


@router.post("/{webhook_subscription_id}/ping", status_code=202)
async def ping_webhook_subscription(
    webhook_subscription_id: uuid.UUID, actor: ActorDep, uow: UowDep
) -> WebhookDeliveryRead:
    """Send a `webhook.ping` event now, through the delivery log like any event."""
    row = await access_webhook_subscription(uow.session, actor, webhook_subscription_id)
    delivery = await subscriptions.ping_webhook_subscription(uow, actor, row)
    read = delivery_read(delivery)
    await uow.commit()
    return read


@router.get("/{webhook_subscription_id}/deliveries")
async def read_webhook_deliveries(
    webhook_subscription_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
    status: DeliveryStatusName | None = None,
    event_type: Annotated[str | None, Query(max_length=80)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> Page[WebhookDeliveryRead]:
    """The delivery log, newest first, by status and event type."""
    await access_webhook_subscription(db, actor, webhook_subscription_id)
    return await list_webhook_deliveries(
        db,
        actor,
        webhook_subscription_id,
        status=status,
        event_type=event_type,
        cursor=cursor,
        limit=limit,
    )


@router.get("/{webhook_subscription_id}/deliveries/{webhook_delivery_id}")
async def read_webhook_delivery(
    webhook_subscription_id: uuid.UUID,
    webhook_delivery_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
) -> WebhookDeliveryRead:
    row = await access_webhook_delivery(db, actor, webhook_subscription_id, webhook_delivery_id)
    return delivery_read(row)


@router.post(
    "/{webhook_subscription_id}/deliveries/{webhook_delivery_id}/replay",
    status_code=202,
    responses=error_responses(409),
)
async def replay_delivery(
    webhook_subscription_id: uuid.UUID,
    webhook_delivery_id: uuid.UUID,
    actor: ActorDep,
    uow: UowDep,
) -> WebhookDeliveryRead:
    """Attempt it again at once, with the same body and `webhook-id`."""
    sub = await access_webhook_subscription(uow.session, actor, webhook_subscription_id)
    row = await access_webhook_delivery(
        uow.session, actor, webhook_subscription_id, webhook_delivery_id
    )
    read = await replay_webhook_delivery(uow, actor, sub, row)
    await uow.commit()
    return read


@team_chat_router.get("")
async def read_team_chat_hooks(actor: ActorDep, db: ReaderDep) -> list[TeamChatHookRead]:
    return await team_chat.list_team_chat_hooks(db, actor)


@team_chat_router.post("", status_code=201)
async def create_team_chat_hook(
    data: TeamChatHookCreate, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> TeamChatHookRead:
    actor.require_admin()
    await _check_url(data.url)
    read = await team_chat.create_team_chat_hook(uow, actor, runtime.secrets, data)
    await uow.commit()
    return read


@team_chat_router.patch("/{team_chat_hook_id}")
async def update_team_chat_hook(
    team_chat_hook_id: uuid.UUID,
    data: TeamChatHookUpdate,
    actor: ActorDep,
    uow: UowDep,
    runtime: RuntimeDep,
) -> TeamChatHookRead:
    row = await team_chat.access_team_chat_hook(uow.session, actor, team_chat_hook_id)
    if data.url is not None:
        await _check_url(data.url)
    read = await team_chat.update_team_chat_hook(uow, actor, runtime.secrets, row, data)
    await uow.commit()
    return read


@team_chat_router.post("/{team_chat_hook_id}/test", status_code=202)
async def test_team_chat_hook(
    team_chat_hook_id: uuid.UUID, actor: ActorDep, uow: UowDep
) -> TeamChatHookRead:
    """Post a short message to the team chat now, to check the URL works."""
    row = await team_chat.access_team_chat_hook(uow.session, actor, team_chat_hook_id)
    read = await team_chat.test_team_chat_hook(uow, actor, row)
    await uow.commit()
    return read


@team_chat_router.delete("/{team_chat_hook_id}", status_code=204)
async def delete_team_chat_hook(team_chat_hook_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    row = await team_chat.access_team_chat_hook(uow.session, actor, team_chat_hook_id)
    await team_chat.delete_team_chat_hook(uow, actor, row)
    await uow.commit()
