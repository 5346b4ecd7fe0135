"""Who supervises what: owners and managers every team, a team lead only their own teams.

A team lead is a team member marked `is_supervisor` (Settings → Teams). Everything a
supervisor does on a conversation (monitor, whisper, take over, answer a raised hand) and the
wallboard ask the one question here, `supervised_team_ids`, so the rule lives in one place.
Conversations of no team are supervised by owners and managers only.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import Forbidden
from frontdesk.core.workspaces.models import Membership, Role, Team, TeamMember


async def supervised_team_ids(db: AsyncSession, actor: Actor) -> frozenset[uuid.UUID] | None:
    """None: every team (an owner or manager); otherwise the teams the actor leads (often
    none). A client viewer supervises nothing."""
    if actor.client_scope is not None:
        return frozenset()
    if actor.can_administer:
        return None
    if actor.user_id is None or not actor.can_write:
        return frozenset()
    rows = await db.scalars(
        select(TeamMember.team_id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(
            TeamMember.workspace_id == actor.workspace_id,
            TeamMember.user_id == actor.user_id,
            TeamMember.is_supervisor.is_(True),
            Team.archived_at.is_(None),
        )
    )
    return frozenset(rows)


def within(teams: frozenset[uuid.UUID] | None, team_id: uuid.UUID | None) -> bool:
    """Whether a conversation or tile of `team_id` is inside a `supervised_team_ids` answer."""
    return teams is None or (team_id is not None and team_id in teams)


async def supervises(db: AsyncSession, actor: Actor, conv: Conversation) -> bool:
    return within(await supervised_team_ids(db, actor), conv.team_id)


async def require_supervision(db: AsyncSession, actor: Actor, conv: Conversation) -> None:
    """Owners and managers, or a lead of the conversation's team; others are refused."""
    if not await supervises(db, actor, conv):
        raise Forbidden("only a supervisor of this conversation's team may do this")


async def reads_whispers(db: AsyncSession, actor: Actor, conv: Conversation) -> bool:
    """A whisper is read by the conversation's assignee (now) and its team's supervisors."""
    if actor.user_id is not None and actor.user_id == conv.assignee_id:
        return True
    return await supervises(db, actor, conv)


async def supervisor_ids(db: AsyncSession, conv: Conversation) -> list[uuid.UUID]:
    """The members who supervise the conversation: owners, managers and its team's leads."""
    admins = await db.scalars(
        select(Membership.user_id).where(
            Membership.workspace_id == conv.workspace_id,
            Membership.role.in_(Role.ADMINISTERING),
        )
    )
    found = list(admins)
    if conv.team_id is not None:
        leads = await db.scalars(
            select(TeamMember.user_id)
            .join(
                Membership,
                (Membership.user_id == TeamMember.user_id)
                & (Membership.workspace_id == TeamMember.workspace_id),
            )
            .where(
                TeamMember.workspace_id == conv.workspace_id,
                TeamMember.team_id == conv.team_id,
                TeamMember.is_supervisor.is_(True),
                Membership.role.not_in((Role.VIEWER,)),
            )
        )
        found.extend(leads)
    return list(dict.fromkeys(found))


async def whisper_reader_ids(db: AsyncSession, conv: Conversation) -> list[uuid.UUID]:
    """Who a whisper on the conversation reaches live: its assignee and its supervisors."""
    readers = await supervisor_ids(db, conv)
    if conv.assignee_id is not None:
        readers.insert(0, conv.assignee_id)
    return list(dict.fromkeys(readers))
