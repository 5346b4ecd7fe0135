"""Changing routing settings: the workspace's and each team's. Both drain queues at once."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import NotFound
from frontdesk.core.events import RoutingChanged, workspace_key
from frontdesk.core.routing import engine
from frontdesk.core.routing.models import TeamRouting
from frontdesk.core.routing.notices import DEFAULTS
from frontdesk.core.routing.schemas import RoutingSettings, TeamRoutingRead, WorkspaceRouting
from frontdesk.core.routing.settings import team_routing, workspace_routing
from frontdesk.core.workspaces.models import Team, Workspace
from frontdesk.db.uow import UnitOfWork


def team_routing_read(team_id: uuid.UUID, settings: RoutingSettings) -> TeamRoutingRead:
    return TeamRoutingRead(team_id=team_id, settings=settings, default_messages=DEFAULTS)


async def _team(uow: UnitOfWork, actor: Actor, team_id: uuid.UUID) -> Team:
    team = await uow.session.scalar(
        select(Team).where(Team.id == team_id, Team.workspace_id == actor.workspace_id)
    )
    if team is None:
        raise NotFound("team")
    return team


async def get_team_routing(uow: UnitOfWork, actor: Actor, team_id: uuid.UUID) -> TeamRoutingRead:
    team = await _team(uow, actor, team_id)
    return team_routing_read(team.id, await team_routing(uow.session, actor.workspace_id, team.id))


async def set_team_routing(
    uow: UnitOfWork, actor: Actor, team_id: uuid.UUID, settings: RoutingSettings
) -> TeamRoutingRead:
    actor.require_admin()
    team = await _team(uow, actor, team_id)
    row = await uow.session.scalar(select(TeamRouting).where(TeamRouting.team_id == team.id))
    before = RoutingSettings.model_validate(row.settings if row else {})
    data = settings.model_dump(mode="json")
    if row is None:
        row = TeamRouting(
            workspace_id=actor.workspace_id, team_id=team.id, settings=data, updated_at=uow.now()
        )
        uow.session.add(row)
    else:
        row.settings, row.updated_at = data, uow.now()
    await uow.session.flush()
    changed = sorted(k for k, v in data.items() if before.model_dump(mode="json").get(k) != v)
    record_audit(uow, actor, "routing.team_updated", "team", team.id, changed=changed)
    uow.emit(
        RoutingChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"team_id": str(team.id), "settings": data},
        )
    )
    await engine.drain(uow, actor.workspace_id, team.id)
    return team_routing_read(team.id, settings)


async def get_workspace_routing(uow: UnitOfWork, actor: Actor) -> WorkspaceRouting:
    workspace = await uow.session.get(Workspace, actor.workspace_id)
    if workspace is None:
        raise NotFound("workspace")
    return workspace_routing(workspace)


async def set_workspace_routing(
    uow: UnitOfWork, actor: Actor, settings: WorkspaceRouting
) -> WorkspaceRouting:
    actor.require_admin()
    workspace = await uow.session.get(Workspace, actor.workspace_id)
    if workspace is None:
        raise NotFound("workspace")
    before = workspace_routing(workspace)
    workspace.settings = {**(workspace.settings or {}), "routing": settings.model_dump(mode="json")}
    record_audit(
        uow,
        actor,
        "routing.workspace_updated",
        "workspace",
        workspace.id,
        before=before.model_dump(mode="json"),
        after=settings.model_dump(mode="json"),
    )
    uow.emit(
        RoutingChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"workspace": settings.model_dump(mode="json")},
        )
    )
    await uow.session.flush()
    if settings.default_capacity > before.default_capacity:
        teams = await uow.session.scalars(
            select(Team.id).where(Team.workspace_id == actor.workspace_id)
        )
        for team_id in list(teams):
            await engine.drain(uow, actor.workspace_id, team_id)
    return settings
