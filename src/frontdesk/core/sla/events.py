"""SLA events: a policy changed; a conversation's due times moved; a target at risk, breached
or met (each once per due time)."""

from __future__ import annotations

from frontdesk.core.events import define_event

SlaPolicyChanged = define_event("SlaPolicyChanged", "sla_policy.changed")
ConversationSlaUpdated = define_event("ConversationSlaUpdated", "conversation.sla_updated")
ConversationSlaAtRisk = define_event("ConversationSlaAtRisk", "conversation.sla_at_risk")
ConversationSlaBreached = define_event("ConversationSlaBreached", "conversation.sla_breached")
ConversationSlaMet = define_event("ConversationSlaMet", "conversation.sla_met")

# What the reports read: one of the two for each due time.
SLA_OUTCOME_EVENTS = ("conversation.sla_met", "conversation.sla_breached")
