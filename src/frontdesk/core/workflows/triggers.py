"""The triggers that start runs by direct call: a shortcut an agent runs on a conversation, an
incoming signed webhook, and a schedule (cron in the workflow's time zone).

Webhook calls are signed like this (docs/how-to/workflow-webhooks.md):
`X-Frontdesk-Timestamp: <unix seconds>` and
`X-Frontdesk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, keyed with the
workflow's secret. The timestamp is inside the signed text, so a captured call cannot be
replayed later with a fresh timestamp; calls older (or newer) than five minutes are refused.

The secret is never stored: the workflow keeps a random seed and the secret is an HMAC of it
under the server's signing key, so a copy of the database alone signs nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.errors import Conflict, Invalid, NotFound, Unauthenticated
from frontdesk.core.security import SecretBox
from frontdesk.core.workflows import runs
from frontdesk.core.workflows.definition import Problem, Trigger
from frontdesk.core.workflows.models import Workflow, WorkflowRun, WorkflowStatus, WorkflowVersion
from frontdesk.db.uow import UnitOfWork

SIGNATURE_HEADER = "x-frontdesk-signature"
TIMESTAMP_HEADER = "x-frontdesk-timestamp"
REPLAY_WINDOW = timedelta(minutes=5)
DEFAULT_TIMEZONE = "UTC"
# Schedules due at once that one step of the schedule job starts.
SCHEDULE_BATCH = 50
MAX_TOKEN = 64
MAX_ADDRESS = 254


# --- schedule -------------------------------------------------------------------------------


def _zone(config: dict[str, Any]) -> ZoneInfo:
    name = str(config.get("timezone") or DEFAULT_TIMEZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("unknown time zone", field="timezone") from None


def next_fire_time(config: dict[str, Any], after: datetime) -> datetime:
    """The first time strictly after `after` that the cron expression names, read as wall
    time in the schedule's zone: "0 9 * * *" is 09:00 there in summer and in winter. A time
    that a clock change skips fires at the first minute after the gap, one it repeats fires
    once (cronsim's rules, those of cron)."""
    zone = _zone(config)
    try:
        fire = next(CronSim(str(config.get("cron") or ""), after.astimezone(zone)))
    except (CronSimError, StopIteration):
        raise Invalid("the schedule is not a valid cron expression", field="cron") from None
    return fire.astimezone(after.tzinfo)


def trigger_problems(trigger: Trigger) -> list[Problem]:
    """The trigger's own settings (a schedule's cron and zone)."""
    if trigger.type != "schedule":
        return []
    problems = []
    try:
        _zone(trigger.config)
    except Invalid:
        problems.append(Problem(code="invalid_timezone", message="unknown time zone"))
    cron = str(trigger.config.get("cron") or "")
    try:
        CronSim(cron, datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
    except CronSimError:
        problems.append(
            Problem(code="invalid_cron", message="the schedule is not a valid cron expression")
        )
    return problems


async def fire_due_schedules(uow: UnitOfWork, limit: int = SCHEDULE_BATCH) -> int:
    """Start one run for every schedule due by now and move it to its next time.

    Each workflow is claimed by moving `next_fire_at` on only where it still holds the time
    read, so of two runners reading the same due schedule exactly one starts its run. Missed
    times (the worker was down) give one run, not one per missed time.
    """
    now = uow.now()
    due = list(
        await uow.session.execute(
            select(Workflow.id, Workflow.next_fire_at, WorkflowVersion.definition)
            .join(WorkflowVersion, WorkflowVersion.id == Workflow.published_version_id)
            .where(
                Workflow.status == WorkflowStatus.ACTIVE,
                Workflow.trigger_type == "schedule",
                Workflow.next_fire_at <= now,
            )
            .order_by(Workflow.next_fire_at)
            .limit(limit)
        )
    )
    started = 0
    for workflow_id, fire_at, definition in due:
        config = dict((definition.get("trigger") or {}).get("config") or {})
        try:
            following: datetime | None = next_fire_time(config, now)
        except Invalid:  # published before the check existed: stop it firing
            following = None
        claimed = await uow.session.execute(
            update(Workflow)
            .where(Workflow.id == workflow_id, Workflow.next_fire_at == fire_at)
            .values(next_fire_at=following)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        workflow = await uow.session.get(Workflow, workflow_id)
        if workflow is None:  # pragma: no cover - claimed just above
            continue
        trigger = {"type": "schedule", "fire_at": fire_at.isoformat() if fire_at else None}
        await runs.start_run(uow, workflow=workflow, trigger=trigger)
        started += 1
    return started


async def next_schedule_at(uow: UnitOfWork) -> datetime | None:
    """The earliest time a schedule falls due, for the job to sleep until (bounded)."""
    return await uow.session.scalar(
        select(func.min(Workflow.next_fire_at)).where(
            Workflow.status == WorkflowStatus.ACTIVE, Workflow.trigger_type == "schedule"
        )
    )


# --- shortcut -------------------------------------------------------------------------------


async def run_shortcut(
    uow: UnitOfWork, actor: Actor, conversation_id: uuid.UUID, workflow_id: uuid.UUID
) -> WorkflowRun:
    """An agent runs a shortcut workflow on a conversation they can see."""
    actor.require_writer()
    conversation = await access_conversation(uow.session, actor, conversation_id)
    workflow = await uow.session.scalar(
        select(Workflow).where(
            Workflow.id == workflow_id,
            Workflow.workspace_id == actor.workspace_id,
            Workflow.status == WorkflowStatus.ACTIVE,
            Workflow.trigger_type == "shortcut",
        )
    )
    if workflow is None:
        raise Invalid("no active shortcut workflow with this id", field="workflow_id")
    trigger = {
        "type": "shortcut",
        "user_id": str(actor.user_id) if actor.user_id else None,
        "token_id": str(actor.token_id) if actor.token_id else None,
    }
    run = await runs.start_run(
        uow,
        workflow=workflow,
        trigger=trigger,
        conversation_id=conversation.id,
        contact_id=conversation.contact_id,
    )
    if run is None:
        raise Conflict("this workflow is already running on this conversation")
    return run


# --- webhook --------------------------------------------------------------------------------


def webhook_secret(box: SecretBox, workflow: Workflow) -> str:
    """The workflow's signing secret, derived from its stored seed and the server's key."""
    if not workflow.webhook_secret:
        raise Conflict("the workflow has no webhook secret")
    return "whsec_" + box.sign(f"workflow-webhook:{workflow.id}:{workflow.webhook_secret}")


def sign_webhook(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Frontdesk-Signature` value for a call (what a caller computes)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def check_webhook_signature(
    secret: str, body: bytes, signature: str | None, timestamp: str | None, now: datetime
) -> None:
    """Refuse (401) a call not signed with the secret, or signed more than five minutes
    from now."""
    if not signature or not timestamp:
        raise Unauthenticated("the X-Frontdesk-Signature and X-Frontdesk-Timestamp are required")
    try:
        sent_at = datetime.fromtimestamp(int(timestamp), tz=now.tzinfo)
    except (ValueError, OverflowError, OSError):
        raise Unauthenticated("X-Frontdesk-Timestamp is not a Unix time in seconds") from None
    expected = sign_webhook(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise Unauthenticated("the X-Frontdesk-Signature signature is not valid")
    if abs(now - sent_at) > REPLAY_WINDOW:
        raise Unauthenticated("the call is older than five minutes (or from the future)")


async def webhook_workflow(db: AsyncSession, token: str) -> Workflow:
    """The workflow whose webhook address holds `token`, whatever its state (404 if none).
    Read outside the write transaction, so calls that fail their checks take no write lock."""
    if not token or len(token) > MAX_TOKEN:
        raise NotFound("webhook")
    workflow = await db.scalar(select(Workflow).where(Workflow.webhook_token == token))
    if workflow is None:
        raise NotFound("webhook")
    return workflow


async def _contact_for(
    uow: UnitOfWork, workspace_id: uuid.UUID, body: dict[str, Any]
) -> uuid.UUID | None:
    """The contact the body names by `contact.phone` or `contact.email`, if there is one."""
    wanted = body.get("contact")
    if not isinstance(wanted, dict):
        return None
    for column, raw in ((Contact.phone, wanted.get("phone")), (Contact.email, wanted.get("email"))):
        if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_ADDRESS:
            continue
        value = raw.strip().lower() if column is Contact.email else raw.strip()
        found = await uow.session.scalar(
            select(Contact.id)
            .where(
                Contact.workspace_id == workspace_id,
                column == value,
                Contact.merged_into_id.is_(None),
            )
            .order_by(Contact.created_at)
            .limit(1)
        )
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class WebhookCall:
    run_id: uuid.UUID | None
    contact_id: uuid.UUID | None


async def receive_webhook(
    uow: UnitOfWork, workflow_id: uuid.UUID, payload: Any, received_at: datetime
) -> WebhookCall:
    """Start a run of the workflow for an authentic call; its JSON is `trigger.body`."""
    workflow = await uow.session.get(Workflow, workflow_id)
    if workflow is None:  # deleted since the call was checked
        raise NotFound("webhook")
    if workflow.status != WorkflowStatus.ACTIVE or workflow.trigger_type != "webhook":
        raise Conflict("the workflow is not active: it starts no run")
    body = payload if isinstance(payload, dict) else {"value": payload}
    contact_id = await _contact_for(uow, workflow.workspace_id, body)
    trigger = {"type": "webhook", "body": body, "received_at": received_at.isoformat()}
    run = await runs.start_run(uow, workflow=workflow, trigger=trigger, contact_id=contact_id)
    return WebhookCall(run_id=run.id if run is not None else None, contact_id=contact_id)
