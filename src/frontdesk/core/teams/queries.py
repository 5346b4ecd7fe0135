"""Reads about teams: the list with members and counts, one team, access checks."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.errors import NotFound
from frontdesk.core.teams.schemas import TeamMemberRead, TeamRead
from frontdesk.core.workspaces.client_reads import client_teams
from frontdesk.core.workspaces.models import Team, TeamMember


async def access_team(
    db: AsyncSession, actor: Actor, team_id: uuid.UUID, *, for_update: bool = False
) -> Team:
    """The team if it belongs to the actor's workspace; otherwise "not found"."""
    query = select(Team).where(Team.id == team_id, Team.workspace_id == actor.workspace_id)
    if for_update and db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    team = await db.scalar(query)
    if team is None:
        raise NotFound("team")
    return team


async def _open_conversation_counts(
    db: AsyncSession, workspace_id: uuid.UUID, team_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    rows = await db.execute(
        select(Conversation.team_id, func.count())
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.team_id.in_(team_ids),
            Conversation.status != ConversationStatus.CLOSED,
        )
        .group_by(Conversation.team_id)
    )
    return {team_id: int(count) for team_id, count in rows.all() if team_id is not None}


async def _channel_counts(
    db: AsyncSession, workspace_id: uuid.UUID, team_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    rows = await db.execute(
        select(Channel.team_id, func.count())
        .where(Channel.workspace_id == workspace_id, Channel.team_id.in_(team_ids))
        .group_by(Channel.team_id)
    )
    return {team_id: int(count) for team_id, count in rows.all() if team_id is not None}


async def _reads(db: AsyncSession, workspace_id: uuid.UUID, teams: list[Team]) -> list[TeamRead]:
    """Serialise teams with members and counts: three queries whatever the number of teams."""
    if not teams:
        return []
    team_ids = [t.id for t in teams]
    rows = await db.execute(
        select(TeamMember.team_id, User.id, User.name, TeamMember.is_supervisor)
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.workspace_id == workspace_id, TeamMember.team_id.in_(team_ids))
        .order_by(User.name, User.id)
    )
    members: dict[uuid.UUID, list[TeamMemberRead]] = defaultdict(list)
    for team_id, user_id, name, lead in rows.all():
        members[team_id].append(TeamMemberRead(user_id=user_id, name=name, is_supervisor=lead))
    conversations = await _open_conversation_counts(db, workspace_id, team_ids)
    channels = await _channel_counts(db, workspace_id, team_ids)
    return [
        TeamRead(
            id=t.id,
            name=t.name,
            description=t.description,
            members=members.get(t.id, []),
            member_count=len(members.get(t.id, [])),
            open_conversation_count=conversations.get(t.id, 0),
            channel_count=channels.get(t.id, 0),
            created_at=t.created_at,
            archived_at=t.archived_at,
        )
        for t in teams
    ]


async def list_teams(
    db: AsyncSession, actor: Actor, *, include_archived: bool = False
) -> list[TeamRead]:
    """The workspace's teams by name (archived ones only when asked); any member may list them."""
    query = select(Team).where(Team.workspace_id == actor.workspace_id)
    if not include_archived:
        query = query.where(Team.archived_at.is_(None))
    if actor.client_scope is not None:  # a client viewer: its client's teams only
        query = query.where(client_teams(actor.client_scope))
    teams = await db.scalars(query.order_by(Team.name, Team.id))
    return await _reads(db, actor.workspace_id, list(teams))


async def get_team(db: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID) -> TeamRead:
    team = await db.scalar(
        select(Team).where(Team.id == team_id, Team.workspace_id == workspace_id)
    )
    if team is None:
        raise NotFound("team")
    return (await _reads(db, workspace_id, [team]))[0]
