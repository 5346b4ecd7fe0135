"""Acme's objects for the tenant sweep: a webhook subscription with a ping in its delivery log,
and a team chat hook, made through the product's actions."""

from __future__ import annotations

from frontdesk.core.actor import Actor
from frontdesk.core.runtime import Runtime
from frontdesk.core.webhooks.queries import access_webhook_subscription
from frontdesk.core.webhooks.schemas import TeamChatHookCreate, WebhookSubscriptionCreate
from frontdesk.core.webhooks.subscriptions import (
    create_webhook_subscription,
    ping_webhook_subscription,
)
from frontdesk.core.webhooks.team_chat import create_team_chat_hook
from tests.conftest import World


async def acme_webhooks_objects(runtime: Runtime, world: World) -> dict[str, str]:
    alice = world.acme.members["alice"]
    actor = Actor(workspace_id=world.acme.id, role="owner", user_id=alice.id)
    async with runtime.uow() as uow:
        created = await create_webhook_subscription(
            uow,
            actor,
            runtime.secrets,
            WebhookSubscriptionCreate.model_validate({"url": "https://crm.acme.test/hooks"}),
        )
        sub = await access_webhook_subscription(uow.session, actor, created.subscription.id)
        delivery = await ping_webhook_subscription(uow, actor, sub)
        hook = await create_team_chat_hook(
            uow,
            actor,
            runtime.secrets,
            TeamChatHookCreate.model_validate(
                {
                    "name": "#escalations",
                    "url": "https://chat.acme.test/services/T0/B0/secret",
                    "escalations": ["sla_breached"],
                }
            ),
        )
        await uow.commit()
    return {
        "webhook_subscription_id": str(sub.id),
        "webhook_delivery_id": str(delivery.id),
        "team_chat_hook_id": str(hook.id),
    }
