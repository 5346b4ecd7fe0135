"""Business hours of the workspace, and a team's own hours overriding them."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.core.hours import actions
from frontdesk.core.hours.calendar import time_zone_names
from frontdesk.core.hours.queries import get_business_hours
from frontdesk.core.hours.schemas import BusinessHoursRead, BusinessHoursUpdate
from frontdesk.core.teams.queries import access_team

router = APIRouter()


@router.get("/business-hours")
async def read_workspace_hours(
    actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> BusinessHoursRead:
    """The workspace's hours, whether it is open now and when it next opens or closes."""
    return await get_business_hours(db, actor, None, runtime.clock.now())


@router.get("/business-hours/time-zones")
async def read_time_zones(actor: ActorDep) -> list[str]:
    """The time zones a schedule may use (IANA names), UTC first."""
    return list(time_zone_names())


@router.put("/business-hours")
async def set_workspace_hours(
    data: BusinessHoursUpdate, actor: ActorDep, uow: UowDep
) -> BusinessHoursRead:
    """Replace the workspace's hours (owners and managers)."""
    await actions.set_business_hours(uow, actor, data)
    read = await get_business_hours(uow.session, actor, None, uow.now())
    await uow.commit()
    return read


@router.delete("/business-hours", status_code=204)
async def clear_workspace_hours(actor: ActorDep, uow: UowDep) -> None:
    """Remove the workspace's hours: it is always open (teams with their own keep them)."""
    await actions.clear_business_hours(uow, actor)
    await uow.commit()


@router.get("/teams/{team_id}/business-hours")
async def read_team_hours(
    team_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> BusinessHoursRead:
    """A team's own hours (null when it follows the workspace's) and the status in force."""
    team = await access_team(db, actor, team_id)
    return await get_business_hours(db, actor, team, runtime.clock.now())


@router.put("/teams/{team_id}/business-hours")
async def set_team_hours(
    team_id: uuid.UUID, data: BusinessHoursUpdate, actor: ActorDep, uow: UowDep
) -> BusinessHoursRead:
    """Give the team its own hours, overriding the workspace's (owners and managers)."""
    team = await access_team(uow.session, actor, team_id, for_update=True)
    await actions.set_business_hours(uow, actor, data, team)
    read = await get_business_hours(uow.session, actor, team, uow.now())
    await uow.commit()
    return read


@router.delete("/teams/{team_id}/business-hours", status_code=204)
async def clear_team_hours(team_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    """Remove the team's own hours: it follows the workspace's again."""
    team = await access_team(uow.session, actor, team_id, for_update=True)
    await actions.clear_business_hours(uow, actor, team)
    await uow.commit()
