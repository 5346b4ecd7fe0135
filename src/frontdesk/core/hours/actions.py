"""Setting and clearing business hours (owners and managers).

A schedule is written whole. Writes hold the workspace's row lock (PostgreSQL; SQLite has one
writer), so two concurrent first writes cannot both insert the workspace's schedule.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Invalid
from frontdesk.core.events import BusinessHoursUpdated, workspace_key
from frontdesk.core.hours.holidays import holiday_keys
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


_FIELDS = (
    "timezone",
    "is_enabled",
    "periods",
    "holidays",
    "holiday_country",
    "holiday_subdivision",
    "skipped_holidays",
    "observed_holidays",
)


def _content(data: BusinessHoursUpdate) -> dict[str, Any]:
    dumped = data.model_dump(mode="json")
    return {key: dumped[key] for key in _FIELDS}


def _row_content(row: BusinessHours) -> dict[str, Any]:
    return {key: getattr(row, key) for key in _FIELDS}


def _check_holiday_choices(data: BusinessHoursUpdate, today: date) -> None:
    """Skipped holidays must be the country's public ones, observed ones its optional ones."""
    lists = {"skipped_holidays": data.skipped_holidays, "observed_holidays": data.observed_holidays}
    if data.holiday_country is None:
        for field, keys in lists.items():
            if keys:
                raise Invalid("choose the country whose holidays these are", field=field)
        return
    known = holiday_keys(data.holiday_country, data.holiday_subdivision, today)
    wanted = {"skipped_holidays": "public", "observed_holidays": "optional"}
    for field, keys in lists.items():
        for i, key in enumerate(keys):
            if known.get(key) != wanted[field]:
                raise Invalid(
                    f"{key!r} is not one of the country's {wanted[field]} holidays",
                    field=f"{field}.{i}",
                )


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
    it starts, periods that overlap, an unknown country or region, or a skipped or observed
    holiday the country does not have. Writing the same schedule again changes nothing.
    """
    actor.require_admin()
    data.to_schedule()  # validates
    _check_holiday_choices(data, uow.now().date())
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
