"""Setting and clearing business hours (owners and managers).

A schedule is written whole. Writes hold the workspace's row lock (PostgreSQL; SQLite has one
writer), so two concurrent first writes cannot both insert the workspace's schedule.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.events import BusinessHoursUpdated, workspace_key
from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.hours.queries import schedule_read
from frontdesk.core.hours.schemas import BusinessHoursUpdate
from frontdesk.core.workspaces.models import Team, Workspace
from frontdesk.db.uow import UnitOfWork


async def _lock_workspace(uow: UnitOfWork, actor: Actor) -> None:
    query = select(Workspace.id).where(Workspace.id == actor.workspace_id)
    if uow.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    await uow.session.execute(query)


async def _own_row(uow: UnitOfWork, actor: Actor, team: Team | None) -> BusinessHours | None:
    scope = BusinessHours.team_id.is_(None) if team is None else BusinessHours.team_id == team.id
    return await uow.session.scalar(
        select(BusinessHours).where(BusinessHours.workspace_id == actor.workspace_id, scope)
    )


def _target(actor: Actor, team: Team | None) -> tuple[str, str]:
    return ("team", str(team.id)) if team is not None else ("workspace", str(actor.workspace_id))


def _content(data: BusinessHoursUpdate) -> dict[str, Any]:
    dumped = data.model_dump(mode="json")
    return {key: dumped[key] for key in ("timezone", "is_enabled", "periods", "holidays")}


def _row_content(row: BusinessHours) -> dict[str, Any]:
    return {
        "timezone": row.timezone,
        "is_enabled": row.is_enabled,
        "periods": row.periods,
        "holidays": row.holidays,
    }


def _emit(uow: UnitOfWork, actor: Actor, team: Team | None, row: BusinessHours | None) -> None:
    """`business_hours.updated` to the whole workspace: the scope's own schedule, or null."""
    schedule = schedule_read(row).model_dump(mode="json") if row is not None else None
    uow.emit(
        BusinessHoursUpdated(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"team_id": str(team.id) if team is not None else None, "schedule": schedule},
        )
    )


async def set_business_hours(
    uow: UnitOfWork, actor: Actor, data: BusinessHoursUpdate, team: Team | None = None
) -> BusinessHours:
    """Replace the workspace's hours, or a team's own hours (overriding the workspace's).

    Refused with `Invalid` naming the field for an unknown time zone, a period that ends when
    it starts or periods that overlap. Writing the same schedule again changes nothing.
    """
    actor.require_admin()
    data.to_schedule()  # validates
    content = _content(data)
    await _lock_workspace(uow, actor)
    row = await _own_row(uow, actor, team)
    if row is not None and _row_content(row) == content:
        return row
    now = uow.now()
    if row is None:
        row = BusinessHours(
            workspace_id=actor.workspace_id,
            team_id=team.id if team is not None else None,
            created_at=now,
            updated_at=now,
            **content,
        )
        uow.session.add(row)
    else:
        for key, value in content.items():
            setattr(row, key, value)
        row.updated_at = now
    await uow.session.flush()
    target_type, target_id = _target(actor, team)
    record_audit(uow, actor, "business_hours.updated", target_type, target_id, **content)
    _emit(uow, actor, team, row)
    return row


async def clear_business_hours(uow: UnitOfWork, actor: Actor, team: Team | None = None) -> bool:
    """Remove the scope's own hours: a team follows the workspace's again, a workspace is
    always open. False (and nothing recorded) when there were none."""
    actor.require_admin()
    await _lock_workspace(uow, actor)
    row = await _own_row(uow, actor, team)
    if row is None:
        return False
    await uow.session.delete(row)
    await uow.session.flush()
    target_type, target_id = _target(actor, team)
    record_audit(uow, actor, "business_hours.cleared", target_type, target_id)
    _emit(uow, actor, team, None)
    return True
