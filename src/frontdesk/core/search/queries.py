"""Search: ranked hits over what the caller may see, one keyset page at a time.

Messages and notes are found through their conversation with exactly the inbox's visibility
(`conversations.queries.visible_to`); client viewers never find notes and nobody finds a
whisper (only its readers see it, in the thread). Contacts are found by every member, and by
a client viewer when the contact has a conversation in its client's scope.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import visible_to
from frontdesk.core.conversations.schemas import ChannelBrief, StatusName
from frontdesk.core.errors import Invalid
from frontdesk.core.pagination import Page, decode_cursor, encode_cursor
from frontdesk.core.search.index import Match, match, snippets
from frontdesk.core.search.models import DocumentKind, SearchDocument
from frontdesk.core.search.schemas import SearchKind, SearchResultRead, SnippetPart
from frontdesk.core.search.terms import parse_terms
from frontdesk.core.workspaces.client_reads import client_contacts

ALL_KINDS: tuple[SearchKind, ...] = ("message", "note", "contact")


@dataclass(frozen=True)
class SearchFilter:
    kinds: tuple[SearchKind, ...] = ()
    channel_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    statuses: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    # Filters only a conversation has: a contact is left out when any is set.
    conversation_only: bool = field(init=False)

    def __post_init__(self) -> None:
        only = self.team_id is not None or self.assignee_id is not None or bool(self.statuses)
        object.__setattr__(self, "conversation_only", only)
        if self.since and self.until and self.since > self.until:
            raise Invalid("the start of the range is after its end", field="since")


def _reads_conversations(actor: Actor, f: SearchFilter) -> bool:
    """Whether a hit's conversation must be read: not for a supervisor of the whole workspace
    with no conversation filter (every message of the workspace is theirs to find), which
    spares a join over every hit of a common word."""
    unlimited = actor.is_supervisor and actor.client_scope is None
    return not unlimited or f.conversation_only


def _conversation_hits(
    actor: Actor, f: SearchFilter, kinds: set[SearchKind]
) -> ColumnElement[bool]:
    allowed = {k for k in kinds if k != DocumentKind.CONTACT}
    if actor.is_client:
        allowed.discard(DocumentKind.NOTE)
    if not allowed:
        return false()
    conditions: list[ColumnElement[bool]] = [SearchDocument.kind.in_(allowed)]
    if _reads_conversations(actor, f):
        conditions.append(visible_to(actor))
    if f.channel_id is not None:
        conditions.append(SearchDocument.channel_id == f.channel_id)
    if f.team_id is not None:
        conditions.append(Conversation.team_id == f.team_id)
    if f.assignee_id is not None:
        conditions.append(Conversation.assignee_id == f.assignee_id)
    if f.statuses:
        conditions.append(Conversation.status.in_(f.statuses))
    return and_(*conditions)


def _contact_hits(actor: Actor, f: SearchFilter, kinds: set[SearchKind]) -> ColumnElement[bool]:
    if DocumentKind.CONTACT not in kinds or f.conversation_only:
        return false()
    conditions: list[ColumnElement[bool]] = [
        SearchDocument.kind == DocumentKind.CONTACT,
        Contact.merged_into_id.is_(None),
    ]
    if actor.client_scope is not None:
        conditions.append(client_contacts(actor.workspace_id, actor.client_scope))
    if f.channel_id is not None:
        on_channel = exists().where(
            ContactIdentity.contact_id == SearchDocument.contact_id,
            ContactIdentity.channel_id == f.channel_id,
        )
        conditions.append(on_channel)
    return and_(*conditions)


def _hits(actor: Actor, f: SearchFilter, found: Match) -> Any:
    kinds: set[SearchKind] = set(f.kinds or ALL_KINDS)
    source = found.source
    if _reads_conversations(actor, f):
        source = source.outerjoin(Conversation, Conversation.id == SearchDocument.conversation_id)
    query = (
        select(SearchDocument.id, found.score.label("score"))
        .select_from(source.outerjoin(Contact, Contact.id == SearchDocument.contact_id))
        .where(
            found.condition,
            SearchDocument.workspace_id == actor.workspace_id,
            or_(_conversation_hits(actor, f, kinds), _contact_hits(actor, f, kinds)),
        )
    )
    if f.since is not None:
        query = query.where(SearchDocument.created_at >= f.since)
    if f.until is not None:
        query = query.where(SearchDocument.created_at < f.until)
    return query


def _after(query: Any, found: Match, cursor: str) -> Any:
    raw_score, raw_id = decode_cursor(cursor, 2)
    if not isinstance(raw_score, int | float) or not isinstance(raw_id, int):
        raise Invalid("the cursor is not valid", field="cursor")
    return query.where(
        or_(
            found.score < raw_score,
            and_(found.score == raw_score, SearchDocument.id < raw_id),
        )
    )


async def search(
    db: AsyncSession,
    actor: Actor,
    q: str,
    f: SearchFilter,
    *,
    limit: int,
    cursor: str | None = None,
) -> Page[SearchResultRead]:
    """The best hits first (bm25 on SQLite, ts_rank on PostgreSQL), then newest documents."""
    terms = parse_terms(q)
    dialect = db.get_bind().dialect.name
    found = match(dialect, q, terms)
    query = _hits(actor, f, found)
    if cursor:
        query = _after(query, found, cursor)
    query = query.order_by(found.score.desc(), SearchDocument.id.desc()).limit(limit + 1)
    rows = (await db.execute(query)).all()
    page, more = rows[:limit], len(rows) > limit
    ids = [int(row.id) for row in page]
    marked = await snippets(db, dialect, q, terms, ids)
    items = await _results(db, ids, marked)
    last = page[-1] if page else None
    next_cursor = encode_cursor(float(last.score), int(last.id)) if more and last else None
    return Page(items=items, next_cursor=next_cursor)


async def _results(
    db: AsyncSession, ids: list[int], marked: dict[int, list[SnippetPart]]
) -> list[SearchResultRead]:
    """The page's documents with their contact, channel and conversation, in one query."""
    if not ids:
        return []
    contact_id = func.coalesce(SearchDocument.contact_id, Conversation.contact_id)
    rows = await db.execute(
        select(SearchDocument, Conversation.status, Contact.id, Contact.name, Channel)
        .outerjoin(Conversation, Conversation.id == SearchDocument.conversation_id)
        .join(Contact, Contact.id == contact_id)
        .outerjoin(Channel, Channel.id == SearchDocument.channel_id)
        .where(SearchDocument.id.in_(ids))
    )
    by_id = {row[0].id: row for row in rows.all()}
    results = []
    for doc_id in ids:
        doc, status, contact, name, channel = by_id[doc_id]
        brief = ChannelBrief.model_validate(channel, from_attributes=True) if channel else None
        results.append(
            SearchResultRead(
                kind=cast(SearchKind, doc.kind),
                message_id=doc.message_id,
                conversation_id=doc.conversation_id,
                conversation_status=cast(StatusName | None, status),
                contact_id=contact,
                contact_name=name,
                channel=brief,
                created_at=doc.created_at,
                snippet=marked.get(doc_id, []),
            )
        )
    return results
