"""Reading a decision's candidates and claiming one of them.

Candidates: the team snapshot (core/routing/snapshot.py) says who is in the team, their names,
roles and languages; one statement per decision reads what changes all the time: every
member's state, capacity, last assignment and open conversations (in total and on the
conversation's channel type).

The claim is one statement the database serialises. On PostgreSQL:

    UPDATE agent_status SET last_assigned_at = :now
    WHERE id = (SELECT s.id FROM agent_status s
                JOIN unnest(:ids, :seen, :open, :channel_open) WITH ORDINALITY AS r ...
                WHERE <state allows> AND <under capacity and channel limit, from the row>
                  AND s.last_assigned_at IS NOT DISTINCT FROM r.seen
                ORDER BY r.rank LIMIT 1 FOR UPDATE OF s SKIP LOCKED)
    RETURNING ...

It takes the best-ranked agent no other decision holds (`SKIP LOCKED`: never waits, so never
deadlocks), re-checks their state and limits on the row as it is when locked, and passes over
an agent whose last assignment changed since the candidates were read: every automatic
assignment sets it while holding the row, so an unchanged value means the loads read are still
theirs (capacity holds) and nobody got a conversation meanwhile (round robin stays fair). The
row stays locked until commit. On SQLite every write transaction holds the database
(BEGIN IMMEDIATE), so what was read is current and the claim is a plain UPDATE … RETURNING.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.routing.models import AgentState, AgentStatus
from frontdesk.core.routing.policy import Candidate, Eligibility
from frontdesk.core.routing.snapshot import Member, TeamSnapshot
from frontdesk.core.workspaces.models import Membership, Role

# Conversations that hold a slot of their assignee's capacity.
HOLDING = (ConversationStatus.OPEN, ConversationStatus.PENDING)
ROUTING_LOCK = 7461527  # advisory lock class; the key within it comes from the workspace id
NO_LIMIT = 2**31 - 1
# On SQLite (one writer) an agent's last assignment is set after every other candidate's, so
# round robin serves them in the order they were claimed even when the clock stands still.
TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Scene:
    """What every candidate of one decision is measured against."""

    channel_type: str
    default_capacity: int


def is_pg(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def lock_routing(session: AsyncSession, workspace_id: uuid.UUID) -> None:
    """Serialise the creation of status rows per workspace until this transaction ends
    (PostgreSQL; re-entrant; a no-op on SQLite, which has one writer)."""
    if is_pg(session):
        key = int.from_bytes(workspace_id.bytes[-4:], "big", signed=True)
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:lock, :key)"), {"lock": ROUTING_LOCK, "key": key}
        )


async def ensure_status_rows(
    session: AsyncSession, workspace_id: uuid.UUID, user_ids: Iterable[uuid.UUID], now: datetime
) -> None:
    """Every member who may be routed to has a status row to lock (offline until they say).

    Creating rows is the one place a decision may wait for another transaction (on the unique
    key of a row it inserted and has not committed): inserts are serialised per workspace by
    the routing lock, taken only when a row is missing, so such waits can never form a cycle.
    """
    wanted = sorted(dict.fromkeys(user_ids), key=str)
    existing = set(
        await session.scalars(
            select(AgentStatus.user_id).where(
                AgentStatus.workspace_id == workspace_id, AgentStatus.user_id.in_(wanted)
            )
        )
    )
    missing = [uid for uid in wanted if uid not in existing]
    if not missing:
        return
    await lock_routing(session, workspace_id)
    rows = [
        {
            "id": uuid.uuid4(),
            "workspace_id": workspace_id,
            "user_id": uid,
            "state": AgentState.OFFLINE,
            "state_since": now,
            "channel_capacity": {},
            "version": 1,
        }
        for uid in missing
    ]
    insert = pg_insert if is_pg(session) else sqlite_insert
    await session.execute(
        insert(AgentStatus)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["workspace_id", "user_id"])
    )


async def member(
    session: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID
) -> Member | None:
    """A member of the workspace outside the team (a contact's owner, a previous agent)."""
    row = (
        await session.execute(
            select(User.name, User.is_active, Membership.role, Membership.languages)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == workspace_id, User.id == user_id)
        )
    ).first()
    if row is None:
        return None
    name, active, role, languages = row
    return Member(name, bool(active) and role != Role.VIEWER, frozenset(languages or ()))


async def candidates_for(
    session: AsyncSession,
    conv: Conversation,
    team: TeamSnapshot,
    extra_user_ids: Iterable[uuid.UUID] = (),
    *,
    scene: Scene,
    now: datetime,
) -> dict[uuid.UUID, Candidate]:
    """The team's members (plus e.g. the contact's owner) with their state and load as read
    now, unlocked: the claim re-checks the one it takes."""
    ws = conv.workspace_id
    members = dict(team.members)
    in_team = set(members)
    for uid in extra_user_ids:
        if uid not in members and (found := await member(session, ws, uid)) is not None:
            members[uid] = found
    if not members:
        return {}
    rows = await live(session, ws, list(members), scene.channel_type)
    if missing := [uid for uid in members if uid not in rows]:
        await ensure_status_rows(session, ws, missing, now)
        rows = await live(session, ws, list(members), scene.channel_type)
    result: dict[uuid.UUID, Candidate] = {}
    for uid, who in members.items():
        status, total, same = rows[uid]
        result[uid] = Candidate(
            user_id=uid,
            name=who.name,
            state=status.state,
            open_count=total,
            capacity=status.capacity or scene.default_capacity,
            last_assigned_at=status.last_assigned_at,
            in_team=uid in in_team,
            can_take=who.can_take,
            channel_open=same,
            channel_capacity=(status.channel_capacity or {}).get(scene.channel_type),
            state_reason=status.reason,
            languages=who.languages,
        )
    return result


@dataclass(frozen=True)
class _Status:
    state: str
    reason: str | None
    capacity: int | None
    channel_capacity: dict[str, int] | None
    last_assigned_at: datetime | None


async def live(
    session: AsyncSession, workspace_id: uuid.UUID, user_ids: list[uuid.UUID], channel_type: str
) -> dict[uuid.UUID, tuple[_Status, int, int]]:
    """Each member's status row with their open conversations (total, on `channel_type`), in
    one statement."""
    held = (
        select(
            Conversation.assignee_id.label("user_id"),
            func.count().label("total"),
            func.sum(case((Channel.type == channel_type, 1), else_=0)).label("same"),
        )
        .join(Channel, Channel.id == Conversation.channel_id)
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.assignee_id.in_(user_ids),
            Conversation.status.in_(HOLDING),
        )
        .group_by(Conversation.assignee_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            AgentStatus.user_id,
            AgentStatus.state,
            AgentStatus.reason,
            AgentStatus.capacity,
            AgentStatus.channel_capacity,
            AgentStatus.last_assigned_at,
            held.c.total,
            held.c.same,
        )
        .outerjoin(held, held.c.user_id == AgentStatus.user_id)
        .where(AgentStatus.workspace_id == workspace_id, AgentStatus.user_id.in_(user_ids))
    )
    return {
        uid: (_Status(state, reason, cap, chan, last), int(total or 0), int(same or 0))
        for uid, state, reason, cap, chan, last, total, same in rows
    }


_CLAIM_PG = text(
    """
UPDATE agent_status SET last_assigned_at = GREATEST(:now, clock_timestamp())
WHERE id = (
    SELECT s.id
    FROM agent_status AS s
    JOIN unnest(
        CAST(:ids AS uuid[]), CAST(:seen AS timestamptz[]),
        CAST(:open AS integer[]), CAST(:channel_open AS integer[])
    ) WITH ORDINALITY AS r(user_id, seen, open, channel_open, rank)
      ON s.user_id = r.user_id
    WHERE s.workspace_id = :workspace_id
      AND s.state = ANY(CAST(:states AS varchar[]))
      AND s.last_assigned_at IS NOT DISTINCT FROM r.seen
      AND (NOT :respect_capacity OR (
            r.open < COALESCE(s.capacity, :default_capacity)
            AND r.channel_open < COALESCE(
                CAST(CAST(s.channel_capacity AS jsonb) ->> :channel_type AS integer), :no_limit)
      ))
    ORDER BY r.rank
    LIMIT 1
    FOR UPDATE OF s SKIP LOCKED
)
RETURNING user_id, state, reason, capacity, channel_capacity, last_assigned_at
"""
)


def _states(rules: Eligibility) -> list[str]:
    if rules.online_only:
        return [AgentState.ONLINE]
    return [AgentState.ONLINE, AgentState.OFFLINE]


async def claim_first(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    ranked: Sequence[Candidate],
    rules: Eligibility,
    scene: Scene,
    *,
    clock: Callable[[], datetime],
) -> tuple[Candidate | None, dict[uuid.UUID, str]]:
    """Claim the best of `ranked` (eligible as read, best first) in one statement: the agent
    as they are now, or None; and why each agent ranked above them was passed over
    (`claimed_elsewhere`: another decision holds them, or gave them a conversation since)."""
    if not ranked:
        return None, {}
    await session.flush()  # nothing left to write: the clock is read right before the claim
    now = clock()
    if not is_pg(session):
        # One writer: what was read is current, and the best of it is free.
        best = ranked[0]
        at = max([now, *(c.last_assigned_at + TICK for c in ranked if c.last_assigned_at)])
        claimed = await session.scalar(
            update(AgentStatus)
            .where(AgentStatus.workspace_id == workspace_id, AgentStatus.user_id == best.user_id)
            .values(last_assigned_at=at)
            .returning(AgentStatus.user_id)
        )
        if claimed is None:
            return None, {best.user_id: "claimed_elsewhere"}
        return replace(best, last_assigned_at=at), {}
    row = (
        await session.execute(
            _CLAIM_PG,
            {
                "now": now,
                "workspace_id": workspace_id,
                "ids": [c.user_id for c in ranked],
                "seen": [c.last_assigned_at for c in ranked],
                "open": [c.open_count for c in ranked],
                "channel_open": [c.channel_open for c in ranked],
                "states": _states(rules),
                "respect_capacity": rules.respect_capacity,
                "default_capacity": scene.default_capacity,
                "channel_type": scene.channel_type,
                "no_limit": NO_LIMIT,
            },
        )
    ).first()
    chosen = None if row is None else uuid.UUID(str(row.user_id))
    passed: dict[uuid.UUID, str] = {}
    for c in ranked:
        if row is not None and c.user_id == chosen:
            fresh = replace(
                c,
                state=row.state,
                state_reason=row.reason,
                capacity=row.capacity or scene.default_capacity,
                channel_capacity=(row.channel_capacity or {}).get(scene.channel_type),
                last_assigned_at=row.last_assigned_at,
            )
            return fresh, passed
        passed[c.user_id] = "claimed_elsewhere"
    return None, passed
