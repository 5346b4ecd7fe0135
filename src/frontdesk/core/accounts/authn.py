"""Resolving a request's credentials (session cookie or API token) into an Actor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import ApiToken, AuthSession, User
from frontdesk.core.accounts.two_factor_policy import (
    TwoFactorRequired,
    check_two_factor_requirement,
)
from frontdesk.core.actor import Actor
from frontdesk.core.errors import NotFound, Unauthenticated
from frontdesk.core.security import hash_token
from frontdesk.core.workspaces.client_scope import client_scope_of
from frontdesk.core.workspaces.models import Membership, Role, TeamMember

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
    await check_two_factor_requirement(db, principal.user, membership.workspace_id)
    return Actor(
        workspace_id=membership.workspace_id,
        role=membership.role,
        user_id=principal.user.id,
        session_id=principal.session.id,
        team_ids=await team_ids_of(db, membership.workspace_id, principal.user.id),
        ip_address=ip_address,
        client_scope=client_scope_of(membership),
    )


async def live_api_token(db: AsyncSession, api_token: ApiToken) -> bool:
    """Whether a token may act: not revoked, and its creator still an active owner or manager
    of its workspace, a member since before the token was made (removal ends it for good;
    disabling or demoting the creator suspends it until they are enabled or promoted again)."""
    if api_token.revoked_at is not None or api_token.created_by_id is None:
        return False
    row = (
        await db.execute(
            select(User.is_active, Membership.role, Membership.created_at)
            .join(Membership, Membership.user_id == User.id)
            .where(
                User.id == api_token.created_by_id,
                Membership.workspace_id == api_token.workspace_id,
            )
        )
    ).first()
    if row is None:
        return False
    is_active, role, member_since = row
    if not is_active or member_since > api_token.created_at or role not in Role.ADMINISTERING:
        return False
    return api_token.role != Role.OWNER or role == Role.OWNER


async def actor_from_api_token(
    db: AsyncSession, token: str, now: datetime, ip_address: str = ""
) -> Actor:
    api_token = await db.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if api_token is None or not await live_api_token(db, api_token):
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
        token_creator_id=api_token.created_by_id,
        ip_address=ip_address,
    )


async def credentials_live(
    db: AsyncSession,
    now: datetime,
    *,
    session_id: uuid.UUID | None = None,
    token_id: uuid.UUID | None = None,
    workspace_id: uuid.UUID | None = None,
) -> bool:
    """Whether a live socket's credentials still hold (its session, or its API token), and,
    in `workspace_id`, a two-factor requirement switched on since does not shut the user out."""
    if token_id is not None:
        api_token = await db.get(ApiToken, token_id, populate_existing=True)
        return api_token is not None and await live_api_token(db, api_token)
    if session_id is None:
        return False
    row = (
        await db.execute(
            select(AuthSession.revoked_at, AuthSession.expires_at, User.is_active, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.id == session_id)
        )
    ).first()
    if row is None or row[0] is not None or row[1] <= now or not row[2]:
        return False
    if workspace_id is not None:
        try:
            await check_two_factor_requirement(db, row[3], workspace_id)
        except TwoFactorRequired:
            return False
    return True
