"""Turning events into facts: each conversation's segment is followed through the event log.

The recorder keeps, per conversation, where its current segment stands (`ReportConversation`)
and writes a fact when a measured thing completes: the first human reply, the reply that ends a
customer's wait, a close, a transfer... Automatic messages (`sender_type = "system"`), bot
messages and internal notes never count as replies. Each fact's key is derived from the event
that completed it, so reading an event twice writes nothing twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from frontdesk.core.conversations.models import Conversation, Direction, MessageKind, SenderType
from frontdesk.core.reports.agents import record_state_change
from frontdesk.core.reports.csat import CSAT_EVENT, record_csat_answer
from frontdesk.core.reports.facts import FactWriter, Metric
from frontdesk.core.reports.models import ReportConversation
from frontdesk.core.reports.sla import SLA_EVENTS, record_sla_outcome
from frontdesk.db.outbox import EventLogEntry

CONVERSATION_EVENTS = (
    "conversation.created",
    "conversation.updated",
    "conversation.assigned",
    "conversation.unassigned",
    "conversation.queued",
    "conversation.transferred",
    "conversation.status_changed",
    "conversation.closed",
    "conversation.worked",
    "conversation.handed_over",
    "message.created",
)
READ_EVENTS = (*CONVERSATION_EVENTS, "agent.state_changed", CSAT_EVENT, *SLA_EVENTS)
# The shortest abandonment threshold a workspace may set (its own is in its settings).
SHORTEST_ABANDON_AFTER = timedelta(minutes=1)


def _id(value: Any) -> uuid.UUID | None:
    if isinstance(value, dict):
        value = value.get("id")
    return uuid.UUID(str(value)) if value else None


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


class Recorder:
    """Applies events in id order. `persist=False` (a backfill) follows segments in memory."""

    def __init__(
        self,
        writer: FactWriter,
        *,
        persist: bool = True,
        abandon_after: timedelta | None = None,
    ) -> None:
        """`abandon_after` overrides every workspace's own threshold (its settings)."""
        self.writer = writer
        self.abandon_after = abandon_after
        self.session = writer.session
        self.persist = persist
        self._states: dict[uuid.UUID, ReportConversation] = {}
        # The human replies read, for the chat routes they answer (core/workflows/routes).
        self.replies: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID, datetime]] = []

    def use(self, writer: FactWriter) -> None:
        """Write through another transaction's writer (a backfill's next batch)."""
        self.writer, self.session = writer, writer.session

    async def apply(self, event: EventLogEntry) -> None:
        if event.workspace_id is None:
            return
        if event.type == "agent.state_changed":
            await record_state_change(self.writer, event)
        elif event.type == CSAT_EVENT:
            await record_csat_answer(self.writer, event)
        elif event.type in SLA_EVENTS:
            await record_sla_outcome(self.writer, event)
        elif event.type in CONVERSATION_EVENTS:
            data = event.payload.get("conversation")
            if isinstance(data, dict):
                state = await self._state(event.workspace_id, data, event)
                await self._conversation_event(state, event, data)

    async def _state(
        self, workspace_id: uuid.UUID, data: dict[str, Any], event: EventLogEntry
    ) -> ReportConversation:
        conversation_id = uuid.UUID(str(data["id"]))
        state = self._states.get(conversation_id)
        if state is None and self.persist:
            state = await self.session.get(ReportConversation, conversation_id)
        if state is None:
            state = _state_from(workspace_id, conversation_id, data, event)
            if self.persist:
                self.session.add(state)
        self._states[conversation_id] = state
        return state

    async def _conversation_event(
        self, state: ReportConversation, event: EventLogEntry, data: dict[str, Any]
    ) -> None:
        change: dict[str, Any] = event.payload.get("change") or {}
        state.channel_id = _id(data.get("channel")) or state.channel_id
        await self._abandon_if_idle(state, event.created_at, event.id)
        if event.type == "conversation.created":
            await self._fact(state, event, Metric.OPENED)
        elif event.type == "message.created":
            await self._message(state, event, event.payload.get("message") or {})
        elif event.type == "conversation.assigned":
            await self._assigned(state, event, _id(change.get("assignee_id")))
        elif event.type in ("conversation.unassigned", "conversation.queued"):
            state.assignee_id = state.assigned_at = None
        elif event.type == "conversation.transferred":
            await self._transferred(state, event, change)
        elif event.type == "conversation.closed":
            await self._closed(state, event, data)
        elif event.type == "conversation.worked":
            await self._worked(state, event, change)
        elif event.type == "conversation.status_changed" and change.get("previous") == "closed":
            await self._reopened(state, event, data)
        elif event.type == "conversation.handed_over":
            # A bot held it first: people's first response and waits start at the handover.
            if state.customer_since is not None and not state.is_answered:
                state.customer_since = event.created_at
            if state.wait_started_at is not None:
                state.wait_started_at = event.created_at
        if event.type != "conversation.transferred":
            state.team_id = _id(data.get("team"))

    async def _fact(
        self, state: ReportConversation, event: EventLogEntry, metric: str, **values: Any
    ) -> bool:
        key = values.pop("key", f"{event.id}:{metric}")
        values.setdefault("team_id", state.team_id)
        return await self.writer.write(
            state.workspace_id,
            key,
            metric,
            event.created_at,
            conversation_id=state.conversation_id,
            segment=state.segment,
            channel_id=state.channel_id,
            event_id=event.id,
            **values,
        )

    async def _assigned(
        self, state: ReportConversation, event: EventLogEntry, agent_id: uuid.UUID | None
    ) -> None:
        if agent_id is None or agent_id == state.assignee_id:
            return
        state.assignee_id, state.assigned_at, state.assignee_replied = (
            agent_id,
            event.created_at,
            False,
        )
        if state.first_assigned_at is None:
            state.first_assignee_id, state.first_assigned_at = agent_id, event.created_at
        await self._fact(state, event, Metric.ASSIGNED, agent_id=agent_id)

    async def _transferred(
        self, state: ReportConversation, event: EventLogEntry, change: dict[str, Any]
    ) -> None:
        previous_team = _id(change.get("previous_team_id"))
        await self._fact(
            state,
            event,
            Metric.TRANSFERRED,
            team_id=previous_team,
            agent_id=state.assignee_id,
            detail=str(_id(change.get("team_id"))),
        )
        state.team_id = _id(change.get("team_id"))
        state.assignee_id = state.assigned_at = None
        await self._assigned(state, event, _id(change.get("assignee_id")))

    async def _message(
        self, state: ReportConversation, event: EventLogEntry, message: dict[str, Any]
    ) -> None:
        at = _time(message.get("created_at")) or event.created_at
        if message.get("direction") == Direction.INBOUND:
            if message.get("sender_type") == SenderType.CONTACT and not state.is_closed:
                state.customer_since = state.customer_since or at
                state.wait_started_at = state.wait_started_at or at
            return
        sender = _id(message.get("sender"))
        if (
            message.get("sender_type") != SenderType.AGENT
            or message.get("kind") == MessageKind.NOTE
            or sender is None
        ):
            return  # automatic, bot and workflow messages and notes are not replies
        await self._human_reply(state, event, sender)

    async def _human_reply(
        self, state: ReportConversation, event: EventLogEntry, agent_id: uuid.UUID
    ) -> None:
        if self.persist:  # a backfill marks no chat routes
            self.replies.append(
                (state.workspace_id, state.conversation_id, agent_id, event.created_at)
            )
        if state.wait_started_at is not None:
            await self._fact(
                state, event, Metric.RESPONSE, agent_id=agent_id, since=state.wait_started_at
            )
            state.wait_started_at = None
        if state.customer_since is not None and not state.is_answered:
            state.is_answered = True
            await self._fact(
                state, event, Metric.FIRST_RESPONSE, agent_id=agent_id, since=state.customer_since
            )
            seconds = (event.created_at - state.customer_since).total_seconds()
            if seconds <= await self.writer.reply_target(state.workspace_id, state.team_id):
                await self._fact(state, event, Metric.FIRST_RESPONSE_MET, agent_id=agent_id)
        if agent_id == state.assignee_id and not state.assignee_replied:
            state.assignee_replied = True
            await self._fact(state, event, Metric.ACCEPTED, agent_id=agent_id)
            if agent_id == state.first_assignee_id and state.first_assigned_at is not None:
                await self._fact(
                    state,
                    event,
                    Metric.ASSIGNMENT_RESPONSE,
                    agent_id=agent_id,
                    since=state.first_assigned_at,
                    key=f"{state.conversation_id}:{state.segment}:assignment_response",
                )

    async def _closed(
        self, state: ReportConversation, event: EventLogEntry, data: dict[str, Any]
    ) -> None:
        if state.is_closed:
            return
        closer = await self._closer(state, data)
        outcome = data.get("outcome")
        await self._fact(
            state,
            event,
            Metric.CLOSED,
            agent_id=closer or state.assignee_id,
            detail=str(outcome)[:80] if outcome else None,
            since=state.started_at,
        )
        if state.work_seconds > 0:
            await self._fact(
                state,
                event,
                Metric.HANDLE,
                agent_id=closer or state.assignee_id,
                durations=(state.work_seconds, state.work_business_seconds),
            )
        if state.customer_since is not None and not state.is_answered and not state.is_abandoned:
            state.is_abandoned = True
            waited = (event.created_at - state.customer_since).total_seconds()
            _, short = await self.writer.abandon_limits(state.workspace_id)
            await self._fact(
                state,
                event,
                Metric.ABANDONED_SHORT if waited < short else Metric.ABANDONED,
                agent_id=state.assignee_id,
                since=state.customer_since,
                detail="closed",
                key=f"{state.conversation_id}:{state.segment}:abandoned",
            )
        state.is_closed = True
        state.wait_started_at = None

    async def _worked(
        self, state: ReportConversation, event: EventLogEntry, change: dict[str, Any]
    ) -> None:
        """A span of a member's active work: their worked time, and the segment's handle time."""
        agent_id, seconds = _id(change.get("user_id")), float(change.get("seconds") or 0)
        if agent_id is None or seconds <= 0:
            return
        start = event.created_at - timedelta(seconds=seconds)
        business = await self.writer.business_seconds(
            state.workspace_id, state.team_id, start, event.created_at
        )
        stored = await self._fact(
            state,
            event,
            Metric.WORK,
            agent_id=agent_id,
            durations=(seconds, business),
            checked=True,  # its seconds join the handle time only once
        )
        if stored and not state.is_closed:
            state.work_seconds += seconds
            state.work_business_seconds += business

    async def _closer(self, state: ReportConversation, data: dict[str, Any]) -> uuid.UUID | None:
        """Who closed: the conversation row's closer while it is still this close (the event
        does not carry it); None when it has been reopened since."""
        row = (
            await self.session.execute(
                select(Conversation.closed_by_id, Conversation.closed_at).where(
                    Conversation.id == state.conversation_id,
                    Conversation.workspace_id == state.workspace_id,
                )
            )
        ).first()
        if row is None or row.closed_at is None or row.closed_at != _time(data.get("closed_at")):
            return None
        closer: uuid.UUID | None = row.closed_by_id
        return closer

    async def _reopened(
        self, state: ReportConversation, event: EventLogEntry, data: dict[str, Any]
    ) -> None:
        await self._fact(state, event, Metric.REOPENED)
        assignee = _id(data.get("assignee"))
        state.segment += 1
        state.started_at = event.created_at
        state.customer_since = state.wait_started_at = None
        state.is_answered = state.is_abandoned = state.is_closed = False
        state.work_seconds = state.work_business_seconds = 0.0
        state.assignee_id, state.assignee_replied = assignee, False
        state.assigned_at = state.first_assigned_at = event.created_at if assignee else None
        state.first_assignee_id = assignee
        if assignee is not None:  # the assignee is given the reopened conversation again
            await self._fact(state, event, Metric.ASSIGNED, agent_id=assignee)

    async def _abandon_if_idle(
        self, state: ReportConversation, moment: datetime, event_id: int | None = None
    ) -> None:
        """A segment whose customer has waited `abandon_after` with no human reply is abandoned
        at the moment the threshold passed, whenever that is noticed (a later reply still
        counts as a response), so a live run and a replay write the same fact."""
        since = state.customer_since
        if since is None or state.is_answered or state.is_abandoned or state.is_closed:
            return
        after = self.abandon_after or (await self.writer.abandon_limits(state.workspace_id))[0]
        if moment - since < after:
            return
        state.is_abandoned = True
        await self.writer.write(
            state.workspace_id,
            f"{state.conversation_id}:{state.segment}:abandoned",
            Metric.ABANDONED,
            since + after,
            since=since,
            team_id=state.team_id,
            agent_id=state.assignee_id,
            channel_id=state.channel_id,
            conversation_id=state.conversation_id,
            segment=state.segment,
            detail="idle",
            event_id=event_id,
        )

    async def abandon_idle(self, now: datetime) -> None:
        """Mark the segments that have waited past the threshold by `now` with no event since."""
        if self.persist:
            states = list(
                await self.session.scalars(
                    select(ReportConversation).where(
                        ReportConversation.is_closed.is_(False),
                        ReportConversation.is_answered.is_(False),
                        ReportConversation.is_abandoned.is_(False),
                        ReportConversation.customer_since
                        <= now - (self.abandon_after or SHORTEST_ABANDON_AFTER),
                    )
                )
            )
        else:
            states = list(self._states.values())
        for state in states:
            await self._abandon_if_idle(state, now)


def _state_from(
    workspace_id: uuid.UUID, conversation_id: uuid.UUID, data: dict[str, Any], event: EventLogEntry
) -> ReportConversation:
    """A conversation first seen mid-way (its opening is older than the log): as of this event."""
    is_new = event.type == "conversation.created"
    waiting = _time(data.get("waiting_since"))
    return ReportConversation(
        conversation_id=conversation_id,
        workspace_id=workspace_id,
        segment=1,
        started_at=_time(data.get("opened_at")) or event.created_at,
        channel_id=_id(data.get("channel")),
        team_id=_id(data.get("team")),
        assignee_id=None if is_new else _id(data.get("assignee")),
        assigned_at=None,
        assignee_replied=False,
        first_assignee_id=None,
        first_assigned_at=None,
        customer_since=None if is_new else waiting,
        wait_started_at=None if is_new else waiting,
        is_answered=bool(data.get("first_response_at")),
        is_abandoned=False,
        is_closed=data.get("status") == "closed",
        work_seconds=0.0,
        work_business_seconds=0.0,
    )
