"""Team leads: an owner or manager lets a team member supervise the team."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import NotFound
from frontdesk.core.events import TeamChanged, workspace_key
from frontdesk.core.teams.queries import get_team
from frontdesk.core.teams.schemas import TeamRead
from frontdesk.core.workspaces.models import Team, TeamMember
from frontdesk.db.uow import UnitOfWork


async def set_team_supervisor(
    uow: UnitOfWork, actor: Actor, team: Team, user_id: uuid.UUID, is_supervisor: bool
) -> TeamRead:
    """Make a member the team's lead or not; setting what is already set changes nothing."""
    actor.require_admin()
    member = await uow.session.scalar(
        select(TeamMember).where(
            TeamMember.workspace_id == actor.workspace_id,
            TeamMember.team_id == team.id,
            TeamMember.user_id == user_id,
        )
    )
    if member is None:
        raise NotFound("team member")
    if member.is_supervisor == is_supervisor:
        return await get_team(uow.session, actor.workspace_id, team.id)
    member.is_supervisor = is_supervisor
    await uow.session.flush()
    record_audit(
        uow,
        actor,
        "team.supervisor_changed",
        "team",
        team.id,
        name=team.name,
        user_id=str(user_id),
        is_supervisor=is_supervisor,
    )
    read = await get_team(uow.session, actor.workspace_id, team.id)
    uow.emit(
        TeamChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={**read.model_dump(mode="json"), "change": "supervisor"},
        )
    )
    return read
