"""The assignment ledger: every change of assignee opens a row and ends the previous one.

Shared by manual actions (core/conversations) and the routing engine, so the history of who
had a conversation, from when, and why it ended is complete whichever path changed it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.routing.models import AgentStatus, Assignment
from frontdesk.db.outbox import Job, JobStatus
from frontdesk.db.uow import UnitOfWork

DRAIN_JOB = "routing_drain"
ROUTE_JOB = "routing_route"


async def end_current(
    session: AsyncSession, conv: Conversation, now: datetime, reason: str
) -> uuid.UUID | None:
    """End the conversation's open assignment row; returns whose it was."""
    row = await session.scalar(
        select(Assignment)
        .where(
            Assignment.workspace_id == conv.workspace_id,
            Assignment.conversation_id == conv.id,
            Assignment.ended_at.is_(None),
        )
        .order_by(Assignment.decided_at.desc())
        .limit(1)
    )
    if row is None:
        return None
    row.ended_at, row.end_reason = now, reason
    await session.flush()
    return row.user_id


def record(
    session: AsyncSession,
    conv: Conversation,
    now: datetime,
    *,
    user_id: uuid.UUID | None,
    source: str,
    rule: str,
    strategy: str | None = None,
    candidates: list[dict[str, Any]] | None = None,
    decided_by_id: uuid.UUID | None = None,
) -> Assignment:
    row = Assignment(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        team_id=conv.team_id,
        user_id=user_id,
        source=source,
        rule=rule,
        strategy=strategy,
        candidates=candidates or [],
        decided_by_id=decided_by_id,
        decided_at=now,
    )
    session.add(row)
    return row


async def manual_change(
    session: AsyncSession,
    conv: Conversation,
    now: datetime,
    *,
    user_id: uuid.UUID | None,
    by_user_id: uuid.UUID | None,
    end_reason: str,
) -> None:
    """A person (or an API token) assigned, transferred or unassigned the conversation."""
    await end_current(session, conv, now, end_reason)
    if user_id is not None:
        record(
            session,
            conv,
            now,
            user_id=user_id,
            source="manual",
            rule="manual",
            decided_by_id=by_user_id,
        )
        conv.assigned_at, conv.queued_at, conv.queue_notice_seconds = now, None, None
        await session.execute(
            update(AgentStatus)
            .where(AgentStatus.workspace_id == conv.workspace_id, AgentStatus.user_id == user_id)
            .values(last_assigned_at=now)
        )
    else:
        conv.assigned_at = None


def request_drain(
    uow: UnitOfWork, workspace_id: uuid.UUID, freed_user_id: uuid.UUID | None
) -> None:
    """Capacity appeared for this agent: drain the queues of their teams (a job, at once)."""
    if freed_user_id is None:
        return
    uow.enqueue(
        DRAIN_JOB,
        {"workspace_id": str(workspace_id), "user_id": str(freed_user_id)},
        workspace_id=workspace_id,
    )


def request_team_drain(uow: UnitOfWork, workspace_id: uuid.UUID, team_id: uuid.UUID | None) -> None:
    """Look at the team's queue again in a moment (its agents were being claimed elsewhere)."""
    if team_id is None:
        return
    uow.enqueue(
        DRAIN_JOB,
        {"workspace_id": str(workspace_id), "team_ids": [str(team_id)]},
        workspace_id=workspace_id,
        delay=timedelta(seconds=1),
    )


def request_route(uow: UnitOfWork, conv: Conversation) -> None:
    """Route this conversation (a job, so a webhook or a click answers at once)."""
    if conv.team_id is None:
        return
    uow.enqueue(
        ROUTE_JOB,
        {"workspace_id": str(conv.workspace_id), "conversation_id": str(conv.id)},
        workspace_id=conv.workspace_id,
    )


# A routing job for one conversation, not yet started (built once: webhooks run it often).
_ROUTE_WAITING = (
    select(Job.id)
    .where(
        Job.workspace_id == bindparam("workspace_id"),
        Job.kind == ROUTE_JOB,
        Job.status == JobStatus.PENDING,
        Job.payload["conversation_id"].as_string() == bindparam("conversation_id"),
    )
    .limit(1)
)


async def request_route_once(uow: UnitOfWork, conv: Conversation, *, is_new: bool) -> None:
    """`request_route`, unless a routing job for this conversation is already waiting.

    That job routes the conversation as it is when it runs, so a burst of messages queues
    one job, not one each. A new conversation cannot have one yet: no lookup for it.
    """
    if conv.team_id is None:
        return
    if not is_new:
        params = {"workspace_id": conv.workspace_id, "conversation_id": str(conv.id)}
        if await uow.session.scalar(_ROUTE_WAITING, params) is not None:
            return
    request_route(uow, conv)
