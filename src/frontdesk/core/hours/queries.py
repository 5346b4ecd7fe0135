"""Reads of business hours: the schedule in force for a team, and a scope's hours with status."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.hours.calendar import (
    Holiday,
    Period,
    Schedule,
    is_open,
    next_closing,
    next_opening,
)
from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.hours.schemas import BusinessHoursRead, BusinessHoursSchedule
from frontdesk.core.workspaces.models import Team


def schedule_of(row: BusinessHours) -> Schedule:
    """The value object of a stored schedule."""
    return Schedule(
        timezone=row.timezone,
        is_enabled=row.is_enabled,
        periods=tuple(Period(p["weekday"], p["start"], p["end"]) for p in row.periods),
        holidays=tuple(
            Holiday(date.fromisoformat(h["date"]), h["name"], bool(h.get("is_recurring")))
            for h in row.holidays
        ),
        holiday_country=row.holiday_country,
        holiday_subdivision=row.holiday_subdivision,
        skipped_holidays=tuple(row.skipped_holidays or ()),
        observed_holidays=tuple(row.observed_holidays or ()),
    )


async def _rows(
    db: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID | None
) -> tuple[BusinessHours | None, BusinessHours | None]:
    """(the workspace's row, the team's row) in one query."""
    scope: ColumnElement[bool] = BusinessHours.team_id.is_(None)
    if team_id is not None:
        scope = or_(scope, BusinessHours.team_id == team_id)
    rows = list(
        await db.scalars(
            select(BusinessHours).where(BusinessHours.workspace_id == workspace_id, scope)
        )
    )
    workspace = next((r for r in rows if r.team_id is None), None)
    team = next((r for r in rows if r.team_id is not None), None)
    return workspace, team


async def effective_schedule(
    db: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID | None
) -> Schedule | None:
    """The hours in force for a team: its own, else the workspace's, else None (always open).

    A disabled schedule is returned as it is; the calendar functions treat it as always open.
    """
    workspace, team = await _rows(db, workspace_id, team_id)
    row = team or workspace
    return schedule_of(row) if row is not None else None


def schedule_read(row: BusinessHours) -> BusinessHoursSchedule:
    return BusinessHoursSchedule.model_validate(
        {
            "timezone": row.timezone,
            "is_enabled": row.is_enabled,
            "periods": row.periods,
            "holidays": row.holidays,
            "holiday_country": row.holiday_country,
            "holiday_subdivision": row.holiday_subdivision,
            "skipped_holidays": row.skipped_holidays or [],
            "observed_holidays": row.observed_holidays or [],
            "updated_at": row.updated_at,
        }
    )


async def get_business_hours(
    db: AsyncSession, actor: Actor, team: Team | None, now: datetime
) -> BusinessHoursRead:
    """The workspace's (or an accessed team's) own hours and whether they are open at `now`."""
    team_id = team.id if team is not None else None
    workspace, own_team = await _rows(db, actor.workspace_id, team_id)
    own = own_team if team is not None else workspace
    in_force = own_team or workspace
    schedule = schedule_of(in_force) if in_force is not None else None
    source: Literal["team", "workspace", "none"] = "none"
    if in_force is not None:
        source = "team" if in_force.team_id is not None else "workspace"
    return BusinessHoursRead(
        team_id=team_id,
        schedule=schedule_read(own) if own is not None else None,
        source=source,
        open_now=is_open(schedule, now),
        next_opening=next_opening(schedule, now),
        next_closing=next_closing(schedule, now),
    )
