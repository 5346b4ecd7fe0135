"""Reading routing state: agents' states and history, team queues, assignment explanations."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import PRIORITIES, Conversation
from frontdesk.core.errors import NotFound
from frontdesk.core.routing import engine, ledger
from frontdesk.core.routing.hours import opening
from frontdesk.core.routing.models import AgentState, AgentStateChange, AgentStatus, Assignment
from frontdesk.core.routing.schemas import (
    AgentStatusRead,
    AssignmentRead,
    QueueEntry,
    QueueRead,
    StateChangeRead,
)
from frontdesk.core.routing.settings import load_workspace_routing
from frontdesk.core.workspaces.models import Membership, Role, Team


def agent_status_read(
    user_id: uuid.UUID, name: str, row: AgentStatus | None, default_capacity: int, open_count: int
) -> AgentStatusRead:
    """What the API shows of an agent; a member without a status row is offline."""
    return AgentStatusRead(
        user_id=user_id,
        name=name,
        state=row.state if row else AgentState.OFFLINE,  # type: ignore[arg-type]
        reason=row.reason if row else None,
        state_since=row.state_since if row else None,
        capacity=(row.capacity if row else None) or default_capacity,
        capacity_is_default=row is None or row.capacity is None,
        channel_capacity=dict(row.channel_capacity or {}) if row else {},
        open_conversations=open_count,
        last_assigned_at=row.last_assigned_at if row else None,
    )


async def list_agent_states(
    session: AsyncSession, workspace_id: uuid.UUID
) -> list[AgentStatusRead]:
    """Every member who can take conversations, with state, limits and open conversations."""
    default = (await load_workspace_routing(session, workspace_id)).default_capacity
    members = await session.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.workspace_id == workspace_id,
            Membership.role != Role.VIEWER,
            User.is_active.is_(True),
        )
        .order_by(User.name, User.id)
    )
    statuses = {
        s.user_id: s
        for s in await session.scalars(
            select(AgentStatus).where(AgentStatus.workspace_id == workspace_id)
        )
    }
    loads = dict(
        (
            await session.execute(
                select(Conversation.assignee_id, func.count())
                .where(
                    Conversation.workspace_id == workspace_id,
                    Conversation.assignee_id.is_not(None),
                    Conversation.status.in_(engine.HOLDING),
                )
                .group_by(Conversation.assignee_id)
            )
        ).all()
    )
    return [
        agent_status_read(uid, name, statuses.get(uid), default, loads.get(uid, 0))
        for uid, name in members
    ]


async def agent_state(
    session: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID
) -> AgentStatusRead:
    for agent in await list_agent_states(session, workspace_id):
        if agent.user_id == user_id:
            return agent
    raise NotFound("agent")


async def state_history(
    session: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID, limit: int = 100
) -> list[StateChangeRead]:
    """A member's state changes, newest first; "not found" for someone outside the workspace."""
    member = await session.scalar(
        select(Membership.id).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )
    if member is None:
        raise NotFound("member")
    rows = await session.scalars(
        select(AgentStateChange)
        .where(AgentStateChange.workspace_id == workspace_id, AgentStateChange.user_id == user_id)
        .order_by(AgentStateChange.at.desc(), AgentStateChange.id.desc())
        .limit(limit)
    )
    return [
        StateChangeRead(
            state=r.state,  # type: ignore[arg-type]
            reason=r.reason,
            source=r.source,
            changed_by_id=r.changed_by_id,
            at=r.at,
        )
        for r in rows
    ]


async def team_queue(
    session: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID, now: datetime
) -> QueueRead:
    team = await session.scalar(
        select(Team).where(Team.id == team_id, Team.workspace_id == workspace_id)
    )
    if team is None:
        raise NotFound("team")
    snap = await engine.queue_snapshot(session, workspace_id, team_id, now)
    opened = await opening(session, workspace_id, team_id, now)
    # Closed: nobody is assigned before the next opening, so the wait starts from there.
    until_open = (
        max(0.0, (opened.next_opening - now).total_seconds())
        if not opened.open_now and opened.next_opening is not None
        else 0.0
    )
    rows = (
        await session.execute(
            select(Conversation, Contact.name, Channel.type)
            .join(Contact, Contact.id == Conversation.contact_id)
            .join(Channel, Channel.id == Conversation.channel_id)
            .where(Conversation.id.in_(list(snap.conversation_ids)))
        )
    ).all()
    by_id = {conv.id: (conv, name, ctype) for conv, name, ctype in rows}
    entries = []
    for position, cid in enumerate(snap.conversation_ids, start=1):
        conv, name, ctype = by_id[cid]
        queued_at = conv.queued_at or now
        entries.append(
            QueueEntry(
                conversation_id=cid,
                position=position,
                contact_name=name,
                channel_type=ctype,
                priority=PRIORITIES[conv.priority],
                queued_at=queued_at,
                reason=conv.queue_reason or ledger.QueueReason.NO_AGENT,
                waiting_seconds=max(0.0, (now - queued_at).total_seconds()),
                estimated_wait_seconds=_plus(snap.estimate(position), until_open),
            )
        )
    return QueueRead(
        team_id=team.id,
        team_name=team.name,
        length=len(entries),
        longest_wait_seconds=max((e.waiting_seconds for e in entries), default=0.0),
        free_slots=snap.free_slots,
        online_agents=snap.online_agents,
        entries=entries,
    )


async def assignments_of(
    session: AsyncSession, workspace_id: uuid.UUID, conversation_id: uuid.UUID
) -> list[AssignmentRead]:
    """The conversation's routing decisions, newest first, with their explanations."""
    rows = (
        await session.execute(
            select(Assignment, User.name)
            .outerjoin(User, User.id == Assignment.user_id)
            .where(
                Assignment.workspace_id == workspace_id,
                Assignment.conversation_id == conversation_id,
            )
            .order_by(Assignment.decided_at.desc(), Assignment.id.desc())
            .limit(50)
        )
    ).all()
    return [
        AssignmentRead(
            id=a.id,
            conversation_id=a.conversation_id,
            team_id=a.team_id,
            user_id=a.user_id,
            user_name=name,
            source=a.source,
            rule=a.rule,
            strategy=a.strategy,
            candidates=list(a.candidates or []),
            decided_by_id=a.decided_by_id,
            decided_at=a.decided_at,
            ended_at=a.ended_at,
            end_reason=a.end_reason,
        )
        for a, name in rows
    ]


def _plus(estimate: float | None, seconds: float) -> float | None:
    return None if estimate is None else estimate + seconds
