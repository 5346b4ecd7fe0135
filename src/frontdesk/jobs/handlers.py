"""Every job kind the product runs, wired to its handler.

A kind missing here is not silently skipped: the runner marks its jobs dead with an
`UnknownJobKind` error, so forgetting to register a handler shows up in the job table.
"""

from __future__ import annotations

from frontdesk.core.conversations.actions import WAKE_JOB
from frontdesk.core.conversations.messages import DELIVER_JOB
from frontdesk.jobs.conversations import wake_snoozed_conversation
from frontdesk.jobs.delivery import deliver_message, give_up_delivery
from frontdesk.jobs.maintenance import PRUNE_EVENTS, prune_event_log
from frontdesk.jobs.registry import JobRegistry


def build_registry() -> JobRegistry:
    registry = JobRegistry()
    registry.register(DELIVER_JOB)(deliver_message)
    registry.on_dead(DELIVER_JOB, give_up_delivery)
    registry.register(WAKE_JOB)(wake_snoozed_conversation)
    registry.register(PRUNE_EVENTS)(prune_event_log)
    return registry
