"""The routing engine: decide who gets a conversation, or queue it, and drain queues.

The rules run in order (docs/decisions/0008-routing-rules.md):
1. an assignee who is available keeps the conversation;
2. a returning contact goes to their previous agent if available within N minutes;
3. a contact with an owner goes to the owner if available (else per the team's setting);
4. the team's strategy among eligible agents (in the team, state allows, under capacity);
5. nobody eligible: the conversation waits in the team's queue.

What a decision reads: the team's snapshot (settings, members, hours, the workspace's routing
settings), held per process and dropped when any of it changes (core/routing/snapshot.py);
then, fresh, every member's state and load in one statement; the candidates are ranked in
memory (core/routing/policy.py).

Concurrency: a decision runs in one transaction. It locks the conversation row, skipping it
if another process holds it (`FOR UPDATE SKIP LOCKED`), ranks the candidates as read, then
claims the best in one statement (core/routing/claim.py): the first agent in rank order whose
`agent_status` row no other decision holds (`SKIP LOCKED`), whose state and limits still allow
it on the locked row and who got no conversation since the read; it stamps their last
assignment and keeps the row locked until commit. So two processes can neither assign one
conversation twice nor over-fill an agent, and since no decision ever waits for a row,
decisions cannot deadlock and run in parallel. A conversation that found its candidates being
claimed elsewhere asks for a drain right after, so it is not left waiting. SQLite has a single
writer, which gives the same guarantees.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.emit import emit_conversation
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.events import (
    ConversationAssigned,
    ConversationQueued,
    QueueUpdated,
    supervisors_key,
    team_key,
)
from frontdesk.core.routing import estimator, ledger
from frontdesk.core.routing.claim import (
    HOLDING,
    Scene,
    candidates_for,
    claim_first,
    ensure_status_rows,
    is_pg,
    live,
    lock_routing,
)
from frontdesk.core.routing.hours import Opening
from frontdesk.core.routing.ledger import QueueReason
from frontdesk.core.routing.models import AgentState, Assignment, Strategy
from frontdesk.core.routing.notices import NoticeValues, send_notice, tell_assigned
from frontdesk.core.routing.policy import (
    Candidate,
    Decision,
    Eligibility,
    decide,
    rank,
    skip_reason,
)
from frontdesk.core.routing.schemas import RoutingSettings
from frontdesk.core.routing.snapshot import TeamSnapshot, channel_type, team_snapshot
from frontdesk.core.workspaces.models import TeamMember
from frontdesk.db.uow import UnitOfWork

HANDLE_SAMPLE = 50
__all__ = ["HOLDING", "Outcome", "drain", "ensure_status_rows", "lock_routing", "route"]


@dataclass(frozen=True)
class Outcome:
    """What routing did with one conversation."""

    assigned_to: uuid.UUID | None
    rule: str  # kept | returning | owner | strategy | queued | skipped
    any_capacity: bool  # some agent of the team could still take work


async def lock_conversation(
    session: AsyncSession, workspace_id: uuid.UUID, conversation_id: uuid.UUID
) -> Conversation | None:
    """The conversation, locked for this transaction; None if missing or another holds it."""
    query = (
        select(Conversation)
        .where(Conversation.id == conversation_id, Conversation.workspace_id == workspace_id)
        .execution_options(populate_existing=True)
    )
    if is_pg(session):
        query = query.with_for_update(skip_locked=True)
    conv: Conversation | None = await session.scalar(query)
    return conv


async def scene_of(session: AsyncSession, conv: Conversation, team: TeamSnapshot) -> Scene:
    return Scene(
        channel_type=await channel_type(session, conv.channel_id),
        default_capacity=team.default_capacity,
    )


async def _previous_agent(
    session: AsyncSession, conv: Conversation, since: datetime
) -> uuid.UUID | None:
    """Who last worked this contact's conversations, if that ended after `since`."""
    row = (
        await session.execute(
            select(Assignment.user_id)
            .join(Conversation, Conversation.id == Assignment.conversation_id)
            .where(
                Assignment.workspace_id == conv.workspace_id,
                Conversation.contact_id == conv.contact_id,
                Assignment.conversation_id != conv.id,
                Assignment.user_id.is_not(None),
                or_(Assignment.ended_at.is_(None), Assignment.ended_at >= since),
            )
            .order_by(Assignment.decided_at.desc())
            .limit(1)
        )
    ).first()
    return row[0] if row else None


async def route(  # noqa: PLR0912 - the routing rules, in their order, in one place
    uow: UnitOfWork,
    conv: Conversation,
    *,
    exclude: frozenset[uuid.UUID] = frozenset(),
    notify: bool = True,
) -> Outcome:
    """Apply the rules to one locked, open conversation: assign it or keep it queued."""
    session, now = uow.session, uow.now()
    # A workflow's bot has it (bot handling): offered to nobody until its handover.
    if conv.status not in HOLDING or conv.team_id is None or conv.bot_run_id is not None:
        return Outcome(conv.assignee_id, "skipped", True)
    team = await team_snapshot(session, conv.workspace_id, conv.team_id)
    settings = team.settings
    contact = await session.get(Contact, conv.contact_id)
    extra = [u for u in (conv.assignee_id, contact.owner_id if contact else None) if u]
    previous = (
        await _previous_agent(session, conv, now - timedelta(minutes=settings.returning_minutes))
        if settings.returning_minutes
        else None
    )
    if previous:
        extra.append(previous)
    scene = await scene_of(session, conv, team)
    candidates = await candidates_for(session, conv, team, extra, scene=scene, now=now)
    rules = Eligibility(
        online_only=settings.online_only, respect_capacity=settings.respect_capacity
    )
    pool = [c for c in candidates.values() if c.user_id not in exclude]
    any_capacity = any(skip_reason(c, rules) is None and c.in_team for c in pool)

    def available(user_id: uuid.UUID | None) -> Candidate | None:
        c = candidates.get(user_id) if user_id else None
        if c is None or c.user_id in exclude:
            return None
        # Rules 1-3 follow a person, not the team: membership of the team is not required.
        return c if skip_reason(replace(c, in_team=True), rules) is None else None

    # 1. The current assignee keeps it while available (holding it does not count twice).
    if conv.assignee_id is not None:
        keeper = candidates.get(conv.assignee_id)
        if keeper is not None and keeper.user_id not in exclude:
            relaxed = replace(
                keeper,
                in_team=True,
                open_count=keeper.open_count - 1,
                channel_open=keeper.channel_open - 1,  # nor against their channel's limit
            )
            if skip_reason(relaxed, rules) is None:
                return Outcome(conv.assignee_id, "kept", any_capacity)
    opened = team.opening(now)
    if not opened.open_now:
        await _queue(uow, conv, settings, opened, decision=None, rule="closed", notify=notify)
        return Outcome(None, "queued", any_capacity)
    # 2. A returning contact goes back to their previous agent.
    if previous and (agent := available(previous)):
        fresh, why_not = await _claim_person(uow, conv, agent, rules, scene)
        if fresh is not None:
            why = _by_rule(candidates, fresh, "previous_agent", "returning_contact")
            await _assign(uow, conv, fresh, settings, rule="returning", decision=why, notify=notify)
            return Outcome(fresh.user_id, "returning", True)
        if why_not == "claimed_elsewhere":
            return await _wait_for_person(uow, conv, settings, opened, "returning", any_capacity)
    # 3. A contact with an owner goes to the owner.
    owner_id = contact.owner_id if contact else None
    if owner_id and settings.owner_rule != "off":
        agent = available(owner_id)
        fresh, why_not = (
            await _claim_person(uow, conv, agent, rules, scene) if agent else (None, "")
        )
        if fresh is not None:
            why = _by_rule(candidates, fresh, "contact_owner", "contact_has_owner")
            await _assign(uow, conv, fresh, settings, rule="owner", decision=why, notify=notify)
            return Outcome(fresh.user_id, "owner", True)
        if why_not == "claimed_elsewhere":
            return await _wait_for_person(uow, conv, settings, opened, "owner", any_capacity)
        if settings.owner_rule == "owner_only":
            await _queue(uow, conv, settings, opened, decision=None, rule="owner", notify=notify)
            return Outcome(None, "queued", any_capacity)
    # 4. The team's strategy among eligible agents; 5. nobody: it waits.
    language = contact.language if contact and settings.route_by_language else None
    return await _by_strategy(
        uow, conv, settings, opened, pool, rules, scene, notify=notify, language=language
    )


async def _claim_person(
    uow: UnitOfWork, conv: Conversation, agent: Candidate, rules: Eligibility, scene: Scene
) -> tuple[Candidate | None, str]:
    """Claim one person (a contact's previous agent or owner), followed whatever their team."""
    fresh, passed = await claim_first(
        uow.session, conv.workspace_id, [agent], rules, scene, clock=uow.now
    )
    return fresh, passed.get(agent.user_id, "")


async def _wait_for_person(  # noqa: PLR0917 - one decision's context
    uow: UnitOfWork,
    conv: Conversation,
    settings: RoutingSettings,
    opened: Opening,
    rule: str,
    any_capacity: bool,
) -> Outcome:
    """The contact's own agent (returning, or owner) is free but another decision holds their
    row this instant: no reason to hand the contact to the team. It waits, untold (the next
    drain decides within moments, when the row is free), and the team is drained again."""
    await _queue(uow, conv, settings, opened, decision=None, rule=rule, notify=False)
    ledger.request_team_drain(uow, conv.workspace_id, conv.team_id)
    return Outcome(None, "queued", any_capacity)


async def _by_strategy(  # noqa: PLR0917 - one decision's whole context
    uow: UnitOfWork,
    conv: Conversation,
    settings: RoutingSettings,
    opened: Opening,
    pool: list[Candidate],
    rules: Eligibility,
    scene: Scene,
    *,
    notify: bool,
    language: str | None = None,
) -> Outcome:
    """Claim the best eligible agent free to take it (others may be claiming some right now;
    speakers of `language` first); with nobody, queue the conversation, and look again soon if
    others held our candidates."""
    team = [c for c in pool if c.in_team]
    decision = decide(settings.strategy, team, rules, language)
    reasons = dict(decision.reasons)
    contended = False
    if decision.chosen is not None:  # None with the manual strategy or nobody eligible
        eligible = [c for c in team if skip_reason(c, rules) is None]
        ranked = rank(settings.strategy, eligible, language)
        fresh, passed = await claim_first(
            uow.session, conv.workspace_id, ranked, rules, scene, clock=uow.now
        )
        reasons.update(passed)
        contended = "claimed_elsewhere" in passed.values()
        if fresh is not None:
            reasons[fresh.user_id] = "chosen"
            final = replace(decision, chosen=fresh, reasons=reasons)
            await _assign(
                uow, conv, fresh, settings, rule="strategy", decision=final, notify=notify
            )
            return Outcome(fresh.user_id, "strategy", True)
    final = replace(decision, chosen=None, reasons=reasons)
    await _queue(uow, conv, settings, opened, decision=final, rule="queued", notify=notify)
    if contended:
        ledger.request_team_drain(uow, conv.workspace_id, conv.team_id)
    any_capacity = any(skip_reason(c, rules) is None for c in team) and not contended
    return Outcome(None, "queued", any_capacity)


def _by_rule(
    candidates: dict[uuid.UUID, Candidate], agent: Candidate, chosen: str, others: str
) -> Decision:
    """A rule picked `agent`: everyone else was passed over for that rule."""
    reasons = {uid: (chosen if uid == agent.user_id else others) for uid in candidates}
    ordered = tuple(sorted(candidates.values(), key=lambda c: str(c.user_id)))
    return Decision(chosen=agent, reasons=reasons, candidates=ordered)


async def _assign(
    uow: UnitOfWork,
    conv: Conversation,
    agent: Candidate,
    settings: RoutingSettings,
    *,
    rule: str,
    decision: Decision,
    notify: bool,
) -> None:
    session, now = uow.session, uow.now()
    previous_assignee, was_queued = conv.assignee_id, conv.queued_at is not None
    await ledger.end_current(session, conv, now, "reassigned")
    strategy = settings.strategy if rule == "strategy" else None
    row = ledger.record(
        session,
        conv,
        now,
        user_id=agent.user_id,
        source="rule",
        rule=rule,
        strategy=strategy,
        candidates=decision.explanation() if decision.candidates else [],
    )
    # The claim already set the agent's last assignment (their row is locked until commit).
    conv.assignee_id, conv.assigned_at = agent.user_id, now
    ledger.leave_queue(conv)
    await session.flush()
    await emit_conversation(
        uow,
        ConversationAssigned,
        conv,
        previous_assignee_id=previous_assignee,
        change={
            "assignee_id": str(agent.user_id),
            "previous_assignee_id": str(previous_assignee) if previous_assignee else None,
            "source": "rule",
            "rule": rule,
            "strategy": strategy,
            "assignment_id": str(row.id),
        },
    )
    if notify:
        await tell_assigned(uow, conv, agent.name, settings)
    if was_queued:
        await emit_queue(uow, conv.workspace_id, conv.team_id)


async def _queue(
    uow: UnitOfWork,
    conv: Conversation,
    settings: RoutingSettings,
    opened: Opening,
    *,
    decision: Decision | None,
    rule: str,
    notify: bool,
) -> None:
    """Put (or keep) the conversation in its team's queue, with why it waits, and tell the
    customer once. One that entered the queue waiting for routing keeps its place in it."""
    session, now = uow.session, uow.now()
    reason = _queue_reason(rule, settings)
    waiting_for_routing = conv.queue_reason == QueueReason.ROUTING
    if conv.queued_at is not None and conv.assignee_id is None and not waiting_for_routing:
        conv.queue_reason = reason
        return
    previous_assignee = conv.assignee_id
    await ledger.end_current(session, conv, now, "requeued")
    ledger.record(
        session,
        conv,
        now,
        user_id=None,
        source="rule",
        rule=rule,
        strategy=settings.strategy,
        candidates=decision.explanation() if decision else [],
    )
    conv.assignee_id, conv.assigned_at = None, None
    conv.queued_at, conv.queue_reason = conv.queued_at or now, reason
    await session.flush()
    snapshot = await queue_snapshot(session, conv.workspace_id, conv.team_id, now)
    position = snapshot.position(conv.id)
    await emit_conversation(
        uow,
        ConversationQueued,
        conv,
        previous_assignee_id=previous_assignee,
        change={"team_id": str(conv.team_id), "position": position, "reason": rule},
    )
    await emit_queue(uow, conv.workspace_id, conv.team_id, snapshot)
    if notify:
        await tell_waiting(uow, conv, settings=settings, opened=opened, snapshot=snapshot)


def _queue_reason(rule: str, settings: RoutingSettings) -> str:
    """The queue reason of a routing outcome that left the conversation waiting."""
    if rule in (QueueReason.CLOSED, QueueReason.OWNER, QueueReason.RETURNING):
        return rule
    return QueueReason.MANUAL if settings.strategy == Strategy.MANUAL else QueueReason.NO_AGENT


async def tell_waiting(
    uow: UnitOfWork,
    conv: Conversation,
    *,
    settings: RoutingSettings,
    opened: Opening,
    snapshot: QueueSnapshot,
) -> bool:
    """The right automatic message for a waiting customer (closed, nobody, or queue position);
    True if one was sent. Each is sent once, the queue position again when the wait grew a lot."""
    messages = settings.messages
    if not opened.open_now:
        if not messages.outside_hours.enabled or conv.queue_notice_seconds is not None:
            return False
        conv.queue_notice_seconds = 0.0
        values = NoticeValues(next_opening=opened.next_opening, time_zone=opened.time_zone)
        return await send_notice(uow, conv, "outside_hours", settings, values)
    position = snapshot.position(conv.id)
    wait = snapshot.estimate(position)
    if wait is None:
        if not messages.no_agent.enabled or conv.queue_notice_seconds is not None:
            return False
        conv.queue_notice_seconds = -1.0
        return await send_notice(uow, conv, "no_agent", settings, NoticeValues())
    told = conv.queue_notice_seconds
    first = told is None or told <= 0
    if not messages.queued.enabled or not (first or estimator.grew_a_lot(told, wait)):
        return False
    conv.queue_notice_seconds = max(wait, 1.0)
    values = NoticeValues(queue_position=position, estimated_wait_seconds=wait)
    return await send_notice(uow, conv, "queued", settings, values)


@dataclass(frozen=True)
class QueueSnapshot:
    """A team's queue in order, with what the estimate needs."""

    conversation_ids: tuple[uuid.UUID, ...]
    queued_at: tuple[datetime, ...]
    free_slots: int
    total_slots: int
    online_agents: int
    handle_seconds: float

    def position(self, conversation_id: uuid.UUID) -> int:
        try:
            return self.conversation_ids.index(conversation_id) + 1
        except ValueError:
            return 0

    def estimate(self, position: int) -> float | None:
        return estimator.estimate_wait_seconds(
            position, self.free_slots, self.total_slots, self.handle_seconds
        )


def queue_order() -> tuple[object, ...]:
    return (Conversation.priority.desc(), Conversation.queued_at, Conversation.id)


async def queued_ids(
    session: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID
) -> list[tuple[uuid.UUID, datetime]]:
    rows = await session.execute(
        select(Conversation.id, Conversation.queued_at)
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.team_id == team_id,
            Conversation.assignee_id.is_(None),
            Conversation.queued_at.is_not(None),
            Conversation.status.in_(HOLDING),
        )
        .order_by(*queue_order())  # type: ignore[arg-type]
    )
    return [(cid, at) for cid, at in rows if at is not None]


async def recent_handle_seconds(
    session: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID, now: datetime
) -> list[float]:
    rows = await session.execute(
        select(Assignment.decided_at, Assignment.ended_at)
        .where(
            Assignment.workspace_id == workspace_id,
            Assignment.team_id == team_id,
            Assignment.end_reason == "closed",
            Assignment.ended_at >= now - timedelta(days=7),
        )
        .order_by(Assignment.ended_at.desc())
        .limit(HANDLE_SAMPLE)
    )
    return [(end - start).total_seconds() for start, end in rows if end is not None]


async def queue_snapshot(
    session: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID | None, now: datetime
) -> QueueSnapshot:
    if team_id is None:
        return QueueSnapshot((), (), 0, 0, 0, estimator.DEFAULT_HANDLE_SECONDS)
    queued = await queued_ids(session, workspace_id, team_id)
    team = await team_snapshot(session, workspace_id, team_id)
    settings, default_capacity = team.settings, team.default_capacity
    takers = [uid for uid, who in team.members.items() if who.can_take]
    rows = (await live(session, workspace_id, takers, "")).values() if takers else []
    online = [(status, held) for status, held, _ in rows if status.state == AgentState.ONLINE]
    total = sum(status.capacity or default_capacity for status, _ in online)
    free = sum(max(0, (status.capacity or default_capacity) - held) for status, held in online)
    handle = estimator.mean_handle_seconds(
        await recent_handle_seconds(session, workspace_id, team_id, now),
        default=max(settings.expected_reply_minutes * 60 * 2, estimator.DEFAULT_HANDLE_SECONDS),
    )
    return QueueSnapshot(
        conversation_ids=tuple(cid for cid, _ in queued),
        queued_at=tuple(at for _, at in queued),
        free_slots=free,
        total_slots=total,
        online_agents=len(online),
        handle_seconds=handle,
    )


async def emit_queue(
    uow: UnitOfWork,
    workspace_id: uuid.UUID,
    team_id: uuid.UUID | None,
    snapshot: QueueSnapshot | None = None,
) -> None:
    if team_id is None:
        return
    snap = snapshot or await queue_snapshot(uow.session, workspace_id, team_id, uow.now())
    uow.emit(
        QueueUpdated(
            workspace_id=workspace_id,
            audience=(supervisors_key(workspace_id), team_key(team_id)),
            data={
                "team_id": str(team_id),
                "length": len(snap.conversation_ids),
                "oldest_queued_at": min(snap.queued_at).isoformat() if snap.queued_at else None,
                "free_slots": snap.free_slots,
                "online_agents": snap.online_agents,
            },
        )
    )


async def route_by_id(
    uow: UnitOfWork, workspace_id: uuid.UUID, conversation_id: uuid.UUID
) -> Outcome | None:
    conv = await lock_conversation(uow.session, workspace_id, conversation_id)
    if conv is None:
        return None
    return await route(uow, conv)


async def drain(uow: UnitOfWork, workspace_id: uuid.UUID, team_id: uuid.UUID) -> int:
    """Hand queued conversations, in queue order, to agents with room; returns how many."""
    session = uow.session
    team = await team_snapshot(session, workspace_id, team_id)
    settings = team.settings
    if settings.strategy == Strategy.MANUAL:
        await ledger.restate_queue_reason(
            session, workspace_id, team_id, QueueReason.MANUAL, replacing=_UNDRAINED
        )
        return 0
    if not team.opening(uow.now()).open_now:
        await ledger.restate_queue_reason(
            session, workspace_id, team_id, QueueReason.CLOSED, replacing=_UNDRAINED
        )
        return 0
    assigned = 0
    for conversation_id, _ in await queued_ids(session, workspace_id, team_id):
        conv = await lock_conversation(session, workspace_id, conversation_id)
        if conv is None or conv.assignee_id is not None or conv.queued_at is None:
            continue
        outcome = await route(uow, conv)
        if outcome.assigned_to is not None:
            assigned += 1
        elif not outcome.any_capacity:
            break
    # Open and routing by rule: whoever is still waiting, waits for someone to be free.
    await ledger.restate_queue_reason(
        session, workspace_id, team_id, QueueReason.NO_AGENT, replacing=_UNDRAINED
    )
    return assigned


# The reasons a team's own state gives (as opposed to routing not having run yet, or waiting
# for one person): restated by each drain.
_UNDRAINED = (QueueReason.NO_AGENT, QueueReason.MANUAL, QueueReason.CLOSED)


async def teams_of(
    session: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID
) -> list[uuid.UUID]:
    return list(
        await session.scalars(
            select(TeamMember.team_id).where(
                TeamMember.workspace_id == workspace_id, TeamMember.user_id == user_id
            )
        )
    )
