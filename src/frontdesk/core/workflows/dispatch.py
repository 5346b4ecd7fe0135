"""The trigger dispatcher: reads the event log after its cursor and starts the runs that
events call for, like the SLA job reads it for due times (core/sla/actions.py).

- `conversation.created` → conversation opened; `conversation.closed` → closed;
- `message.created` from the contact → first offered to the conversation's run waiting on a
  reply (a question); only when none takes it, message-received workflows whose match (any,
  keyword or regex) fits start;
- `contact.updated` that names its changes → contact tag / field / lifecycle changed;
- `conversation.sla_at_risk` / `conversation.sla_breached` → SLA at risk / breached.

Only active workflows of the event's workspace start runs. The cursor row's lock makes each
batch apply once; a run already active for a workflow and conversation is not started again.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from frontdesk.core.errors import DomainError
from frontdesk.core.workflows.definition import Trigger
from frontdesk.core.workflows.matching import message_matches
from frontdesk.core.workflows.models import (
    Workflow,
    WorkflowCursor,
    WorkflowRun,
    WorkflowStatus,
    WorkflowVersion,
)
from frontdesk.core.workflows.replies import deliver_reply, waiting_runs
from frontdesk.core.workflows.runs import start_version_run
from frontdesk.db.outbox import EventLogEntry
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored

log = logging.getLogger("frontdesk.workflows.dispatch")

BATCH_SIZE = 200

EVENT_TRIGGERS: dict[str, tuple[str, ...]] = {
    "conversation.created": ("conversation_opened",),
    "conversation.closed": ("conversation_closed",),
    "message.created": ("message_received",),
    "contact.updated": (
        "contact_tag_changed",
        "contact_field_changed",
        "contact_lifecycle_changed",
    ),
    "conversation.sla_at_risk": ("sla_at_risk",),
    "conversation.sla_breached": ("sla_breached",),
}
READ_EVENTS = tuple(EVENT_TRIGGERS)
DISPATCHED_TRIGGERS = tuple(t for ts in EVENT_TRIGGERS.values() for t in ts)


@dataclass(frozen=True)
class Armed:
    """An active workflow and its published version, as the dispatcher matches it."""

    workflow: Workflow
    version: WorkflowVersion
    trigger: Trigger


@dataclass(frozen=True)
class Progress:
    events_read: int
    started: int
    replies: int


def _contact_matches(trigger: Trigger, changes: dict[str, Any]) -> bool:
    config = trigger.config
    if trigger.type == "contact_tag_changed":
        added = set(changes.get("tags_added") or [])
        removed = set(changes.get("tags_removed") or [])
        kind = config.get("change", "any")
        moved = added if kind == "added" else removed if kind == "removed" else added | removed
        wanted = set(config.get("tag_ids") or [])
        return bool(moved & wanted) if wanted else bool(moved)
    if trigger.type == "contact_field_changed":
        changed = set(changes.get("fields") or [])
        wanted = set(config.get("field_keys") or [])
        return bool(changed & wanted) if wanted else bool(changed)
    if trigger.type == "contact_lifecycle_changed":
        if "lifecycle_stage" not in changes:
            return False
        stages = config.get("stages") or []
        return not stages or changes["lifecycle_stage"] in stages
    return False


async def start_cursor(uow: UnitOfWork) -> None:
    """Where a new dispatcher starts reading (when the app first starts with workflows): the
    log's end, so history from before workflows existed starts nothing."""
    latest = await uow.session.scalar(select(func.max(EventLogEntry.id))) or 0
    await insert_unless_stored(
        uow.session,
        WorkflowCursor,
        {"id": 1, "last_event_id": latest, "updated_at": uow.now()},
        ("id",),
        WorkflowCursor.id,
    )


async def _lock_cursor(uow: UnitOfWork) -> WorkflowCursor:
    query = (
        select(WorkflowCursor)
        .where(WorkflowCursor.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    cursor = await uow.session.scalar(query)
    if cursor is not None:
        return cursor
    await insert_unless_stored(
        uow.session,
        WorkflowCursor,
        {"id": 1, "last_event_id": 0, "updated_at": uow.now()},
        ("id",),
        WorkflowCursor.id,
    )
    cursor = await uow.session.scalar(query)
    if cursor is None:  # pragma: no cover - inserted just above
        raise RuntimeError("the workflow cursor is missing")
    return cursor


async def _armed(uow: UnitOfWork, workspace_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[Armed]]:
    rows = await uow.session.execute(
        select(Workflow, WorkflowVersion)
        .join(WorkflowVersion, WorkflowVersion.id == Workflow.published_version_id)
        .where(
            Workflow.workspace_id.in_(list(workspace_ids)),
            Workflow.status == WorkflowStatus.ACTIVE,
            Workflow.trigger_type.in_(DISPATCHED_TRIGGERS),
        )
        .order_by(Workflow.created_at)
    )
    armed: dict[uuid.UUID, list[Armed]] = defaultdict(list)
    for workflow, version in rows:
        trigger = Trigger.model_validate(version.definition.get("trigger") or {})
        armed[workflow.workspace_id].append(Armed(workflow, version, trigger))
    return armed


def _id(value: Any) -> uuid.UUID | None:
    if isinstance(value, dict):
        value = value.get("id")
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _start_variables(trigger: Trigger, text: str) -> dict[str, Any]:
    """The message that started the run, and a keyword route's key and label (the chat
    routes count it when the run assigns a team)."""
    variables: dict[str, Any] = {"_message": text} if text else {}
    route = trigger.config.get("route")
    if isinstance(route, dict) and route.get("key"):
        variables["_route"] = {"key": str(route["key"]), "label": str(route.get("label", ""))}
    return variables


class Dispatcher:
    def __init__(self, uow: UnitOfWork, armed: dict[uuid.UUID, list[Armed]]) -> None:
        self.uow = uow
        self.armed = armed
        self.started = 0
        self.replies = 0

    async def apply(self, event: EventLogEntry) -> None:
        if event.workspace_id is None:
            return
        payload = event.payload
        candidates = [
            a
            for a in self.armed.get(event.workspace_id, [])
            if a.trigger.type in EVENT_TRIGGERS.get(event.type, ())
        ]
        if event.type == "message.created":
            await self._message(event, payload, candidates)
        elif event.type == "contact.updated":
            changes = payload.get("changes")
            if isinstance(changes, dict):
                contact_id = _id(payload.get("id"))
                for armed in candidates:
                    if _contact_matches(armed.trigger, changes) and not await self._own_change(
                        armed, contact_id, event
                    ):
                        await self._start(armed, event, None, contact_id, {})
        elif event.type.startswith("conversation.sla_"):
            conversation_id = _id(payload.get("conversation_id"))
            for armed in candidates:
                targets = armed.trigger.config.get("targets") or []
                if not targets or payload.get("target") in targets:
                    extra = {"target": payload.get("target")}
                    await self._start(armed, event, conversation_id, None, extra)
        else:
            conversation_id = _id(payload.get("conversation"))
            for armed in candidates:
                await self._start(armed, event, conversation_id, None, {})

    async def _own_change(
        self, armed: Armed, contact_id: uuid.UUID | None, event: EventLogEntry
    ) -> bool:
        """Whether a run of this workflow for the contact was going when the change was made:
        a workflow does not start itself again from changes made while it ran (no loops)."""
        if contact_id is None:
            return False
        found = await self.uow.session.scalar(
            select(WorkflowRun.id)
            .where(
                WorkflowRun.workspace_id == armed.workflow.workspace_id,
                WorkflowRun.workflow_id == armed.workflow.id,
                WorkflowRun.contact_id == contact_id,
                WorkflowRun.started_at <= event.created_at,
                or_(WorkflowRun.ended_at.is_(None), WorkflowRun.ended_at >= event.created_at),
            )
            .limit(1)
        )
        return found is not None

    async def _message(
        self, event: EventLogEntry, payload: dict[str, Any], candidates: list[Armed]
    ) -> None:
        message = payload.get("message") or {}
        if message.get("direction") != "inbound" or message.get("sender_type") != "contact":
            return
        conversation_id = _id(message.get("conversation_id"))
        if conversation_id is None or event.workspace_id is None:
            return
        for run_id in await waiting_runs(self.uow, event.workspace_id, conversation_id):
            if await deliver_reply(self.uow, run_id, message):
                self.replies += 1
                return
        text = str(message.get("body") or "")
        for armed in candidates:
            if message_matches(armed.trigger.config, text):
                extra = {"message_id": message.get("id"), "message_text": text[:1000]}
                await self._start(armed, event, conversation_id, None, extra, text)

    async def _start(  # noqa: PLR0917 - one start's whole context
        self,
        armed: Armed,
        event: EventLogEntry,
        conversation_id: uuid.UUID | None,
        contact_id: uuid.UUID | None,
        extra: dict[str, Any],
        text: str = "",
    ) -> None:
        trigger = {"type": armed.trigger.type, "event_id": event.id, "event": event.type, **extra}
        try:
            run = await start_version_run(
                self.uow,
                workflow=armed.workflow,
                version=armed.version,
                trigger=trigger,
                conversation_id=conversation_id,
                contact_id=contact_id,
                variables=_start_variables(armed.trigger, text),
            )
        except DomainError as exc:  # the conversation is gone, the version cannot start...
            log.warning(
                "workflow %s not started for event %s: %s", armed.workflow.id, event.id, exc
            )
            return
        if run is not None:
            self.started += 1


async def _apply_alone(uow: UnitOfWork, dispatcher: Dispatcher, event: EventLogEntry) -> None:
    """One event in a savepoint: an event that cannot be applied is logged and passed over,
    never left to stop every workflow behind it."""
    mark = uow.checkpoint()
    try:
        async with uow.session.begin_nested():
            await dispatcher.apply(event)
    except Exception:
        uow.rewind(mark)
        log.exception("workflow triggers of event %s could not be applied", event.id)


async def dispatch_events(uow: UnitOfWork) -> Progress:
    """One step of the dispatcher: the next batch of events after the cursor. With nothing
    new (most ticks), one indexed read and no lock."""
    read_up_to = select(WorkflowCursor.last_event_id).where(WorkflowCursor.id == 1)
    waiting = await uow.session.scalar(
        select(EventLogEntry.id)
        .where(
            EventLogEntry.id > func.coalesce(read_up_to.scalar_subquery(), 0),
            EventLogEntry.type.in_(READ_EVENTS),
        )
        .limit(1)
    )
    if waiting is None:
        return Progress(0, 0, 0)
    cursor = await _lock_cursor(uow)
    events = list(
        await uow.session.scalars(
            select(EventLogEntry)
            .where(EventLogEntry.id > cursor.last_event_id, EventLogEntry.type.in_(READ_EVENTS))
            .order_by(EventLogEntry.id)
            .limit(BATCH_SIZE)
        )
    )
    if not events:
        return Progress(0, 0, 0)
    workspaces = {e.workspace_id for e in events if e.workspace_id is not None}
    armed = await _armed(uow, workspaces)
    dispatcher = Dispatcher(uow, armed)
    for event in events:
        await _apply_alone(uow, dispatcher, event)
    cursor.last_event_id = events[-1].id
    cursor.updated_at = uow.now()
    return Progress(len(events), dispatcher.started, dispatcher.replies)
