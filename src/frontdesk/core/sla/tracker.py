"""Following conversations through the event log: each event moves the SLA clocks of its
conversation (a segment starts, a customer writes, a human replies, it closes or reopens, its
team, assignee or priority changes) and its due times are computed again at once."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from frontdesk.core.conversations.models import Direction, MessageKind, SenderType
from frontdesk.core.sla.alerts import complete
from frontdesk.core.sla.models import ConversationSla, SlaStatus, SlaTarget
from frontdesk.core.sla.queries import conversation_sla_read
from frontdesk.core.sla.targets import Policies, emit_sla_updated, recompute
from frontdesk.db.outbox import EventLogEntry
from frontdesk.db.uow import UnitOfWork

READ_EVENTS = (
    "conversation.created",
    "conversation.updated",
    "conversation.assigned",
    "conversation.unassigned",
    "conversation.queued",
    "conversation.transferred",
    "conversation.status_changed",
    "conversation.closed",
    "message.created",
)


def _id(value: Any) -> uuid.UUID | None:
    if isinstance(value, dict):
        value = value.get("id")
    return uuid.UUID(str(value)) if value else None


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


class Tracker:
    """Applies events in id order within one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.policies = Policies(uow.session)
        self._rows: dict[uuid.UUID, ConversationSla] = {}

    async def apply(self, event: EventLogEntry) -> None:
        data = event.payload.get("conversation")
        if event.workspace_id is None or not isinstance(data, dict) or not data.get("id"):
            return
        row = await self._row(event.workspace_id, data, event.created_at)
        before = conversation_sla_read(row)
        row.team_id, row.assignee_id = _id(data.get("team")), _id(data.get("assignee"))
        row.priority = str(data.get("priority") or "normal")
        change: dict[str, Any] = event.payload.get("change") or {}
        if event.type == "message.created":
            await self._message(row, event.payload.get("message") or {}, event.created_at)
        elif event.type == "conversation.closed" and not row.is_closed:
            await complete(self.uow, row, SlaTarget.RESOLUTION, event.created_at)
            row.is_closed, row.waiting_since = True, None
        elif event.type == "conversation.status_changed" and change.get("previous") == "closed":
            self._reopened(row, event.created_at)
        await recompute(self.policies, row)
        row.updated_at = event.created_at
        after = conversation_sla_read(row)
        if after != before:
            emit_sla_updated(self.uow, row, after)

    async def _row(
        self, workspace_id: uuid.UUID, data: dict[str, Any], at: datetime
    ) -> ConversationSla:
        conversation_id = uuid.UUID(str(data["id"]))
        row = self._rows.get(conversation_id)
        if row is None:
            row = await self.uow.session.get(ConversationSla, conversation_id)
        if row is None:
            row = ConversationSla(
                conversation_id=conversation_id,
                workspace_id=workspace_id,
                priority="normal",
                segment=0,
                started_at=_time(data.get("opened_at")) or at,
                is_closed=data.get("status") == "closed",
                status=SlaStatus.NONE,
                updated_at=at,
            )
            self.uow.session.add(row)
        self._rows[conversation_id] = row
        return row

    async def _message(self, row: ConversationSla, message: dict[str, Any], at: datetime) -> None:
        if row.is_closed:
            return
        if message.get("direction") == Direction.INBOUND:
            if message.get("sender_type") != SenderType.CONTACT:
                return
            if row.customer_since is None:
                row.customer_since = at
            elif row.first_replied_at is not None and row.waiting_since is None:
                row.waiting_since = at
            return
        if (
            message.get("sender_type") != SenderType.AGENT
            or message.get("kind") == MessageKind.NOTE
            or _id(message.get("sender")) is None
        ):
            return  # automatic, bot and workflow messages and notes are not replies
        if row.customer_since is not None and row.first_replied_at is None:
            row.first_replied_at = at
            await complete(self.uow, row, SlaTarget.FIRST_RESPONSE, at)
        if row.waiting_since is not None:
            row.waiting_since = None
            await complete(self.uow, row, SlaTarget.NEXT_RESPONSE, at)

    def _reopened(self, row: ConversationSla, at: datetime) -> None:
        """A new segment: every clock starts again from the reopening."""
        row.segment += 1
        row.started_at, row.is_closed = at, False
        row.customer_since = row.first_replied_at = row.waiting_since = None
        for target in SlaTarget.ALL:
            setattr(row, f"{target}_alerted", None)
