"""Reading routing settings: the workspace's (in its settings JSON) and each team's."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.routing.models import TeamRouting
from frontdesk.core.routing.schemas import RoutingSettings, WorkspaceRouting
from frontdesk.core.workspaces.models import Workspace


def workspace_routing(workspace: Workspace) -> WorkspaceRouting:
    return WorkspaceRouting.model_validate((workspace.settings or {}).get("routing", {}))


async def load_workspace_routing(
    session: AsyncSession, workspace_id: uuid.UUID
) -> WorkspaceRouting:
    settings = await session.scalar(select(Workspace.settings).where(Workspace.id == workspace_id))
    return WorkspaceRouting.model_validate((settings or {}).get("routing", {}))


async def team_routing(
    session: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID | None
) -> RoutingSettings:
    """The team's settings, or the defaults (a conversation with no team is routed manually)."""
    if team_id is None:
        return RoutingSettings(strategy="manual")
    raw = await session.scalar(
        select(TeamRouting.settings).where(
            TeamRouting.workspace_id == workspace_id, TeamRouting.team_id == team_id
        )
    )
    return RoutingSettings.model_validate(raw or {})
