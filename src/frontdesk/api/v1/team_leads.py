"""Team leads: a team member who supervises the team (Settings → Teams → members)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.supervision.leads import set_team_supervisor
from frontdesk.core.teams.queries import access_team
from frontdesk.core.teams.schemas import TeamRead, TeamSupervisorSet

router = APIRouter()


@router.put("/{team_id}/members/{user_id}/supervisor", responses=error_responses(403))
async def set_supervisor(
    team_id: uuid.UUID, user_id: uuid.UUID, data: TeamSupervisorSet, actor: ActorDep, uow: UowDep
) -> TeamRead:
    """Make a member the team's lead (or not): they supervise this team only. Owners and
    managers."""
    team = await access_team(uow.session, actor, team_id, for_update=True)
    read = await set_team_supervisor(uow, actor, team, user_id, data.is_supervisor)
    await uow.commit()
    return read
