"""Reads of conversations: who may see which, the inbox views, counts and one conversation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.schemas import (
    ChannelBrief,
    ContactBrief,
    ConversationCounts,
    ConversationPage,
    ConversationRead,
    Sort,
    TagRef,
    TeamRef,
    UserBrief,
    View,
)
from frontdesk.core.conversations.window import window_expires_at
from frontdesk.core.errors import Invalid, NotFound
from frontdesk.core.pagination import (
    cursor_datetime,
    cursor_uuid,
    decode_cursor,
    encode_cursor,
)
from frontdesk.core.read_cursors.queries import read_states
from frontdesk.core.sla.queries import sla_by_conversation, sla_condition
from frontdesk.core.sla.read_schemas import ConversationSlaRead
from frontdesk.core.tags.models import ConversationTag
from frontdesk.core.tags.queries import tags_for_conversations
from frontdesk.core.workspaces.models import Team

PRIORITY_NAMES = ("low", "normal", "high", "urgent")
# The assignee filter's value for conversations nobody has taken.
UNASSIGNED = "unassigned"
# Conversations nobody waits on sort after every waiting one.
NOT_WAITING = datetime(9999, 1, 1, tzinfo=UTC)


def priority_name(value: int) -> Any:
    return PRIORITY_NAMES[max(0, min(value, len(PRIORITY_NAMES) - 1))]


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Supervisors see everything; agents their own, their teams' and team-less conversations."""
    scope = Conversation.workspace_id == actor.workspace_id
    if actor.client_scope is not None:  # a client viewer: its client's conversations only
        return and_(
            scope, actor.client_scope.condition(Conversation.team_id, Conversation.channel_id)
        )
    if actor.is_supervisor:
        return scope
    own = Conversation.assignee_id == actor.user_id if actor.user_id else false()
    teams = Conversation.team_id.in_(actor.team_ids) if actor.team_ids else false()
    return and_(scope, or_(own, teams, Conversation.team_id.is_(None)))


def can_see(actor: Actor, conversation: Conversation) -> bool:
    if conversation.workspace_id != actor.workspace_id:
        return False
    if actor.client_scope is not None:
        return actor.client_scope.admits(conversation.team_id, conversation.channel_id)
    if actor.is_supervisor or conversation.team_id is None:
        return True
    # An API token has no user: an unassigned conversation is not "its own" (None == None).
    own = actor.user_id is not None and conversation.assignee_id == actor.user_id
    return own or conversation.team_id in actor.team_ids


async def access_conversation(
    db: AsyncSession, actor: Actor, conversation_id: uuid.UUID, *, for_update: bool = False
) -> Conversation:
    """The conversation if the actor may see it; otherwise "not found", never a hint."""
    query = select(Conversation).where(
        Conversation.id == conversation_id, Conversation.workspace_id == actor.workspace_id
    )
    if for_update and db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    conversation = await db.scalar(query)
    if conversation is None or not can_see(actor, conversation):
        raise NotFound("conversation")
    return conversation


@dataclass
class ConversationFilter:
    view: View = "all"
    team_id: uuid.UUID | None = None
    statuses: list[str] = field(default_factory=list)
    channel_id: uuid.UUID | None = None
    tag_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | Literal["unassigned"] | None = None
    contact_id: uuid.UUID | None = None
    priorities: list[str] = field(default_factory=list)
    sla: str | None = None  # "at_risk" or "breached" (core/sla)


def filter_conditions(actor: Actor, f: ConversationFilter) -> list[ColumnElement[bool]]:
    """What a view and its filters ask of a conversation, on top of `visible_to`."""
    conditions: list[ColumnElement[bool]] = []
    if f.view == "mine":
        # `== None` would read "unassigned" for an API token, which has no conversations.
        conditions.append(Conversation.assignee_id == actor.user_id if actor.user_id else false())
    elif f.view == "unassigned":
        conditions.append(Conversation.assignee_id.is_(None))
    elif f.view == "team" and f.team_id is None:
        mine = Conversation.team_id.in_(actor.team_ids) if actor.team_ids else false()
        conditions.append(mine)
    if f.team_id is not None:
        conditions.append(Conversation.team_id == f.team_id)
    if f.statuses:
        conditions.append(Conversation.status.in_(f.statuses))
    if f.channel_id is not None:
        conditions.append(Conversation.channel_id == f.channel_id)
    if f.assignee_id == UNASSIGNED:
        conditions.append(Conversation.assignee_id.is_(None))
    elif f.assignee_id is not None:
        conditions.append(Conversation.assignee_id == f.assignee_id)
    if f.contact_id is not None:
        conditions.append(Conversation.contact_id == f.contact_id)
    if f.priorities:
        levels = [PRIORITY_NAMES.index(p) for p in f.priorities]
        conditions.append(Conversation.priority.in_(levels))
    if f.tag_id is not None:
        tagged = select(ConversationTag.conversation_id).where(
            ConversationTag.workspace_id == actor.workspace_id, ConversationTag.tag_id == f.tag_id
        )
        conditions.append(Conversation.id.in_(tagged))
    if f.sla is not None:
        conditions.append(sla_condition(actor.workspace_id, f.sla))
    return conditions


def _apply_filter(query: Select[Any], actor: Actor, f: ConversationFilter) -> Select[Any]:
    return query.where(visible_to(actor), *filter_conditions(actor, f))


# One alias for every read (a new alias per query costs its column adaptation each time).
_ASSIGNEE = aliased(User, name="assignee")


def _base_select() -> Select[Any]:
    assignee = _ASSIGNEE
    query = (
        select(Conversation, Contact, Channel, assignee, Team)
        .join(Contact, Contact.id == Conversation.contact_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .outerjoin(assignee, assignee.id == Conversation.assignee_id)
        .outerjoin(Team, Team.id == Conversation.team_id)
    )
    return cast("Select[Any]", query)


async def _tags_by_conversation(
    db: AsyncSession, workspace_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[TagRef]]:
    tags = await tags_for_conversations(db, workspace_id, ids)
    return {
        conversation_id: [
            TagRef(id=t.id, name=t.name, color=t.color, is_outcome=t.is_outcome) for t in found
        ]
        for conversation_id, found in tags.items()
    }


def _read(
    row: tuple[Conversation, Contact, Channel, User | None, Team | None],
    tags: list[TagRef],
    sla: ConversationSlaRead | None = None,
) -> ConversationRead:
    conv, contact, channel, assignee, team = row
    return ConversationRead(
        id=conv.id,
        status=conv.status,  # type: ignore[arg-type]
        channel=ChannelBrief(id=channel.id, type=channel.type, name=channel.name),
        contact=ContactBrief(
            id=contact.id,
            name=contact.name,
            phone=contact.phone,
            email=contact.email,
            avatar_url=contact.avatar_url,
        ),
        assignee=UserBrief(id=assignee.id, name=assignee.name, avatar_url=assignee.avatar_url)
        if assignee
        else None,
        team=TeamRef(id=team.id, name=team.name) if team else None,
        priority=priority_name(conv.priority),
        subject=conv.subject,
        tags=tags,
        snoozed_until=conv.snoozed_until,
        waiting_since=conv.waiting_since,
        first_response_at=conv.first_response_at,
        opened_at=conv.opened_at,
        closed_at=conv.closed_at,
        outcome=conv.outcome,
        outcome_note=conv.outcome_note,
        last_activity_at=conv.last_activity_at,
        last_inbound_at=conv.last_inbound_at,
        window_expires_at=window_expires_at(channel.type, conv.last_inbound_at, conv.opened_at),
        last_message_preview=conv.last_message_preview,
        last_message_at=conv.last_message_at,
        sla=sla,
        version=conv.version,
        created_at=conv.created_at,
    )


async def get_conversation(
    db: AsyncSession, workspace_id: uuid.UUID, conversation_id: uuid.UUID
) -> ConversationRead:
    """The full read model of one conversation (no access check: callers have done it)."""
    row = (
        await db.execute(
            _base_select().where(
                Conversation.id == conversation_id, Conversation.workspace_id == workspace_id
            )
        )
    ).first()
    if row is None:
        raise NotFound("conversation")
    tags = await _tags_by_conversation(db, workspace_id, [conversation_id])
    sla = await sla_by_conversation(db, workspace_id, [conversation_id])
    return _read(tuple(row), tags.get(conversation_id, []), sla.get(conversation_id))


def shown_to(actor: Actor, read: ConversationRead) -> ConversationRead:
    """A conversation as the caller reads it: a client viewer never reads the outcome's note
    (an agent's own words, like an internal note)."""
    if actor.client_scope is None or read.outcome_note is None:
        return read
    return read.model_copy(update={"outcome_note": None})


async def read_loaded(
    db: AsyncSession,
    row: tuple[Conversation, Contact, Channel, User | None, Team | None],
    *,
    tagged: bool = True,
) -> ConversationRead:
    """What `get_conversation` gives, from rows already at hand: only the tags are read
    (not at all when the conversation cannot have any yet, `tagged=False`)."""
    conv = row[0]
    tags = await _tags_by_conversation(db, conv.workspace_id, [conv.id]) if tagged else {}
    sla = await sla_by_conversation(db, conv.workspace_id, [conv.id]) if tagged else {}
    return _read(row, tags.get(conv.id, []), sla.get(conv.id))


def _sort_key(sort: Sort) -> Any:
    if sort == "waiting":
        return func.coalesce(Conversation.waiting_since, NOT_WAITING)
    return Conversation.last_activity_at


def _after_cursor(query: Select[Any], sort: Sort, cursor: str) -> Select[Any]:
    raw_at, raw_id = decode_cursor(cursor, 2)
    at, last_id = cursor_datetime(raw_at), cursor_uuid(raw_id)
    if at is None:
        raise Invalid("the cursor is not valid", field="cursor")
    key = _sort_key(sort)
    if sort == "waiting":  # oldest wait first
        return query.where(or_(key > at, and_(key == at, Conversation.id > last_id)))
    return query.where(or_(key < at, and_(key == at, Conversation.id < last_id)))


async def list_conversations(
    db: AsyncSession,
    actor: Actor,
    f: ConversationFilter,
    *,
    sort: Sort = "last_activity",
    limit: int,
    cursor: str | None,
) -> ConversationPage:
    """One page of a view with the caller's read states: three queries whatever the page size."""
    query = _apply_filter(_base_select(), actor, f)
    key = _sort_key(sort)
    if sort == "waiting":
        query = query.order_by(key.asc(), Conversation.id.asc())
    else:
        query = query.order_by(key.desc(), Conversation.id.desc())
    if cursor:
        query = _after_cursor(query, sort, cursor)
    rows = [tuple(r) for r in (await db.execute(query.limit(limit + 1))).all()]
    page, more = rows[:limit], len(rows) > limit
    ids = [r[0].id for r in page]
    tags = await _tags_by_conversation(db, actor.workspace_id, ids)
    slas = await sla_by_conversation(db, actor.workspace_id, ids)
    items = [shown_to(actor, _read(r, tags.get(r[0].id, []), slas.get(r[0].id))) for r in page]
    next_cursor = None
    if more and page:
        last = page[-1][0]
        at = (last.waiting_since or NOT_WAITING) if sort == "waiting" else last.last_activity_at
        next_cursor = encode_cursor(at.isoformat(), last.id)
    reads = await read_states(db, actor, ids)
    return ConversationPage(items=items, next_cursor=next_cursor, reads=reads)


async def count_conversations(db: AsyncSession, actor: Actor) -> ConversationCounts:
    """Open conversations per view in one grouped query."""
    mine = Conversation.assignee_id == actor.user_id if actor.user_id else false()
    rows = await db.execute(
        select(
            Conversation.team_id,
            func.count(),
            func.sum(case((mine, 1), else_=0)),
            func.sum(case((Conversation.assignee_id.is_(None), 1), else_=0)),
        )
        .where(visible_to(actor), Conversation.status == "open")
        .group_by(Conversation.team_id)
    )
    total = mine_total = unassigned = 0
    teams: dict[str, int] = {}
    for team_id, count, mine_count, unassigned_count in rows:
        total += int(count)
        mine_total += int(mine_count or 0)
        unassigned += int(unassigned_count or 0)
        if team_id is not None:
            teams[str(team_id)] = int(count)
    return ConversationCounts(mine=mine_total, unassigned=unassigned, all=total, teams=teams)
