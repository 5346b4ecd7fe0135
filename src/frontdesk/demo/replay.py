"""The demo's conversations, played through the product's own actions.

Each conversation is a story (an async generator) that yields the moment of its next step;
the `Replay` runs every story's steps in time order, moving the demo's clock to each moment,
so the rows, the event log and the jobs are exactly what real use would have written then:

- a candidate's message goes through `record_inbound_message`, the inbound action every
  channel calls, which opens the conversation in the channel's team and asks routing (a job);
- the job runner runs the jobs that are due after every step, so routing decides (round
  robin among the team's online agents) or queues the conversation and tells the candidate;
- the assigned agent answers with `send_message`, writes notes with `add_note`, and ends the
  conversation as its plan says: `close_conversation` with an outcome, `set_conversation_status`
  pending, `snooze_conversation`, or open with the candidate's turn.

The WhatsApp numbers are placeholders with no provider behind them, so while its history is
played the demo is their provider: its job runner's delivery handler records each send on a
placeholder number as the real job records an accepted one (`record_delivery`, sent, with a
`wamid.DEMO…` id) and, through `record_receipt` as a status webhook would, a delivered report
and for most a read report dated some minutes later. Nothing is sent anywhere. Once loaded,
the demo plays no provider: a reply written in the app to a placeholder number goes to the
real delivery job, which fails it and shows the agent why (no access token).

Queues drain as the routing sweep drains them, on the hours the teams open.
"""

from __future__ import annotations

import heapq
import itertools
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.actions import (
    close_conversation,
    set_conversation_status,
    snooze_conversation,
    update_conversation,
)
from frontdesk.core.conversations.delivery import record_delivery
from frontdesk.core.conversations.inbound import Inbound, record_inbound_message
from frontdesk.core.conversations.messages import DELIVER_JOB, add_note, send_message
from frontdesk.core.conversations.models import (
    PRIORITIES as PRIORITY_NAMES,
)
from frontdesk.core.conversations.models import (
    Conversation,
    DeliveryStatus,
    Message,
)
from frontdesk.core.conversations.receipts import record_receipt
from frontdesk.core.conversations.schemas import ConversationUpdate, MessageCreate, NoteCreate
from frontdesk.core.conversations.window import WindowClosed
from frontdesk.core.conversations.work import record_work
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.routing import engine
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Role
from frontdesk.db.uow import UnitOfWork
from frontdesk.demo import arrivals, spec
from frontdesk.demo.contacts import DemoContact, first_name
from frontdesk.demo.names import position_in
from frontdesk.demo.scripts import NOTES, OUTCOME_NOTES, SCRIPTS, Script
from frontdesk.demo.spec import chance, pick
from frontdesk.demo.workspace import DemoWorkspace
from frontdesk.jobs.delivery import deliver_message
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner

DAY = 86_400.0
HOUR = 3_600.0
# How conversations stand at the moment the demo is loaded, by weight.
STATES = (("closed", 55), ("assigned", 18), ("waiting", 12), ("pending", 9), ("snoozed", 6))
# When each kind of conversation started, in seconds before now: (most recent, oldest).
WINDOWS = {
    "closed": (2 * HOUR, 14 * DAY),
    "assigned": (600.0, 2 * DAY),
    "waiting": (120.0, 5 * HOUR),
    "pending": (HOUR, 4 * DAY),
    "snoozed": (HOUR, 4 * DAY),
}
ROUTED_AFTER = timedelta(seconds=2)  # the routing job has run by then
READ_SHARE = 0.85  # of the messages the candidates read
OPENING_HOURS = range(6, 14)  # local hours at which the demo's teams open (spec.*_HOURS)


def work_seconds(body: str) -> float:
    """Reading the candidate and writing `body`: 15 s and about three characters a second."""
    return min(15.0 + len(body) / 3.0, 300.0)


@dataclass
class Plan:
    workspace: DemoWorkspace
    contact: DemoContact
    state: str
    opened_at: datetime
    rng: random.Random
    outcome: str | None = None
    priority: int = 1
    brief: bool = False  # older history: fewer messages (greeting, maybe one exchange, ending)
    key: str = ""  # names the plan in its replies' client message ids


def plan_conversations(
    dw: DemoWorkspace, contacts: list[DemoContact], rng: random.Random, now: datetime
) -> list[Plan]:
    """One conversation per candidate; some came back, after their first one was closed."""
    order = contacts[:]
    rng.shuffle(order)
    returning = max(0, dw.spec.conversations - len(order))
    plans: list[Plan] = []

    def ago(low: float, high: float) -> datetime:
        return now - timedelta(seconds=rng.uniform(low, high))

    for i, contact in enumerate(order):
        state = pick(rng, STATES)
        latest = 7 * DAY if i < returning else WINDOWS[state][1]
        if i < returning:
            plans.append(Plan(dw, contact, "closed", ago(8 * DAY, 14 * DAY), random.Random()))
        plans.append(
            Plan(
                dw,
                contact,
                state,
                ago(WINDOWS[state][0], min(latest, WINDOWS[state][1])),
                random.Random(),
            )
        )
    plans.sort(key=lambda p: p.opened_at)
    for n, plan in enumerate(plans):
        plan.rng.seed(f"{dw.spec.seed}-{n}")
        plan.key = str(n)
        plan.outcome = pick(plan.rng, spec.OUTCOME_WEIGHTS) if plan.state == "closed" else None
        plan.priority = plan.rng.choices((0, 1, 2, 3), (10, 70, 15, 5))[0]
    return plans


def plan_history(
    dw: DemoWorkspace,
    contacts: list[DemoContact],
    *,
    first: datetime,
    last: datetime,
    per_day: float,
    now: datetime,
) -> list[Plan]:
    """Older history, from `first` to `last`: closed conversations, about `per_day` a day in
    the arrivals' shape, each with fewer messages than the recent ones (`Plan.brief`)."""
    if per_day <= 0 or first >= last or not contacts:
        return []
    zone = ZoneInfo(dw.spec.timezone)
    rng = random.Random(dw.spec.seed + 2)
    order = contacts[:]
    rng.shuffle(order)
    plans: list[Plan] = []
    for day, count in arrivals.daily_counts(rng, zone, first, last, per_day):
        for _ in range(count):
            low, high = max(day, first), min(day + timedelta(days=1), last)
            if low >= high:
                continue
            opened = arrivals.draw(rng, zone, low, high, start=first, end=now)
            contact = order[len(plans) % len(order)]
            plans.append(Plan(dw, contact, "closed", opened, random.Random(), brief=True))
    plans.sort(key=lambda p: p.opened_at)
    for n, plan in enumerate(plans):
        plan.rng.seed(f"{dw.spec.seed}-h{n}")
        plan.key = f"h{n}"
        plan.outcome = pick(plan.rng, spec.OUTCOME_WEIGHTS)
        plan.priority = plan.rng.choices((0, 1, 2, 3), (10, 70, 15, 5))[0]
    return plans


@dataclass
class Turn:
    offset: float  # seconds after the agent took the conversation
    kind: str  # inbound | reply | note
    body: str


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    story: AsyncIterator[datetime] = field(compare=False)


class Replay:
    """Runs the stories in time order on the demo's clock, with the job runner between steps."""

    def __init__(self, runtime: Runtime, clock: FrozenClock, now: datetime) -> None:
        self.runtime = runtime
        self.clock = clock
        self.now = now
        registry = build_registry()
        registry.register(DELIVER_JOB)(self.deliver)
        self.runner = JobRunner(runtime, registry, worker_id="demo")
        self.ids = itertools.count(1)  # numbers the placeholder WhatsApp message ids
        self.steps: list[_Step] = []
        self.seq = itertools.count()
        self.placeholders: set[uuid.UUID] = set()

    def add(self, story: AsyncIterator[datetime], first: datetime) -> None:
        heapq.heappush(self.steps, _Step(first, next(self.seq), story))

    async def run(self) -> None:
        while self.steps:
            step = heapq.heappop(self.steps)
            await self.at(step.at)
            try:
                following = await anext(step.story)
            except StopAsyncIteration:
                following = None
            await self.run_due_jobs()  # what the step asked for, at once, as workers would
            if following is not None:
                heapq.heappush(
                    self.steps, _Step(max(following, step.at), next(self.seq), step.story)
                )
        await self.at(self.now)
        await self.run_due_jobs()

    async def run_due_jobs(self) -> None:
        while await self.runner.run_once():
            pass

    async def at(self, moment: datetime) -> None:
        """Move the clock to `moment` (never back)."""
        self.clock.set(max(moment, self.clock.now()))

    async def deliver(self, runtime: Runtime, payload: dict[str, Any]) -> None:
        """The delivery job, with the demo playing the provider of its placeholder numbers:
        the send is accepted (sent, with a provider id) and delivered at once, and most are
        reported read some minutes later. Messages on other channels go to the real job."""
        message_id = uuid.UUID(payload["message_id"])
        async with runtime.uow() as uow:
            message = await uow.session.get(Message, message_id)
            if message is None or message.channel_id not in self.placeholders:
                await uow.rollback()
                await deliver_message(runtime, payload)
                return
            channel = await uow.session.get_one(Channel, message.channel_id)
            provider_id = f"wamid.DEMO{next(self.ids):012d}"
            await record_delivery(
                uow, message_id, DeliveryStatus.SENT, provider_message_id=provider_id
            )
            now = self.clock.now()
            await record_receipt(uow, channel, provider_id, "delivered", occurred_at=now)
            chance_of = random.Random(provider_id)
            read_at = now + timedelta(seconds=chance_of.uniform(20, 1800))
            if read_at < self.now and chance_of.random() < READ_SHARE:
                await record_receipt(uow, channel, provider_id, "read", occurred_at=read_at)
            await uow.commit()


def _next_drain(moment: datetime, zone: ZoneInfo) -> datetime:
    """The next hour on the hour at which the demo's queues are drained."""
    moment = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while moment.astimezone(zone).hour not in OPENING_HOURS:
        moment += timedelta(hours=1)
    return moment


async def hourly_drains(
    runtime: Runtime, dw: DemoWorkspace, start: datetime, now: datetime
) -> AsyncIterator[datetime]:
    """The routing sweep's draining (the app sweeps every 30 seconds), on the hours the demo's
    teams open: conversations that came in while closed are assigned at the opening."""
    zone = ZoneInfo(dw.spec.timezone)
    teams = list(dict.fromkeys(ch.team.id for ch in dw.channels))
    moment = _next_drain(start, zone)
    while moment < now:
        yield moment
        async with runtime.database.read_session() as db:
            queued = await db.scalar(
                select(Conversation.id)
                .where(
                    Conversation.workspace_id == dw.row.id,
                    Conversation.queued_at.is_not(None),
                    Conversation.assignee_id.is_(None),
                )
                .limit(1)
            )
        if queued is None:  # nothing waits: the sweep would find nothing to do
            moment = _next_drain(moment, zone)
            continue
        async with runtime.uow() as uow:
            for team_id in teams:
                await engine.drain(uow, dw.row.id, team_id)
            await uow.commit()
        moment = _next_drain(moment, zone)


class Lines:
    """What the candidate and the agent say in one conversation, each line used once."""

    def __init__(self, plan: Plan) -> None:
        contact = plan.contact
        self.rng = plan.rng
        self.script: Script = SCRIPTS[contact.language]
        self.words = {
            "first": contact.first,
            "agent": "",
            "position": position_in(contact.position, contact.language),
            "client": contact.channel.client.team,
            "manager": first_name(plan.workspace.supervisor.name),
        }
        self.decks: dict[tuple[str, ...], list[str]] = {}

    def say(self, options: tuple[str, ...]) -> str:
        """A line not yet used in this conversation, while there are any."""
        if not self.decks.get(options):
            self.decks[options] = self.rng.sample(options, len(options))
        return self.decks[options].pop().format(**self.words)


# The share of candidates who answer the survey sent on a close, and how they rate (5 to 1).
CSAT_ANSWER_SHARE = 0.45
CSAT_WEIGHTS = (46, 30, 11, 7, 6)


class Stories:
    """The steps of each demo conversation, taken through the product's actions."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        self.runtime = replay.runtime
        self.now = replay.now

    def actor(self, dw: DemoWorkspace, user: User) -> Actor:
        role = Role.OWNER if user.id == dw.owner.id else Role.AGENT
        if user.id == dw.supervisor.id and user.id != dw.owner.id:
            role = Role.MANAGER
        return Actor(workspace_id=dw.row.id, role=role, user_id=user.id)

    async def _conversation(self, uow: UnitOfWork, conversation_id: uuid.UUID) -> Conversation:
        return await uow.session.get_one(Conversation, conversation_id, populate_existing=True)

    async def inbound(self, plan: Plan, body: str) -> uuid.UUID:
        contact = plan.contact
        async with self.runtime.uow() as uow:
            recorded = await record_inbound_message(
                uow,
                Inbound(
                    channel=contact.channel.row,
                    contact_id=contact.row.id,
                    provider_message_id=f"wamid.DEMOIN{next(self.replay.ids):012d}",
                    body=body,
                    attachments=[],
                ),
            )
            await uow.commit()
        return recorded.conversation.id

    async def story(self, plan: Plan) -> AsyncIterator[datetime]:
        """The candidate writes; routing decides; the agent works it, or the candidate waits."""
        lines = Lines(plan)
        conversation_id = await self.inbound(plan, lines.say(lines.script.openers))
        if plan.priority != 1:
            await self._prioritise(plan, conversation_id)
        start = plan.opened_at + ROUTED_AFTER
        yield start
        agent = await self._assignee(plan.workspace, conversation_id)
        while agent is None and plan.state != "waiting":
            # Outside business hours: the queue is drained when the team opens.
            start = _next_drain(start, ZoneInfo(plan.workspace.spec.timezone)) + ROUTED_AFTER
            if start >= self.now - timedelta(minutes=30):
                break
            yield start
            agent = await self._assignee(plan.workspace, conversation_id)
        if agent is None:  # nobody could take it: the candidate insists now and then
            at = start
            for _ in range(plan.rng.randint(0, 2)):
                at += timedelta(seconds=plan.rng.uniform(300, HOUR))
                if at >= self.now:
                    return
                yield at
                await self.inbound(plan, lines.say(lines.script.nudges))
            return
        async for moment in self._worked(plan, lines, conversation_id, agent, start):
            yield moment

    async def _prioritise(self, plan: Plan, conversation_id: uuid.UUID) -> None:
        """A supervisor sets the priority the plan gives it."""
        dw = plan.workspace
        async with self.runtime.uow() as uow:
            conv = await self._conversation(uow, conversation_id)
            change = ConversationUpdate.model_validate({"priority": PRIORITY_NAMES[plan.priority]})
            await update_conversation(uow, self.actor(dw, dw.supervisor), conv, change)
            await uow.commit()

    async def _worked(
        self,
        plan: Plan,
        lines: Lines,
        conversation_id: uuid.UUID,
        agent: User,
        start: datetime,
    ) -> AsyncIterator[datetime]:
        """The agent routing chose answers, notes, and ends it as planned."""
        dw = plan.workspace
        lines.words["agent"] = first_name(agent.name)
        turns = self._turns(plan, lines)
        room = (self.now - start).total_seconds() - 120.0
        squeeze = min(1.0, room / turns[-1].offset) if turns[-1].offset > 0 else 1.0
        actor = self.actor(dw, agent)
        for n, turn in enumerate(turns):
            yield start + timedelta(seconds=turn.offset * squeeze)
            if turn.kind == "inbound":
                await self.inbound(plan, turn.body)
                continue
            async with self.runtime.uow() as uow:
                conv = await self._conversation(uow, conversation_id)
                if conv.assignee_id != agent.id or conv.status == "closed":
                    return  # routing moved it on: this agent's part is over
                if turn.kind in ("note", "reply"):
                    # The time the recruiter spent reading and writing it, as the app records
                    # active work: the conversations' handle time.
                    await record_work(uow, actor, conv, work_seconds(turn.body))
                if turn.kind == "note":
                    note = NoteCreate(body=turn.body, mention_user_ids=[dw.supervisor.id])
                    await add_note(uow, actor, conv, note)
                elif turn.kind == "reply":
                    # Unique within the conversation: a candidate writing again soon after a
                    # close reopens it, and this agent's second run answers in it too.
                    # Two stories can share a conversation and a start (queued, then drained
                    # together): the plan's key tells their replies apart.
                    key = f"demo-{plan.key}-{start.timestamp():.0f}-{n}"
                    reply = MessageCreate(body=turn.body, client_message_id=key)
                    try:
                        await send_message(uow, actor, conv, reply)
                    except WindowClosed:
                        continue  # over 24 h since the candidate wrote: only templates go
                else:
                    await self._end(uow, actor, conv, plan, turn)
                await uow.commit()
        if turns[-1].kind == "closed":
            async for moment in self._rate(plan, conversation_id):
                yield moment

    async def _rate(self, plan: Plan, conversation_id: uuid.UUID) -> AsyncIterator[datetime]:
        """Some candidates answer the satisfaction survey the close sent, minutes later, with a
        message that is just the number (as they would type it on a placeholder number)."""
        rng = random.Random(f"csat:{plan.contact.first}:{plan.opened_at.isoformat()}")
        if not chance(rng, CSAT_ANSWER_SHARE):
            return
        async with self.runtime.database.read_session() as db:
            waiting = await db.scalar(
                select(CsatResponse.id).where(
                    CsatResponse.conversation_id == conversation_id,
                    CsatResponse.answered_at.is_(None),
                )
            )
        at = self.replay.clock.now() + timedelta(seconds=rng.uniform(60, 1800))
        if waiting is None or at >= self.now:
            return
        yield at
        rating = rng.choices((5, 4, 3, 2, 1), weights=CSAT_WEIGHTS)[0]
        await self.inbound(plan, str(rating))

    async def _assignee(self, dw: DemoWorkspace, conversation_id: uuid.UUID) -> User | None:
        async with self.runtime.uow() as uow:
            assignee_id = (await self._conversation(uow, conversation_id)).assignee_id
        return next((a for a in dw.agents if a.id == assignee_id), None)

    def _turns(self, plan: Plan, lines: Lines) -> list[Turn]:
        rng, script, say = plan.rng, lines.script, lines.say
        # First response: median ~25 minutes.
        at = min(max(rng.lognormvariate(7.3, 1.0), 40.0), 2.5 * HOUR)
        turns = [Turn(at, "reply", say(script.greetings))]
        if plan.brief:
            return self._brief_turns(plan, lines, turns)
        if chance(rng, 0.12):
            at += rng.uniform(30, 300)
            turns.append(Turn(at, "note", say(NOTES)))
        for i in range(rng.randint(0, 7)):
            if i % 2 == 0:
                at += rng.uniform(60, HOUR)
                turns.append(Turn(at, "inbound", say(script.candidate_lines)))
            else:
                at += rng.uniform(30, 1200)
                turns.append(Turn(at, "reply", say(script.agent_lines)))
        ending = {
            "closed": script.outcomes[plan.outcome].format(**lines.words) if plan.outcome else "",
            "pending": say(script.pending_asks),
            "snoozed": say(script.snooze_lines),
        }.get(plan.state)
        if ending:
            at += rng.uniform(120, 6 * HOUR)
            turns.append(Turn(at, "reply", ending))
            at += rng.uniform(30, 600)
            turns.append(Turn(at, plan.state, ""))
        elif chance(rng, 0.6) and turns[-1].kind != "inbound":
            at += rng.uniform(60, HOUR)  # open, and the candidate's turn has come back
            turns.append(Turn(at, "inbound", say(script.candidate_lines)))
        return turns

    def _brief_turns(self, plan: Plan, lines: Lines, turns: list[Turn]) -> list[Turn]:
        """An older conversation: the greeting, maybe one exchange, the close with its outcome."""
        rng, script, say = plan.rng, lines.script, lines.say
        at = turns[-1].offset
        if chance(rng, 0.3):
            at += rng.uniform(60, HOUR)
            turns.append(Turn(at, "inbound", say(script.candidate_lines)))
            at += rng.uniform(30, 1200)
            turns.append(Turn(at, "reply", say(script.agent_lines)))
        at += rng.uniform(600, 4 * HOUR)
        turns.append(Turn(at, "closed", ""))
        return turns

    async def _end(
        self, uow: UnitOfWork, actor: Actor, conv: Conversation, plan: Plan, turn: Turn
    ) -> None:
        rng = plan.rng
        if turn.kind == "closed":
            note = OUTCOME_NOTES.get(plan.outcome or "") if chance(rng, 0.5) else None
            await close_conversation(uow, actor, conv, plan.outcome, note)
        elif turn.kind == "pending":
            await set_conversation_status(uow, actor, conv, "pending")
        elif turn.kind == "snoozed":
            until = self.now + timedelta(seconds=rng.uniform(HOUR, 2 * DAY))
            await snooze_conversation(uow, actor, conv, until)
