"""Two weeks of demo conversations, with timestamps that agree with their messages.

Each conversation follows a recruitment script: the candidate writes to a client's number, an
agent of the client's team answers, and it ends according to its state: closed with an outcome,
pending on the candidate, snoozed, open with the candidate waiting, or waiting for an agent.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from frontdesk.core.accounts.models import User
from frontdesk.core.conversations.models import (
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
    MessageKind,
    SenderType,
)
from frontdesk.core.tags.models import ConversationTag
from frontdesk.db.base import Base
from frontdesk.db.ids import new_id
from frontdesk.demo import spec
from frontdesk.demo.contacts import DemoContact, first_name
from frontdesk.demo.names import position_in
from frontdesk.demo.scripts import NOTES, OUTCOME_NOTES, SCRIPTS
from frontdesk.demo.spec import chance, pick
from frontdesk.demo.workspace import DemoWorkspace

DAY = 86_400.0
HOUR = 3_600.0
URGENT = 3  # the highest priority
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


@dataclass
class Turn:
    offset: float  # seconds after the conversation opened
    direction: str
    sender_type: str
    body: str
    user: User | None = None
    kind: str = MessageKind.TEXT
    mentions: list[str] = field(default_factory=list)


@dataclass
class Plan:
    contact: DemoContact
    state: str
    opened_at: datetime


class ConversationBuilder:
    """Builds the conversation, message and tag rows of one workspace."""

    def __init__(
        self, dw: DemoWorkspace, rng: random.Random, now: datetime, ids: itertools.count[int]
    ) -> None:
        self.dw = dw
        self.rng = rng
        self.now = now
        self.ids = ids
        self.rows: list[Base] = []

    def build(self, contacts: list[DemoContact]) -> list[Base]:
        for plan in self._plans(contacts):
            self._conversation(plan)
        return self.rows

    def _plans(self, contacts: list[DemoContact]) -> list[Plan]:
        """One conversation per candidate; some came back, after their first one was closed."""
        rng = self.rng
        order = contacts[:]
        rng.shuffle(order)
        returning = max(0, self.dw.spec.conversations - len(order))
        plans: list[Plan] = []
        for i, contact in enumerate(order):
            state = pick(rng, STATES)
            latest = 7 * DAY if i < returning else WINDOWS[state][1]
            if i < returning:
                plans.append(Plan(contact, "closed", self._ago(8 * DAY, 14 * DAY)))
            plans.append(
                Plan(contact, state, self._ago(WINDOWS[state][0], min(latest, WINDOWS[state][1])))
            )
        return sorted(plans, key=lambda p: p.opened_at)

    def _ago(self, low: float, high: float) -> datetime:
        return self.now - timedelta(seconds=self.rng.uniform(low, high))

    def _conversation(self, plan: Plan) -> None:
        rng, dw, contact = self.rng, self.dw, plan.contact
        channel = contact.channel
        assignee = None if plan.state == "waiting" else rng.choice(channel.agents)
        outcome = pick(rng, spec.OUTCOME_WEIGHTS) if plan.state == "closed" else None
        turns = self._turns(plan, assignee, outcome)
        closing = rng.uniform(30, 600) if outcome else 0.0
        self._fit(plan, turns, closing)
        conv = Conversation(
            id=new_id(),
            workspace_id=dw.row.id,
            channel_id=channel.row.id,
            contact_id=contact.row.id,
            status=ConversationStatus.OPEN,
            assignee_id=assignee.id if assignee else None,
            team_id=channel.team.id,
            priority=rng.choices((0, 1, 2, 3), (10, 70, 15, 5))[0],
            subject=None,
            opened_at=plan.opened_at,
            version=1,
            created_at=plan.opened_at,
        )
        messages = [
            self._message(conv, plan.opened_at + timedelta(seconds=t.offset), t) for t in turns
        ]
        self._summarise(conv, messages)
        self._set_state(conv, plan.state, assignee, outcome, closing)
        self.rows.append(conv)
        self.rows += messages
        self.rows += self._tags(conv, contact, outcome)
        contact.row.created_at = min(contact.row.created_at, conv.opened_at)
        contact.row.updated_at = max(contact.row.created_at, conv.last_activity_at)
        if outcome:
            contact.outcomes.append(outcome)
        if assignee:
            contact.handled_by.append(assignee)

    def _turns(self, plan: Plan, agent: User | None, outcome: str | None) -> list[Turn]:
        rng, contact = self.rng, plan.contact
        script = SCRIPTS[contact.language]
        words = {
            "first": contact.first,
            "agent": first_name(agent.name) if agent else "",
            "position": position_in(contact.position, contact.language),
            "client": contact.channel.client.team,
            "manager": first_name(self.dw.supervisor.name),
        }

        decks: dict[tuple[str, ...], list[str]] = {}

        def say(options: tuple[str, ...]) -> str:
            """A line not yet used in this conversation, while there are any."""
            if not decks.get(options):
                decks[options] = rng.sample(options, len(options))
            return decks[options].pop().format(**words)

        turns = [Turn(0.0, Direction.INBOUND, SenderType.CONTACT, say(script.openers))]
        if agent is None:  # nobody free yet: the automatic reply, and the candidate insists
            at = rng.uniform(3, 20)
            turns.append(Turn(at, Direction.OUTBOUND, SenderType.BOT, script.bot_reply))
            for _ in range(rng.randint(0, 2)):
                at += rng.uniform(300, HOUR)
                turns.append(Turn(at, Direction.INBOUND, SenderType.CONTACT, say(script.nudges)))
            return turns
        at = min(
            max(rng.lognormvariate(7.3, 1.0), 40.0), 2.5 * HOUR
        )  # first response, median ~25 min
        turns.append(Turn(at, Direction.OUTBOUND, SenderType.AGENT, say(script.greetings), agent))
        if chance(rng, 0.12):
            note = Turn(
                at + rng.uniform(30, 300),
                Direction.OUTBOUND,
                SenderType.AGENT,
                say(NOTES),
                agent,
                MessageKind.NOTE,
            )
            note.mentions = [str(self.dw.supervisor.id)]
            turns.append(note)
            at = note.offset
        for i in range(rng.randint(0, 7)):
            if i % 2 == 0:
                at += rng.uniform(60, HOUR)
                turns.append(
                    Turn(at, Direction.INBOUND, SenderType.CONTACT, say(script.candidate_lines))
                )
            else:
                at += rng.uniform(30, 1200)
                turns.append(
                    Turn(at, Direction.OUTBOUND, SenderType.AGENT, say(script.agent_lines), agent)
                )
        ending = {
            "closed": script.outcomes[outcome].format(**words) if outcome else "",
            "pending": say(script.pending_asks),
            "snoozed": say(script.snooze_lines),
        }.get(plan.state)
        if ending:
            at += rng.uniform(120, 6 * HOUR)
            turns.append(Turn(at, Direction.OUTBOUND, SenderType.AGENT, ending, agent))
        elif chance(rng, 0.6) and turns[-1].direction != Direction.INBOUND:
            at += rng.uniform(60, HOUR)  # open, and the candidate's turn has come back
            turns.append(
                Turn(at, Direction.INBOUND, SenderType.CONTACT, say(script.candidate_lines))
            )
        return turns

    def _fit(self, plan: Plan, turns: list[Turn], closing: float) -> None:
        """Squeeze the script into the time between the opening and now."""
        room = (self.now - plan.opened_at).total_seconds() - 60.0
        span = turns[-1].offset + closing
        if span > room:
            factor = room / span
            for t in turns:
                t.offset *= factor

    def _message(self, conv: Conversation, at: datetime, turn: Turn) -> Message:
        is_note = turn.kind == MessageKind.NOTE
        if is_note:
            status = None
        elif turn.direction == Direction.INBOUND:
            status = DeliveryStatus.RECEIVED
        else:
            old = self.now - at > timedelta(minutes=30)
            status = (
                DeliveryStatus.READ if old and chance(self.rng, 0.85) else DeliveryStatus.DELIVERED
            )
        return Message(
            id=new_id(),
            workspace_id=conv.workspace_id,
            conversation_id=conv.id,
            channel_id=conv.channel_id,
            direction=turn.direction,
            sender_type=turn.sender_type,
            sender_user_id=turn.user.id if turn.user else None,
            kind=turn.kind,
            body=turn.body,
            attachments=[],
            mentions=turn.mentions,
            client_message_id=None,
            provider_message_id=None if is_note else f"wamid.DEMO{next(self.ids):012d}",
            status=status,
            error=None,
            version=1,
            created_at=at,
            updated_at=at,
        )

    def _summarise(self, conv: Conversation, messages: list[Message]) -> None:
        """The inbox columns that mirror the messages: preview, activity, first response, wait."""
        visible = [m for m in messages if m.kind != MessageKind.NOTE]
        inbound = [m.created_at for m in visible if m.direction == Direction.INBOUND]
        replies = [m.created_at for m in visible if m.sender_type == SenderType.AGENT]
        said = [m for m in visible if m.sender_type in (SenderType.CONTACT, SenderType.AGENT)]
        if said:
            conv.last_message_preview, conv.last_message_at = (
                said[-1].body[:200],
                said[-1].created_at,
            )
        conv.last_activity_at = messages[-1].created_at
        conv.last_inbound_at = max(inbound)
        conv.first_response_at = min(replies) if replies else None
        conv.waiting_since = None
        if visible[-1].direction == Direction.INBOUND:
            last_reply = max(replies) if replies else None
            conv.waiting_since = min(t for t in inbound if last_reply is None or t > last_reply)

    def _set_state(
        self,
        conv: Conversation,
        state: str,
        agent: User | None,
        outcome: str | None,
        closing: float,
    ) -> None:
        if state == "closed" and agent is not None:
            conv.status = ConversationStatus.CLOSED
            conv.closed_at = conv.last_activity_at + timedelta(seconds=closing)
            conv.closed_by_id = agent.id
            conv.outcome = outcome
            conv.outcome_note = OUTCOME_NOTES.get(outcome or "") if chance(self.rng, 0.5) else None
            conv.last_activity_at = conv.closed_at
            conv.waiting_since = None
        elif state == "pending":
            conv.status = ConversationStatus.PENDING
        elif state == "snoozed":
            conv.status = ConversationStatus.SNOOZED
            conv.snoozed_until = self.now + timedelta(seconds=self.rng.uniform(HOUR, 2 * DAY))

    def _tags(
        self, conv: Conversation, contact: DemoContact, outcome: str | None
    ) -> list[ConversationTag]:
        tags = self.dw.tags
        chosen = [(tags[outcome], conv.closed_at)] if outcome and conv.closed_at else []
        if conv.priority == URGENT:
            chosen.append((tags["urgent"], conv.opened_at))
        if contact.is_vip:
            chosen.append((tags["vip"], conv.opened_at))
        return [
            ConversationTag(
                id=new_id(),
                workspace_id=conv.workspace_id,
                conversation_id=conv.id,
                tag_id=tag.id,
                created_at=at,
            )
            for tag, at in chosen
        ]
