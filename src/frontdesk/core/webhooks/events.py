"""Events of outbound webhooks: a subscription or team chat hook changed, a delivery moved.

They go to the workspace's supervisors (who see the settings screens), and are not in the
catalogue of deliverable types, so a webhook never tells of its own deliveries."""

from __future__ import annotations

from frontdesk.core.events import DomainEvent, define_event, supervisors_key
from frontdesk.core.webhooks.models import WebhookSubscription
from frontdesk.core.webhooks.queries import subscription_read

WebhookSubscriptionChanged = define_event(
    "WebhookSubscriptionChanged", "webhook_subscription.changed"
)
WebhookDeliveryUpdated = define_event("WebhookDeliveryUpdated", "webhook_delivery.updated")
TeamChatHookChanged = define_event("TeamChatHookChanged", "team_chat_hook.changed")


def subscription_changed(row: WebhookSubscription, change: str) -> DomainEvent:
    """`webhook_subscription.changed` with the subscription as it now is (never its secret)."""
    return WebhookSubscriptionChanged(
        workspace_id=row.workspace_id,
        audience=(supervisors_key(row.workspace_id),),
        data={
            "webhook_subscription": subscription_read(row).model_dump(mode="json"),
            "change": change,
        },
    )
