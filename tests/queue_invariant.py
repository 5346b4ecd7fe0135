"""The queue invariant (docs/subsystems/routing.md), checked against the database.

1. Every open or pending conversation of a team with no assignee is in the team's queue
   (`queued_at` set) with a known reason; no other conversation is (`queue_reason` is set
   exactly while `queued_at` is).
2. One waiting for routing (`routing`) has a routing job (route or drain) due for it.
3. Drained when capacity exists: with no routing job pending in its workspace, a conversation
   waiting because nobody could take it (`no_agent`) has, in its team, nobody who could take
   it now, by the policy's own eligibility, while the team is open and does not assign by hand.

Eligibility is rebuilt here from the rows (members, states, loads, limits) and judged by
`policy.skip_reason`, not by the engine that did the draining.

`queue_invariant` is an autouse fixture: a test module imports it to be checked after each
of its tests.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.routing.hours import opening
from frontdesk.core.routing.ledger import DRAIN_JOB, ROUTE_JOB, WAITING, QueueReason
from frontdesk.core.routing.models import AgentState, AgentStatus, Strategy
from frontdesk.core.routing.policy import Candidate, Eligibility, skip_reason
from frontdesk.core.routing.settings import load_workspace_routing, team_routing
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Membership, Role, TeamMember
from frontdesk.db.outbox import Job


async def queue_violations(runtime: Runtime) -> list[str]:
    """Every breach of the queue invariant, described; empty when it holds."""
    now = runtime.clock.now()
    found: list[str] = []
    async with runtime.database.read_session() as db:
        convs = (await db.scalars(select(Conversation))).all()
        jobs = (await db.scalars(select(Job).where(Job.kind.in_([ROUTE_JOB, DRAIN_JOB])))).all()
        routed = {j.payload.get("conversation_id") for j in jobs if j.kind == ROUTE_JOB}
        busy_workspaces = {j.workspace_id for j in jobs}
        drained_teams = {
            t for j in jobs if j.kind == DRAIN_JOB for t in j.payload.get("team_ids", [])
        }
        for c in convs:
            waiting = c.status in WAITING and c.team_id is not None and c.assignee_id is None
            waiting = waiting and c.bot_run_id is None  # a workflow's bot has it: no queue
            if waiting and (c.queued_at is None or c.queue_reason not in QueueReason.ALL):
                found.append(f"{c.id} waits outside its team's queue (reason {c.queue_reason})")
            if not waiting and (c.queued_at is not None or c.queue_reason is not None):
                found.append(f"{c.id} is {c.status}, assigned or teamless yet in a queue")
            if (c.queue_reason is None) != (c.queued_at is None):
                found.append(f"{c.id} has queued_at and queue_reason out of step")
            if (
                waiting
                and c.queue_reason == QueueReason.ROUTING
                and str(c.id) not in routed
                and str(c.team_id) not in drained_teams
            ):
                found.append(f"{c.id} waits for routing that nobody asked for")
        for c in convs:
            if (
                c.status in WAITING
                and c.assignee_id is None
                and c.team_id is not None
                and c.queue_reason == QueueReason.NO_AGENT
                and c.workspace_id not in busy_workspaces
            ):
                takers = await _could_take(db, c, now)
                if takers:
                    found.append(f"{c.id} waits while {takers} could take it")
    return found


async def _could_take(db: AsyncSession, conv: Conversation, now: object) -> list[str]:
    """Team members who could take the conversation now, by the policy's eligibility."""
    assert conv.team_id is not None
    settings = await team_routing(db, conv.workspace_id, conv.team_id)
    if settings.strategy == Strategy.MANUAL:
        return []
    if not (await opening(db, conv.workspace_id, conv.team_id, now)).open_now:  # type: ignore[arg-type]
        return []
    default = (await load_workspace_routing(db, conv.workspace_id)).default_capacity
    channel_type = await db.scalar(select(Channel.type).where(Channel.id == conv.channel_id))
    members = (
        await db.execute(
            select(User.id, User.name, User.is_active, Membership.role, AgentStatus)
            .join(TeamMember, TeamMember.user_id == User.id)
            .join(
                Membership,
                and_(Membership.user_id == User.id, Membership.workspace_id == conv.workspace_id),
            )
            .outerjoin(
                AgentStatus,
                and_(
                    AgentStatus.user_id == User.id,
                    AgentStatus.workspace_id == conv.workspace_id,
                ),
            )
            .where(TeamMember.team_id == conv.team_id)
        )
    ).all()
    loads = (
        await db.execute(
            select(Conversation.assignee_id, Channel.type, func.count())
            .join(Channel, Channel.id == Conversation.channel_id)
            .where(
                Conversation.workspace_id == conv.workspace_id,
                Conversation.assignee_id.is_not(None),
                Conversation.status.in_(WAITING),
            )
            .group_by(Conversation.assignee_id, Channel.type)
        )
    ).all()
    total: Counter[uuid.UUID] = Counter()
    same: Counter[uuid.UUID] = Counter()
    for assignee, ctype, count in loads:
        total[assignee] += count
        if ctype == channel_type:
            same[assignee] += count
    rules = Eligibility(
        online_only=settings.online_only, respect_capacity=settings.respect_capacity
    )
    takers = []
    for uid, name, active, role, status in members:
        limits = (status.channel_capacity or {}) if status else {}
        candidate = Candidate(
            user_id=uid,
            name=name,
            state=status.state if status else AgentState.OFFLINE,  # never signed in
            open_count=total[uid],
            capacity=(status.capacity if status else None) or default,
            can_take=active and role != Role.VIEWER,
            channel_open=same[uid],
            channel_capacity=limits.get(channel_type or ""),
        )
        if skip_reason(candidate, rules) is None:
            takers.append(name)
    return takers


async def assert_queue_invariant(runtime: Runtime) -> None:
    violations = await queue_violations(runtime)
    assert not violations, "\n".join(violations[:20])


@pytest.fixture(autouse=True)
async def queue_invariant(runtime: Runtime) -> AsyncIterator[None]:
    """After each test of a module that imports this fixture, the queue invariant holds."""
    yield
    await assert_queue_invariant(runtime)
