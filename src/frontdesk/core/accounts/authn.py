"""Resolving a request's credentials (session cookie or API token) into an Actor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import ApiToken, AuthSession, User
from frontdesk.core.actor import Actor
from frontdesk.core.errors import NotFound, Unauthenticated
from frontdesk.core.security import hash_token
from frontdesk.core.workspaces.models import Membership, TeamMember

# last_seen_at is refreshed at most this often, so reads do not turn into writes.
SEEN_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class Principal:
    """A signed-in user and the session they came with (no workspace chosen yet)."""

    user: User
    session: AuthSession


async def principal_from_session_token(db: AsyncSession, token: str, now: datetime) -> Principal:
    row = (
        await db.execute(
            select(AuthSession, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.token_hash == hash_token(token))
        )
    ).first()
    if row is None:
        raise Unauthenticated("sign in to continue")
    auth_session, user = row
    if auth_session.revoked_at is not None or auth_session.expires_at <= now or not user.is_active:
        raise Unauthenticated("your session has ended; sign in again")
    if now - auth_session.last_seen_at > SEEN_RESOLUTION:
        await db.execute(
            update(AuthSession).where(AuthSession.id == auth_session.id).values(last_seen_at=now)
        )
        await db.commit()
    return Principal(user=user, session=auth_session)


async def team_ids_of(
    db: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID
) -> frozenset[uuid.UUID]:
    rows = await db.scalars(
        select(TeamMember.team_id).where(
            TeamMember.workspace_id == workspace_id, TeamMember.user_id == user_id
        )
    )
    return frozenset(rows)


async def actor_for_principal(
    db: AsyncSession, principal: Principal, workspace_id: uuid.UUID | None, ip_address: str = ""
) -> Actor:
    """The principal acting in a workspace: the one asked for, else the session's, else any."""
    query = select(Membership).where(Membership.user_id == principal.user.id)
    wanted = workspace_id or principal.session.workspace_id
    if wanted is not None:
        membership = await db.scalar(query.where(Membership.workspace_id == wanted))
        if membership is None and workspace_id is not None:
            raise NotFound("workspace")
    else:
        membership = None
    if membership is None:
        membership = await db.scalar(query.order_by(Membership.created_at).limit(1))
    if membership is None:
        raise NotFound("workspace")
    return Actor(
        workspace_id=membership.workspace_id,
        role=membership.role,
        user_id=principal.user.id,
        session_id=principal.session.id,
        team_ids=await team_ids_of(db, membership.workspace_id, principal.user.id),
        ip_address=ip_address,
    )


async def actor_from_api_token(
    db: AsyncSession, token: str, now: datetime, ip_address: str = ""
) -> Actor:
    api_token = await db.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if api_token is None or api_token.revoked_at is not None:
        raise Unauthenticated("the API token is not valid")
    if api_token.last_used_at is None or now - api_token.last_used_at > SEEN_RESOLUTION:
        await db.execute(
            update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now)
        )
        await db.commit()
    return Actor(
        workspace_id=api_token.workspace_id,
        role=api_token.role,
        token_id=api_token.id,
        ip_address=ip_address,
    )
