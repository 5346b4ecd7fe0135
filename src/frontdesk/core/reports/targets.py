"""Managing outcome targets: owners and managers set them, every member reads them.

A target expects `count` closes with an outcome per day, ISO week or month: from each agent of
a team, from a team as a whole, or from one agent. One target per outcome, kind and team or
agent; every change is audited and announced (`outcome_target.changed`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict, Invalid, NotFound
from frontdesk.core.events import define_event, workspace_key
from frontdesk.core.reports.target_models import OutcomeTarget
from frontdesk.core.reports.target_schemas import (
    OutcomeTargetCreate,
    OutcomeTargetRead,
    OutcomeTargetUpdate,
)
from frontdesk.core.workspaces.models import Membership, Role, Team
from frontdesk.db.ids import new_id
from frontdesk.db.uow import UnitOfWork

OutcomeTargetChanged = define_event("OutcomeTargetChanged", "outcome_target.changed")


def target_read(target: OutcomeTarget) -> OutcomeTargetRead:
    return OutcomeTargetRead.model_validate(target, from_attributes=True)


def new_target(
    workspace_id: uuid.UUID,
    data: OutcomeTargetCreate,
    *,
    created_by_id: uuid.UUID | None,
    at: datetime,
) -> OutcomeTarget:
    """The row of a target (checked by the caller); the demo builds its own with this too."""
    return OutcomeTarget(
        id=new_id(),
        workspace_id=workspace_id,
        outcome=data.outcome,
        count=data.count,
        period=data.period,
        applies_to=data.applies_to,
        team_id=data.team_id,
        agent_id=data.agent_id,
        created_by_id=created_by_id,
        created_at=at,
        updated_at=at,
    )


async def list_targets(db: AsyncSession, workspace_id: uuid.UUID) -> list[OutcomeTarget]:
    return list(
        await db.scalars(
            select(OutcomeTarget)
            .where(OutcomeTarget.workspace_id == workspace_id)
            .order_by(OutcomeTarget.outcome, OutcomeTarget.created_at, OutcomeTarget.id)
        )
    )


async def access_target(db: AsyncSession, actor: Actor, target_id: uuid.UUID) -> OutcomeTarget:
    target = await db.scalar(
        select(OutcomeTarget).where(
            OutcomeTarget.id == target_id, OutcomeTarget.workspace_id == actor.workspace_id
        )
    )
    if target is None:
        raise NotFound("outcome target")
    return target


async def _check_scope(uow: UnitOfWork, actor: Actor, data: OutcomeTargetCreate) -> None:
    db = uow.session
    if data.applies_to == "agent":
        if data.agent_id is None:
            raise Invalid("a target for one agent names the agent", field="agent_id")
        if data.team_id is not None:
            raise Invalid("a target for one agent names no team", field="team_id")
        role = await db.scalar(
            select(Membership.role).where(
                Membership.workspace_id == actor.workspace_id,
                Membership.user_id == data.agent_id,
            )
        )
        if role is None or role == Role.VIEWER:
            raise Invalid(
                "no member of this workspace takes conversations as that agent", field="agent_id"
            )
        return
    if data.team_id is None:
        raise Invalid("a team's target names the team", field="team_id")
    if data.agent_id is not None:
        raise Invalid("a team's target names no agent", field="agent_id")
    team = await db.scalar(
        select(Team.id).where(
            Team.id == data.team_id,
            Team.workspace_id == actor.workspace_id,
            Team.archived_at.is_(None),
        )
    )
    if team is None:
        raise Invalid("no such team in this workspace", field="team_id")


async def _check_free(uow: UnitOfWork, actor: Actor, data: OutcomeTargetCreate) -> None:
    query = select(OutcomeTarget.id).where(
        OutcomeTarget.workspace_id == actor.workspace_id,
        OutcomeTarget.outcome == data.outcome,
        OutcomeTarget.applies_to == data.applies_to,
    )
    query = query.where(
        OutcomeTarget.team_id.is_(None)
        if data.team_id is None
        else OutcomeTarget.team_id == data.team_id,
        OutcomeTarget.agent_id.is_(None)
        if data.agent_id is None
        else OutcomeTarget.agent_id == data.agent_id,
    )
    if await uow.session.scalar(query.limit(1)) is not None:
        raise Conflict(
            "a target for this outcome and team or agent already exists",
            details={"field": "outcome"},
        )


def _emit(uow: UnitOfWork, actor: Actor, read: OutcomeTargetRead, change: str) -> None:
    uow.emit(
        OutcomeTargetChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={**read.model_dump(mode="json"), "change": change},
        )
    )


async def create_target(
    uow: UnitOfWork, actor: Actor, data: OutcomeTargetCreate
) -> OutcomeTargetRead:
    actor.require_admin()
    await _check_scope(uow, actor, data)
    await _check_free(uow, actor, data)
    target = new_target(actor.workspace_id, data, created_by_id=actor.user_id, at=uow.now())
    uow.session.add(target)
    await uow.session.flush()
    record_audit(
        uow,
        actor,
        "outcome_target.created",
        "outcome_target",
        target.id,
        outcome=target.outcome,
        count=target.count,
        period=target.period,
        applies_to=target.applies_to,
    )
    read = target_read(target)
    _emit(uow, actor, read, "created")
    return read


async def update_target(
    uow: UnitOfWork, actor: Actor, target: OutcomeTarget, data: OutcomeTargetUpdate
) -> OutcomeTargetRead:
    actor.require_admin()
    changes = {
        name: value
        for name in ("count", "period")
        if (value := getattr(data, name)) is not None and value != getattr(target, name)
    }
    if not changes:
        return target_read(target)
    for name, value in changes.items():
        setattr(target, name, value)
    target.updated_at = uow.now()
    await uow.session.flush()
    record_audit(uow, actor, "outcome_target.updated", "outcome_target", target.id, **changes)
    read = target_read(target)
    _emit(uow, actor, read, "updated")
    return read


async def delete_target(uow: UnitOfWork, actor: Actor, target: OutcomeTarget) -> None:
    actor.require_admin()
    read = target_read(target)
    await uow.session.delete(target)
    record_audit(
        uow, actor, "outcome_target.deleted", "outcome_target", target.id, outcome=target.outcome
    )
    _emit(uow, actor, read, "deleted")
