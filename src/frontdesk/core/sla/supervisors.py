"""Who supervises a team: the one place that answers it for SLA notices.

Today every owner and manager of the workspace supervises every team; when per-team
supervision rights arrive, narrowing this function narrows who is told.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.workspaces.models import Membership, Role


async def team_supervisors(
    db: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID | None
) -> list[uuid.UUID]:
    """The members who supervise `team_id` (None: conversations without a team)."""
    del team_id  # every supervisor of the workspace, for now
    rows = await db.scalars(
        select(Membership.user_id)
        .where(
            Membership.workspace_id == workspace_id,
            Membership.role.in_(Role.ADMINISTERING),
        )
        .order_by(Membership.user_id)
    )
    return list(rows)
