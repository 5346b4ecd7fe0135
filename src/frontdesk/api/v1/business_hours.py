"""Business hours of the workspace, and a team's own hours overriding them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.core.accounts.schemas import Language
from frontdesk.core.hours import actions
from frontdesk.core.hours.calendar import time_zone_names
from frontdesk.core.hours.holidays import check_country, holiday_countries, upcoming_holidays
from frontdesk.core.hours.queries import get_business_hours
from frontdesk.core.hours.schemas import (
    BusinessHoursRead,
    BusinessHoursUpdate,
    HolidayCountryRead,
    HolidaySubdivisionRead,
    LibraryHolidayRead,
)
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


@router.get("/business-hours/holiday-countries")
async def read_holiday_countries(actor: ActorDep) -> list[HolidayCountryRead]:
    """The countries (and their regions) whose holidays a schedule may follow."""
    return [
        HolidayCountryRead(
            code=country.code,
            subdivisions=[
                HolidaySubdivisionRead(code=s.code, name=s.name) for s in country.subdivisions
            ],
        )
        for country in holiday_countries()
    ]


@router.get("/business-hours/holidays")
async def read_country_holidays(
    actor: ActorDep,
    runtime: RuntimeDep,
    country: Annotated[str, Query(pattern=r"^[A-Za-z]{2}$")],
    subdivision: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    language: Language = "en",
) -> list[LibraryHolidayRead]:
    """A country's (and region's) public and optional holidays of the next year, movable feasts
    included, named in `language` where the holidays library has it (else English)."""
    country = country.upper()
    check_country(country, subdivision)
    today = runtime.clock.now().date()
    return [
        LibraryHolidayRead(date=h.date, key=h.key, name=h.name, category=h.category)
        for h in upcoming_holidays(country, subdivision, today, language)
    ]


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
