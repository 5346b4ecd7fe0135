"""Events of outbound webhooks: a subscription or team chat hook changed, a delivery moved.

They go to the workspace's supervisors (who see the settings screens), and are not in the
catalogue of deliverable types, so a webhook never tells of its own deliveries."""

from __future__ import annotations

from frontdesk.core.events import define_event

WebhookSubscriptionChanged = define_event(
    "WebhookSubscriptionChanged", "webhook_subscription.changed"
)
WebhookDeliveryUpdated = define_event("WebhookDeliveryUpdated", "webhook_delivery.updated")
TeamChatHookChanged = define_event("TeamChatHookChanged", "team_chat_hook.changed")
