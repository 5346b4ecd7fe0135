"""Every job kind the product runs, wired to its handler.

A kind missing here is not silently skipped: the runner marks its jobs dead with an
`UnknownJobKind` error, so forgetting to register a handler shows up in the job table.
"""

from __future__ import annotations

from frontdesk.core.broadcasts.actions import SEND_JOB as SEND_BROADCAST_JOB
from frontdesk.core.conversations.actions import WAKE_JOB
from frontdesk.core.conversations.messages import DELIVER_JOB
from frontdesk.jobs.api_channel import (
    EVENT_CALLBACK_JOB,
    EVENTS_JOB,
    dispatch_api_channel_events,
    send_api_callback,
)
from frontdesk.jobs.broadcasts import send_broadcast
from frontdesk.jobs.channels import (
    FETCH_MEDIA_JOB,
    RETRY_PARKED_JOB,
    SEND_READ_RECEIPT_JOB,
    fetch_inbound_media,
    give_up_media,
    retry_parked,
    send_read_receipt,
)
from frontdesk.jobs.contact_imports import IMPORT_JOB, give_up_import, import_contacts
from frontdesk.jobs.conversations import wake_snoozed_conversation
from frontdesk.jobs.delivery import deliver_message, give_up_delivery
from frontdesk.jobs.embeddings import EMBED_JOB, embed_conversations
from frontdesk.jobs.maintenance import PRUNE_EVENTS, prune_event_log
from frontdesk.jobs.profiles import FETCH_PROFILE_JOB, fetch_contact_profile, give_up_profile
from frontdesk.jobs.quality import SAMPLE_JOB, sample_quality_reviews
from frontdesk.jobs.registry import JobRegistry
from frontdesk.jobs.report_exports import EXPORT_JOB, give_up_export, write_report_export
from frontdesk.jobs.reports import UPDATE_REPORTS_JOB, update_reports
from frontdesk.jobs.routing import (
    DRAIN_JOB,
    ROUTE_JOB,
    SWEEP_JOB,
    drain_queues,
    route_conversation,
    sweep,
)
from frontdesk.jobs.sla import TRACK_SLA_JOB, track_sla_targets
from frontdesk.jobs.telegram import ANSWER_CALLBACK_JOB, answer_callback_query
from frontdesk.jobs.webhooks import (
    TEAM_CHAT_POST_JOB,
    WEBHOOK_DELIVER_JOB,
    WEBHOOK_DISABLED_JOB,
    WEBHOOK_DISPATCH_JOB,
    deliver_webhook,
    dispatch_webhooks,
    notify_webhook_disabled,
    post_team_chat,
)
from frontdesk.jobs.workflow_schedules import FIRE_SCHEDULES_JOB, fire_workflow_schedules
from frontdesk.jobs.workflows import (
    ADVANCE_JOB,
    DISPATCH_JOB,
    advance_workflow_run,
    dispatch_workflow_triggers,
    give_up_workflow_run,
)


def build_registry() -> JobRegistry:
    registry = JobRegistry()
    registry.register(DELIVER_JOB)(deliver_message)
    registry.on_dead(DELIVER_JOB, give_up_delivery)
    registry.register(FETCH_MEDIA_JOB)(fetch_inbound_media)
    registry.on_dead(FETCH_MEDIA_JOB, give_up_media)
    registry.register(FETCH_PROFILE_JOB)(fetch_contact_profile)
    registry.on_dead(FETCH_PROFILE_JOB, give_up_profile)
    registry.register(SEND_READ_RECEIPT_JOB)(send_read_receipt)
    registry.register(RETRY_PARKED_JOB)(retry_parked)
    registry.register(WAKE_JOB)(wake_snoozed_conversation)
    registry.register(PRUNE_EVENTS)(prune_event_log)
    registry.register(ROUTE_JOB)(route_conversation)
    registry.register(DRAIN_JOB)(drain_queues)
    registry.register(SWEEP_JOB)(sweep)
    registry.register(UPDATE_REPORTS_JOB)(update_reports)
    registry.register(EXPORT_JOB)(write_report_export)
    registry.register(TRACK_SLA_JOB)(track_sla_targets)
    registry.register(EMBED_JOB)(embed_conversations)
    registry.on_dead(EXPORT_JOB, give_up_export)
    registry.register(ANSWER_CALLBACK_JOB)(answer_callback_query)
    registry.register(SAMPLE_JOB)(sample_quality_reviews)
    registry.register(FIRE_SCHEDULES_JOB)(fire_workflow_schedules)
    registry.register(ADVANCE_JOB)(advance_workflow_run)
    registry.on_dead(ADVANCE_JOB, give_up_workflow_run)
    registry.register(DISPATCH_JOB)(dispatch_workflow_triggers)
    registry.register(EVENTS_JOB)(dispatch_api_channel_events)
    registry.register(EVENT_CALLBACK_JOB)(send_api_callback)
    registry.register(WEBHOOK_DISPATCH_JOB)(dispatch_webhooks)
    registry.register(WEBHOOK_DELIVER_JOB)(deliver_webhook)
    registry.register(WEBHOOK_DISABLED_JOB)(notify_webhook_disabled)
    registry.register(TEAM_CHAT_POST_JOB)(post_team_chat)
    registry.register(SEND_BROADCAST_JOB)(send_broadcast)
    registry.register(IMPORT_JOB)(import_contacts)
    registry.on_dead(IMPORT_JOB, give_up_import)
    return registry
