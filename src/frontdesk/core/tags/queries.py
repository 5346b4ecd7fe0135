"""Reads of tags, and checks that tag ids belong to the caller's workspace."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.errors import Invalid, NotFound
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from frontdesk.core.tags.schemas import TagRead


async def list_tags(
    db: AsyncSession, actor: Actor, *, outcomes_only: bool = False, include_archived: bool = False
) -> list[TagRead]:
    """The workspace's tags by name; `outcomes_only` keeps those offered when closing, and
    archived tags come only with `include_archived`."""
    query = select(Tag).where(Tag.workspace_id == actor.workspace_id).order_by(func.lower(Tag.name))
    if not include_archived:
        query = query.where(Tag.archived_at.is_(None))
    if outcomes_only:
        query = query.where(Tag.is_outcome.is_(True))
    return [TagRead.model_validate(t) for t in await db.scalars(query)]


async def access_tag(db: AsyncSession, actor: Actor, tag_id: uuid.UUID) -> Tag:
    """The tag if it is in the actor's workspace; "not found" otherwise."""
    tag = await db.scalar(
        select(Tag).where(Tag.id == tag_id, Tag.workspace_id == actor.workspace_id)
    )
    if tag is None:
        raise NotFound("tag")
    return tag


async def access_tags(db: AsyncSession, actor: Actor, tag_ids: list[uuid.UUID]) -> list[Tag]:
    """Every id must be a tag of this workspace; otherwise the whole request is refused.

    One query whatever the number of ids; duplicates count once. A tag of another workspace is
    reported exactly like an unknown id (422 naming `tag_ids`), so ids do not leak.
    """
    wanted = set(tag_ids)
    if not wanted:
        return []
    tags = list(
        await db.scalars(
            select(Tag).where(Tag.workspace_id == actor.workspace_id, Tag.id.in_(wanted))
        )
    )
    if len(tags) != len(wanted):
        raise Invalid("unknown tag", field="tag_ids")
    return sorted(tags, key=lambda t: t.name.lower())


async def tags_for_contacts(
    db: AsyncSession, workspace_id: uuid.UUID, contact_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[TagRead]]:
    """Each contact's tags sorted by name, in one query for any number of contacts."""
    result: dict[uuid.UUID, list[TagRead]] = defaultdict(list)
    if not contact_ids:
        return result
    rows = await db.execute(
        select(ContactTag.contact_id, Tag)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(
            ContactTag.workspace_id == workspace_id,
            Tag.workspace_id == workspace_id,
            ContactTag.contact_id.in_(contact_ids),
        )
        .order_by(func.lower(Tag.name), Tag.id)
    )
    for contact_id, tag in rows.all():
        result[contact_id].append(TagRead.model_validate(tag))
    return result


async def tags_for_conversations(
    db: AsyncSession, workspace_id: uuid.UUID, conversation_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[TagRead]]:
    """Each conversation's tags sorted by name, in one query for any number of conversations."""
    result: dict[uuid.UUID, list[TagRead]] = defaultdict(list)
    if not conversation_ids:
        return result
    rows = await db.execute(
        select(ConversationTag.conversation_id, Tag)
        .join(Tag, Tag.id == ConversationTag.tag_id)
        .where(
            ConversationTag.workspace_id == workspace_id,
            Tag.workspace_id == workspace_id,
            ConversationTag.conversation_id.in_(conversation_ids),
        )
        .order_by(func.lower(Tag.name), Tag.id)
    )
    for conversation_id, tag in rows.all():
        result[conversation_id].append(TagRead.model_validate(tag))
    return result
