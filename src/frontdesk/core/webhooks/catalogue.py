"""What outbound webhooks may carry and when they are tried.

- **Event types**: a fixed catalogue of the workspace's conversation, message, contact, SLA and
  CSAT events. A subscription lists some of them, or none for all of them.
- **Visibility**: an event is sent only to subscriptions of its own workspace, and only when its
  audience holds the whole workspace or its supervisors: what an owner sees. Events meant for
  one member (a whisper, a notification, a read marker) never leave.
- **Schedule**: an attempt at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: eight
  attempts over about 27.5 hours, then the delivery has failed.
- **Disabling**: a subscription whose last `FAILED_DELIVERIES_TO_DISABLE` deliveries all failed
  for good (every attempt, with no delivery in between) is disabled, and its owners are told.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

from frontdesk.core.events import supervisors_key, workspace_key

EVENT_TYPES: tuple[str, ...] = (
    "conversation.created",
    "conversation.updated",
    "conversation.assigned",
    "conversation.unassigned",
    "conversation.transferred",
    "conversation.status_changed",
    "conversation.closed",
    "conversation.tags_changed",
    "conversation.help_raised",
    "conversation.help_lowered",
    "conversation.sla_at_risk",
    "conversation.sla_breached",
    "conversation.sla_met",
    "message.created",
    "message.updated",
    "contact.created",
    "contact.updated",
    "contact.deleted",
    "contact.merged",
    "csat.answered",
)
PING = "webhook.ping"

# Seconds after the n-th failed attempt before attempt n + 1 (the first is at once).
RETRY_SCHEDULE_SECONDS: tuple[int, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
MAX_ATTEMPTS = len(RETRY_SCHEDULE_SECONDS) + 1
FAILED_DELIVERIES_TO_DISABLE = 5
# Why a subscription is off: its deliveries kept failing, or a member turned it off.
DISABLED_FAILING = "failed_deliveries"
DISABLED_BY_MEMBER = "turned_off"
TIMEOUT_SECONDS = 10.0
# While an attempt is in flight, another job of the same delivery waits this long.
ATTEMPT_LEASE = timedelta(seconds=60)
HISTORY_KEPT = 20
ALLOW_PRIVATE_ENV = "FRONTDESK_WEBHOOKS_ALLOW_PRIVATE"


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed attempt; None when none is left."""
    if attempts < 1 or attempts > len(RETRY_SCHEDULE_SECONDS):
        return None
    return timedelta(seconds=RETRY_SCHEDULE_SECONDS[attempts - 1])


def visible_to_workspace(workspace_id: uuid.UUID, audience: list[str] | None) -> bool:
    """The event is for the whole workspace or its supervisors, not one member's own."""
    keys = set(audience or [])
    return workspace_key(workspace_id) in keys or supervisors_key(workspace_id) in keys


def allow_private() -> bool:
    """Private, loopback and link-local URLs allowed (tests, the demo, an intranet receiver)."""
    return os.environ.get(ALLOW_PRIVATE_ENV, "").lower() in ("1", "true", "yes")
