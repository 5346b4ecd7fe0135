"""Changing SLA policies (owners and managers), and the SLA job's step.

A policy is unique per (team, priority), null meaning "every": the check holds the workspace's
row lock (SQLite: the single writer). A change recomputes, in the same transaction, the due
times of the workspace's open conversations, so a new target applies at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.events import workspace_key
from frontdesk.core.sla.alerts import check_due
from frontdesk.core.sla.events import SlaPolicyChanged
from frontdesk.core.sla.models import ConversationSla, SlaCursor, SlaPolicy
from frontdesk.core.sla.queries import conversation_sla_read, sla_policy_read
from frontdesk.core.sla.schemas import SlaPolicyCreate, SlaPolicyRead, SlaPolicyUpdate
from frontdesk.core.sla.targets import Policies, emit_sla_updated, recompute
from frontdesk.core.sla.tracker import READ_EVENTS, Tracker
from frontdesk.core.workspaces.models import Team, Workspace
from frontdesk.db.outbox import EventLogEntry
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored

FIELDS = (
    "name",
    "team_id",
    "priority",
    "first_response_minutes",
    "next_response_minutes",
    "resolution_minutes",
    "is_business_hours",
    "at_risk_percent",
)
TARGET_FIELDS = ("first_response_minutes", "next_response_minutes", "resolution_minutes")
BATCH_SIZE = 200


async def _lock_workspace(uow: UnitOfWork, actor: Actor) -> None:
    query = select(Workspace.id).where(Workspace.id == actor.workspace_id)
    if uow.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    await uow.session.execute(query)


async def _check(uow: UnitOfWork, actor: Actor, policy: SlaPolicy) -> None:
    if policy.team_id is not None:
        team = await uow.session.scalar(
            select(Team.id).where(
                Team.id == policy.team_id, Team.workspace_id == actor.workspace_id
            )
        )
        if team is None:
            raise Invalid("no such team", field="team_id")
    if all(getattr(policy, f) is None for f in TARGET_FIELDS):
        raise Invalid("a policy needs at least one target", field="first_response_minutes")
    same = select(SlaPolicy.id).where(
        SlaPolicy.workspace_id == actor.workspace_id,
        SlaPolicy.team_id.is_(None)
        if policy.team_id is None
        else SlaPolicy.team_id == policy.team_id,
        SlaPolicy.priority.is_(None)
        if policy.priority is None
        else SlaPolicy.priority == policy.priority,
    )
    if policy.id is not None:
        same = same.where(SlaPolicy.id != policy.id)
    if await uow.session.scalar(same.limit(1)) is not None:
        raise Conflict(
            "a policy for that team and priority already exists", details={"field": "priority"}
        )


async def _apply_everywhere(uow: UnitOfWork, actor: Actor) -> None:
    """Due times of the workspace's open conversations under the policies as they now are."""
    await uow.session.flush()
    policies = Policies(uow.session)
    rows = await uow.session.scalars(
        select(ConversationSla).where(
            ConversationSla.workspace_id == actor.workspace_id, ConversationSla.is_closed.is_(False)
        )
    )
    for row in rows:
        before = conversation_sla_read(row)
        await recompute(policies, row)
        after = conversation_sla_read(row)
        if after != before:
            row.updated_at = uow.now()
            emit_sla_updated(uow, row, after)


def _emit(uow: UnitOfWork, actor: Actor, read: SlaPolicyRead, change: str) -> None:
    uow.emit(
        SlaPolicyChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"sla_policy": read.model_dump(mode="json"), "change": change},
        )
    )


async def create_sla_policy(uow: UnitOfWork, actor: Actor, data: SlaPolicyCreate) -> SlaPolicyRead:
    actor.require_admin()
    await _lock_workspace(uow, actor)
    now = uow.now()
    policy = SlaPolicy(workspace_id=actor.workspace_id, created_at=now, updated_at=now)
    for field in FIELDS:
        setattr(policy, field, getattr(data, field))
    await _check(uow, actor, policy)
    uow.session.add(policy)
    await uow.session.flush()
    record_audit(uow, actor, "sla_policy.created", "sla_policy", policy.id, name=policy.name)
    read = sla_policy_read(policy)
    _emit(uow, actor, read, "created")
    await _apply_everywhere(uow, actor)
    return read


async def update_sla_policy(
    uow: UnitOfWork, actor: Actor, policy: SlaPolicy, data: SlaPolicyUpdate
) -> SlaPolicyRead:
    """Fields sent replace the policy's; a target, team or priority sent as null is cleared."""
    actor.require_admin()
    await _lock_workspace(uow, actor)
    changes: dict[str, Any] = {}
    for field in data.model_fields_set:
        value = getattr(data, field)
        if value is None and field in ("name", "is_business_hours", "at_risk_percent"):
            raise Invalid("this field cannot be empty", field=field)
        if value != getattr(policy, field):
            changes[field] = value
    if not changes:
        return sla_policy_read(policy)
    for field, value in changes.items():
        setattr(policy, field, value)
    await _check(uow, actor, policy)
    policy.updated_at = uow.now()
    record_audit(
        uow,
        actor,
        "sla_policy.updated",
        "sla_policy",
        policy.id,
        name=policy.name,
        fields=sorted(changes),
    )
    read = sla_policy_read(policy)
    _emit(uow, actor, read, "updated")
    await _apply_everywhere(uow, actor)
    return read


async def delete_sla_policy(uow: UnitOfWork, actor: Actor, policy: SlaPolicy) -> None:
    actor.require_admin()
    read = sla_policy_read(policy)
    await uow.session.delete(policy)
    record_audit(uow, actor, "sla_policy.deleted", "sla_policy", policy.id, name=policy.name)
    _emit(uow, actor, read, "deleted")
    await _apply_everywhere(uow, actor)


@dataclass(frozen=True)
class Progress:
    events_read: int
    checked: int


async def _lock_cursor(uow: UnitOfWork) -> SlaCursor:
    await insert_unless_stored(
        uow.session,
        SlaCursor,
        {"id": 1, "last_event_id": 0, "updated_at": uow.now()},
        ("id",),
        SlaCursor.id,
    )
    cursor = await uow.session.scalar(select(SlaCursor).where(SlaCursor.id == 1).with_for_update())
    if cursor is None:  # pragma: no cover - inserted just above
        raise RuntimeError("the SLA cursor is missing")
    await uow.session.refresh(cursor)
    return cursor


async def track_sla(uow: UnitOfWork) -> Progress:
    """One step of the SLA job: read the next events into due times, then announce what fell
    due by now. The cursor row's lock makes each batch apply once."""
    cursor = await _lock_cursor(uow)
    events = list(
        await uow.session.scalars(
            select(EventLogEntry)
            .where(EventLogEntry.id > cursor.last_event_id, EventLogEntry.type.in_(READ_EVENTS))
            .order_by(EventLogEntry.id)
            .limit(BATCH_SIZE)
        )
    )
    tracker = Tracker(uow)
    for event in events:
        await tracker.apply(event)
    if events:
        cursor.last_event_id = events[-1].id
        cursor.updated_at = uow.now()
    await uow.session.flush()
    checked = await check_due(uow, uow.now())
    return Progress(events_read=len(events), checked=checked)


async def sla_read_up_to(session: AsyncSession) -> int | None:
    """The last event the SLA job has read; None when it has never run."""
    return await session.scalar(select(SlaCursor.last_event_id).where(SlaCursor.id == 1))
