"""Reads about workspaces and their members."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.errors import NotFound
from frontdesk.core.pagination import Page, cursor_uuid, decode_cursor, encode_cursor
from frontdesk.core.workspaces.models import Membership, Team, TeamMember, Workspace
from frontdesk.core.workspaces.schemas import MemberRead, TeamBrief, WorkspaceRead
from frontdesk.core.workspaces.scope import client_stored, scope_reads
from frontdesk.core.workspaces.settings import conversation_settings


async def get_workspace(db: AsyncSession, actor: Actor) -> WorkspaceRead:
    ws = await db.get(Workspace, actor.workspace_id)
    if ws is None:
        raise NotFound("workspace")
    prefs = conversation_settings(ws.settings)
    return WorkspaceRead(
        id=ws.id,
        organisation_id=ws.organisation_id,
        name=ws.name,
        slug=ws.slug,
        timezone=ws.timezone,
        default_language=prefs.default_language,
        reopen_within_hours=prefs.reopen_within_hours,
        abandon_after_minutes=prefs.abandon_after_minutes,
        short_abandon_seconds=prefs.short_abandon_seconds,
        role=actor.role,
        created_at=ws.created_at,
    )


async def access_member(db: AsyncSession, actor: Actor, user_id: uuid.UUID) -> Membership:
    member = await db.scalar(
        select(Membership).where(
            Membership.workspace_id == actor.workspace_id, Membership.user_id == user_id
        )
    )
    if member is None:
        raise NotFound("member")
    return member


async def teams_of_users(
    db: AsyncSession, workspace_id: uuid.UUID, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[TeamBrief]]:
    rows = await db.execute(
        select(TeamMember.user_id, Team.id, Team.name)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.workspace_id == workspace_id, TeamMember.user_id.in_(user_ids))
        .order_by(Team.name)
    )
    result: dict[uuid.UUID, list[TeamBrief]] = defaultdict(list)
    for user_id, team_id, name in rows:
        result[user_id].append(TeamBrief(id=team_id, name=name))
    return result


async def list_members(
    db: AsyncSession,
    actor: Actor,
    *,
    limit: int,
    cursor: str | None,
    q: str | None = None,
    user_id: uuid.UUID | None = None,
) -> Page[MemberRead]:
    """Members ordered by name, then id (two queries whatever the page size)."""
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == actor.workspace_id)
        .order_by(User.name, User.id)
        .limit(limit + 1)
    )
    if user_id is not None:
        query = query.where(Membership.user_id == user_id)
    if q:
        # Escaped: a `%` or `_` typed in the search box matches itself, not everything.
        query = query.where(
            or_(User.name.icontains(q, autoescape=True), User.email.icontains(q, autoescape=True))
        )
    if cursor:
        name, last_id = decode_cursor(cursor, 2)
        query = query.where(
            or_(User.name > name, and_(User.name == name, User.id > cursor_uuid(last_id)))
        )
    rows = (await db.execute(query)).all()
    page, more = rows[:limit], len(rows) > limit
    teams = await teams_of_users(db, actor.workspace_id, [u.id for _, u in page]) if page else {}
    scopes = await scope_reads(db, actor.workspace_id, [client_stored(m) for m, _ in page])
    items = [
        MemberRead(
            user_id=user.id,
            name=user.name,
            email=user.email,
            avatar_url=user.avatar_url,
            role=m.role,
            is_active=user.is_active,
            teams=teams.get(user.id, []),
            languages=list(m.languages or []),
            client_scope=scope,
            joined_at=m.created_at,
        )
        for (m, user), scope in zip(page, scopes, strict=True)
    ]
    next_cursor = encode_cursor(page[-1][1].name, page[-1][1].id) if more else None
    return Page(items=items, next_cursor=next_cursor)
