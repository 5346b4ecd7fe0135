"""Reads about users and their workspaces."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.accounts.schemas import MeRead, UserRead, WorkspaceBrief
from frontdesk.core.workspaces.models import Membership, Workspace


async def list_user_workspaces(db: AsyncSession, user_id: uuid.UUID) -> list[WorkspaceBrief]:
    rows = await db.execute(
        select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user_id)
        .order_by(Workspace.name)
    )
    return [
        WorkspaceBrief(id=ws.id, name=ws.name, slug=ws.slug, role=role)
        for ws, role in rows.tuples()
    ]


def pick_workspace(
    workspaces: list[WorkspaceBrief], wanted: uuid.UUID | None
) -> WorkspaceBrief | None:
    for ws in workspaces:
        if ws.id == wanted:
            return ws
    return workspaces[0] if workspaces else None


async def get_me(db: AsyncSession, user: User, current: uuid.UUID | None) -> MeRead:
    workspaces = await list_user_workspaces(db, user.id)
    return MeRead(
        user=UserRead.model_validate(user),
        workspace=pick_workspace(workspaces, current),
        workspaces=workspaces,
    )


async def user_exists(db: AsyncSession, email: str) -> bool:
    return await db.scalar(select(User.id).where(User.email == email)) is not None
