"""Reads about users and their workspaces."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import ApiToken, AuthSession, Invitation, User
from frontdesk.core.accounts.schemas import (
    ActiveSessionRead,
    ApiTokenRead,
    InvitationRead,
    MeRead,
    UserRead,
    WorkspaceBrief,
)
from frontdesk.core.accounts.two_factor_policy import requires_two_factor
from frontdesk.core.actor import Actor
from frontdesk.core.errors import NotFound
from frontdesk.core.workspaces.client_scope import client_scope_of
from frontdesk.core.workspaces.models import Membership, Workspace


async def list_user_workspaces(db: AsyncSession, user_id: uuid.UUID) -> list[WorkspaceBrief]:
    rows = await db.execute(
        select(Workspace, Membership)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user_id)
        .order_by(Workspace.name)
    )
    return [
        WorkspaceBrief(
            id=ws.id,
            name=ws.name,
            slug=ws.slug,
            role=membership.role,
            client_access=client_scope_of(membership) is not None,
            requires_two_factor=requires_two_factor(ws.settings),
        )
        for ws, membership in rows
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


async def list_invitations(db: AsyncSession, actor: Actor) -> list[InvitationRead]:
    """Pending invitations of the workspace, newest first."""
    actor.require_admin()
    rows = await db.scalars(
        select(Invitation)
        .where(
            Invitation.workspace_id == actor.workspace_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return [
        InvitationRead.model_validate(i).model_copy(update={"client_access": bool(i.client_scope)})
        for i in rows
    ]


async def access_invitation(db: AsyncSession, actor: Actor, invitation_id: uuid.UUID) -> Invitation:
    invitation = await db.scalar(
        select(Invitation).where(
            Invitation.workspace_id == actor.workspace_id, Invitation.id == invitation_id
        )
    )
    if invitation is None:
        raise NotFound("invitation")
    return invitation


async def list_api_tokens(db: AsyncSession, actor: Actor) -> list[ApiTokenRead]:
    """The workspace's live API tokens (never the secret itself)."""
    actor.require_admin()
    rows = await db.scalars(
        select(ApiToken)
        .where(ApiToken.workspace_id == actor.workspace_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [ApiTokenRead.model_validate(t) for t in rows]


async def access_api_token(db: AsyncSession, actor: Actor, token_id: uuid.UUID) -> ApiToken:
    token = await db.scalar(
        select(ApiToken).where(ApiToken.workspace_id == actor.workspace_id, ApiToken.id == token_id)
    )
    if token is None:
        raise NotFound("API token")
    return token


async def list_active_sessions(
    db: AsyncSession, user_id: uuid.UUID, current: uuid.UUID, now: datetime
) -> list[ActiveSessionRead]:
    """The user's sessions that are neither signed out nor expired, most recently seen first."""
    rows = await db.scalars(
        select(AuthSession)
        .where(
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
        )
        .order_by(AuthSession.last_seen_at.desc(), AuthSession.id.desc())
    )
    return [
        ActiveSessionRead(
            id=s.id,
            user_agent=s.user_agent,
            ip_address=s.ip_address,
            created_at=s.created_at,
            last_seen_at=s.last_seen_at,
            expires_at=s.expires_at,
            is_current=s.id == current,
        )
        for s in rows
    ]
