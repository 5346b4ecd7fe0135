"""SLA in reports: each announced outcome of a target is a fact, `sla_met` or `sla_breached`
(detail: the target), written from `conversation.sla_met` / `conversation.sla_breached` at
the moment of the reply or close (met) or of the due time (breached), for the team, assignee
and channel of that moment. SLA met % = met ÷ (met + breached)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from frontdesk.core.reports.facts import FactWriter
from frontdesk.core.sla.events import SLA_OUTCOME_EVENTS
from frontdesk.db.outbox import EventLogEntry

SLA_EVENTS = SLA_OUTCOME_EVENTS
SLA_MET = "sla_met"
SLA_BREACHED = "sla_breached"
METRICS = {"conversation.sla_met": SLA_MET, "conversation.sla_breached": SLA_BREACHED}


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


async def record_sla_outcome(writer: FactWriter, event: EventLogEntry) -> None:
    """The outcome's fact, once per conversation, segment, target and due time."""
    data = event.payload
    if event.workspace_id is None or not data.get("conversation_id") or not data.get("target"):
        return
    at = datetime.fromisoformat(str(data["at"])) if data.get("at") else event.created_at
    await writer.write(
        event.workspace_id,
        f"sla:{data['conversation_id']}:{data.get('segment')}:{data['target']}:{data.get('due_at')}",
        METRICS[event.type],
        at,
        team_id=_uuid(data.get("team_id")),
        agent_id=_uuid(data.get("assignee_id")),
        channel_id=_uuid(data.get("channel_id")),
        conversation_id=_uuid(data.get("conversation_id")),
        segment=data.get("segment"),
        detail=str(data["target"]),
        event_id=event.id,
    )


def sla_met_rate(counts: dict[str, int]) -> tuple[int, int, float | None]:
    """(met, breached, met ÷ (met + breached)) from a period's counts."""
    met, breached = counts.get(SLA_MET, 0), counts.get(SLA_BREACHED, 0)
    return met, breached, (met / (met + breached) if met + breached else None)
