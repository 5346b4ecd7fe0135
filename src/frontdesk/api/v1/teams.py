"""REST API v1: teams and their members."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.teams import actions
from frontdesk.core.teams.queries import access_team, get_team, list_teams
from frontdesk.core.teams.schemas import (
    TeamCreate,
    TeamMemberAdd,
    TeamMembersSet,
    TeamRead,
    TeamUpdate,
)

router = APIRouter()


@router.get("")
async def read_teams(
    actor: ActorDep, db: ReaderDep, include_archived: bool = False
) -> list[TeamRead]:
    """The workspace's teams with members and counts; archived ones only with
    `include_archived`. Any member may list them."""
    return await list_teams(db, actor, include_archived=include_archived)


@router.post("", status_code=201, responses=error_responses(409))
async def create_team(data: TeamCreate, actor: ActorDep, uow: UowDep) -> TeamRead:
    read = await actions.create_team(uow, actor, data)
    await uow.commit()
    return read


@router.get("/{team_id}")
async def read_team(team_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> TeamRead:
    await access_team(db, actor, team_id)
    return await get_team(db, actor.workspace_id, team_id)


@router.patch("/{team_id}", responses=error_responses(409))
async def update_team(
    team_id: uuid.UUID, data: TeamUpdate, actor: ActorDep, uow: UowDep
) -> TeamRead:
    team = await access_team(uow.session, actor, team_id, for_update=True)
    read = await actions.update_team(uow, actor, team, data)
    await uow.commit()
    return read


@router.delete("/{team_id}", status_code=204, responses=error_responses(409))
async def delete_team(team_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    """Delete a team. 409 while channels route to it or it has open conversations (the
    details count them): move them first, or archive the team. Closed ones stay, teamless."""
    team = await access_team(uow.session, actor, team_id, for_update=True)
    await actions.delete_team(uow, actor, team)
    await uow.commit()


@router.post("/{team_id}/archive", responses=error_responses(409))
async def archive_team(team_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> TeamRead:
    """Archive a team: left out of pickers, no channel may route to it; its conversations
    stay. 409 while channels route to it."""
    team = await access_team(uow.session, actor, team_id, for_update=True)
    read = await actions.archive_team(uow, actor, team)
    await uow.commit()
    return read


@router.post("/{team_id}/restore")
async def restore_team(team_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> TeamRead:
    team = await access_team(uow.session, actor, team_id, for_update=True)
    read = await actions.restore_team(uow, actor, team)
    await uow.commit()
    return read


@router.put("/{team_id}/members")
async def set_members(
    team_id: uuid.UUID, data: TeamMembersSet, actor: ActorDep, uow: UowDep
) -> TeamRead:
    """Replace the team's members."""
    team = await access_team(uow.session, actor, team_id, for_update=True)
    read = await actions.set_team_members(uow, actor, team, data.user_ids)
    await uow.commit()
    return read


@router.post("/{team_id}/members")
async def add_member(
    team_id: uuid.UUID, data: TeamMemberAdd, actor: ActorDep, uow: UowDep
) -> TeamRead:
    team = await access_team(uow.session, actor, team_id, for_update=True)
    read = await actions.add_team_member(uow, actor, team, data.user_id)
    await uow.commit()
    return read


@router.delete("/{team_id}/members/{user_id}")
async def remove_member(
    team_id: uuid.UUID, user_id: uuid.UUID, actor: ActorDep, uow: UowDep
) -> TeamRead:
    team = await access_team(uow.session, actor, team_id, for_update=True)
    read = await actions.remove_team_member(uow, actor, team, user_id)
    await uow.commit()
    return read
