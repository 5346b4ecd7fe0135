"""The assignment ledger: every change of assignee opens a row and ends the previous one.

Shared by manual actions (core/conversations) and the routing engine, so the history of who
had a conversation, from when, and why it ended is complete whichever path changed it.

It also keeps the queue invariant (docs/subsystems/routing.md): an open or pending
conversation of a team with no assignee is in the team's queue (`queued_at`) with the reason
it waits (`queue_reason`); every path that leaves a conversation so calls `queue_for_routing`.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.routing.models import AgentStatus, Assignment
from frontdesk.core.workflows.entry import HOLD_NEW_CONVERSATION, bot_may_take
from frontdesk.db.outbox import Job, JobStatus
from frontdesk.db.uow import UnitOfWork

DRAIN_JOB = "routing_drain"
ROUTE_JOB = "routing_route"
# The statuses in which a conversation holds its assignee's slot, or waits in the queue.
WAITING = (ConversationStatus.OPEN, ConversationStatus.PENDING)


class QueueReason:
    """Why a conversation waits in its team's queue."""

    ROUTING = "routing"  # routing has been asked (a job) and has not decided yet
    NO_AGENT = "no_agent"  # nobody in the team can take it now: drained when someone can
    MANUAL = "manual"  # the team assigns by hand (manual strategy): never drained
    CLOSED = "closed"  # outside business hours: drained at the next opening
    OWNER = "owner"  # waits for the contact's owner (the team's "owner only" rule)
    RETURNING = "returning"  # waits a moment for its previous agent (held by another decision)
    ALL = (ROUTING, NO_AGENT, MANUAL, CLOSED, OWNER, RETURNING)


def leave_queue(conv: Conversation) -> None:
    conv.queued_at = conv.queue_reason = conv.queue_notice_seconds = None


async def restate_queue_reason(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    team_id: uuid.UUID,
    reason: str,
    *,
    replacing: tuple[str, ...],
) -> None:
    """The team's queued conversations waiting for one of `replacing` now wait for `reason`
    (e.g. the team went manual, or opened): what the queue page says stays true.

    Like every routing decision it never waits for a row: conversations another transaction
    holds are skipped (`SKIP LOCKED`; that transaction decides their reason itself)."""
    others = [r for r in replacing if r != reason]
    query = select(Conversation.id).where(
        Conversation.workspace_id == workspace_id,
        Conversation.team_id == team_id,
        Conversation.assignee_id.is_(None),
        Conversation.queued_at.is_not(None),
        Conversation.status.in_(WAITING),
        Conversation.queue_reason.in_(others),
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(await session.scalars(query))
    if ids:
        await session.execute(
            update(Conversation)
            .where(Conversation.id.in_(ids))
            .values(queue_reason=reason)
            .execution_options(synchronize_session="fetch")
        )


async def queue_for_routing(
    uow: UnitOfWork, conv: Conversation, *, is_new: bool = False, first_text: str = ""
) -> None:
    """Keep the queue invariant after a change that may leave the conversation waiting.

    An open or pending conversation of a team with no assignee enters the team's queue now,
    waiting for routing, which is asked to decide (a job). A conversation already queued keeps
    its place; one that is no longer waiting (assigned, snoozed, closed, no team) leaves.
    """
    if conv.team_id is None or conv.assignee_id is not None or conv.status not in WAITING:
        leave_queue(conv)
        return
    if conv.bot_run_id is not None:  # a workflow's bot has it: queued at its handover
        leave_queue(conv)
        return
    if conv.queued_at is not None:
        return
    conv.queued_at, conv.queue_reason, conv.queue_notice_seconds = (
        uow.now(),
        QueueReason.ROUTING,
        None,
    )
    if is_new and await bot_may_take(uow.session, conv.workspace_id, first_text):
        request_route(uow, conv, delay=HOLD_NEW_CONVERSATION)
        return
    await request_route_once(uow, conv, is_new=is_new)


async def end_current(
    session: AsyncSession, conv: Conversation, now: datetime, reason: str
) -> uuid.UUID | None:
    """End the conversation's open assignment row (one statement); returns whose it was."""
    ended = (
        await session.execute(
            update(Assignment)
            .where(
                Assignment.workspace_id == conv.workspace_id,
                Assignment.conversation_id == conv.id,
                Assignment.ended_at.is_(None),
            )
            .values(ended_at=now, end_reason=reason)
            .returning(Assignment.user_id, Assignment.decided_at)
        )
    ).all()
    if not ended:
        return None
    whose: uuid.UUID | None = max(ended, key=lambda row: row.decided_at).user_id
    return whose


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
        conv.assigned_at = now
        leave_queue(conv)
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


def request_route(uow: UnitOfWork, conv: Conversation, delay: timedelta | None = None) -> None:
    """Route this conversation (a job, so a webhook or a click answers at once)."""
    if conv.team_id is None:
        return
    uow.enqueue(
        ROUTE_JOB,
        {"workspace_id": str(conv.workspace_id), "conversation_id": str(conv.id)},
        workspace_id=conv.workspace_id,
        delay=delay,
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
