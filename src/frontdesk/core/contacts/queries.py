"""Reads of contacts: search, one contact, and the batch loading that keeps lists constant."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import (
    Contact,
    ContactFieldValue,
    ContactIdentity,
    CustomFieldDefinition,
)
from frontdesk.core.contacts.optout import opted_out_at
from frontdesk.core.contacts.schemas import ContactRead, IdentityRead, OwnerRef, Sort
from frontdesk.core.errors import Invalid, NotFound
from frontdesk.core.pagination import (
    Page,
    cursor_datetime,
    cursor_uuid,
    decode_cursor,
    encode_cursor,
)
from frontdesk.core.tags.models import ContactTag
from frontdesk.core.tags.queries import tags_for_contacts
from frontdesk.core.workspaces.client_reads import client_contacts

PHONE_QUERY = re.compile(r"^[\d\s()+./-]+$")
PHONE_FORMATTING = ("+", " ", "-", "(", ")", ".", "/")
MIN_PHONE_QUERY_DIGITS = 3


async def access_contact(
    db: AsyncSession, actor: Actor, contact_id: uuid.UUID, *, for_update: bool = False
) -> Contact:
    """The contact if it is in the actor's workspace and not merged away; else "not found"."""
    query = select(Contact).where(
        Contact.id == contact_id,
        Contact.workspace_id == actor.workspace_id,
        Contact.merged_into_id.is_(None),
    )
    if actor.client_scope is not None:  # only its client's candidates
        query = query.where(client_contacts(actor.workspace_id, actor.client_scope))
    if for_update and db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    contact = await db.scalar(query)
    if contact is None:
        raise NotFound("contact")
    return contact


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _phone_digits() -> ColumnElement[str]:
    """The stored phone with formatting removed, so "+55 11 9..." and "5511 9..." compare."""
    column: ColumnElement[str] = func.coalesce(Contact.phone, "")
    for char in PHONE_FORMATTING:
        column = func.replace(column, char, "")
    return column


def _search(query: Select[Any], q: str) -> Select[Any]:
    """Name or email containing `q` (any case); phone numbers by their digits alone."""
    q = q.strip()
    if not q:
        return query
    pattern = _like(q)
    matches = [
        func.lower(Contact.name).like(pattern, escape="\\"),
        func.lower(Contact.email).like(pattern, escape="\\"),
    ]
    digits = re.sub(r"\D", "", q)
    if PHONE_QUERY.match(q) and len(digits) >= MIN_PHONE_QUERY_DIGITS:
        matches.append(_phone_digits().like(f"%{digits}%"))
    return query.where(or_(*matches))


async def _fields(
    db: AsyncSession, workspace_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    result: dict[uuid.UUID, dict[str, Any]] = defaultdict(dict)
    rows = await db.execute(
        select(ContactFieldValue.contact_id, CustomFieldDefinition.key, ContactFieldValue.value)
        .join(CustomFieldDefinition, CustomFieldDefinition.id == ContactFieldValue.field_id)
        .where(
            ContactFieldValue.workspace_id == workspace_id, ContactFieldValue.contact_id.in_(ids)
        )
    )
    for contact_id, key, value in rows.all():
        result[contact_id][key] = value
    return result


async def _identities(
    db: AsyncSession, workspace_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[IdentityRead]]:
    result: dict[uuid.UUID, list[IdentityRead]] = defaultdict(list)
    rows = await db.execute(
        select(ContactIdentity, Channel.type, Channel.name)
        .join(Channel, Channel.id == ContactIdentity.channel_id)
        .where(ContactIdentity.workspace_id == workspace_id, ContactIdentity.contact_id.in_(ids))
        .order_by(ContactIdentity.created_at)
    )
    for identity, channel_type, channel_name in rows.all():
        result[identity.contact_id].append(
            IdentityRead(
                channel_id=identity.channel_id,
                channel_type=channel_type,
                channel_name=channel_name,
                provider_id=identity.provider_id,
                profile_name=identity.profile_name,
                opted_out_at=opted_out_at(identity),
            )
        )
    return result


async def contact_reads(
    db: AsyncSession, workspace_id: uuid.UUID, rows: list[tuple[Contact, User | None]]
) -> list[ContactRead]:
    """Serialise contacts with tags, fields and identities: three queries for any number."""
    ids = [c.id for c, _ in rows]
    if not ids:
        return []
    tags = await tags_for_contacts(db, workspace_id, ids)
    fields = await _fields(db, workspace_id, ids)
    identities = await _identities(db, workspace_id, ids)
    return [
        ContactRead(
            id=c.id,
            name=c.name,
            email=c.email,
            phone=c.phone,
            language=c.language,
            language_source=c.language_source,  # type: ignore[arg-type]
            avatar_url=c.avatar_url,
            lifecycle_stage=c.lifecycle_stage,
            owner=OwnerRef(id=owner.id, name=owner.name) if owner else None,
            notes=c.notes,
            tags=tags.get(c.id, []),
            fields=fields.get(c.id, {}),
            identities=identities.get(c.id, []),
            version=c.version,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )
        for c, owner in rows
    ]


def _with_owner() -> Select[Any]:
    return cast("Select[Any]", select(Contact, User).outerjoin(User, User.id == Contact.owner_id))


async def get_contact(
    db: AsyncSession, workspace_id: uuid.UUID, contact_id: uuid.UUID
) -> ContactRead:
    row = (
        await db.execute(
            _with_owner().where(Contact.id == contact_id, Contact.workspace_id == workspace_id)
        )
    ).first()
    if row is None:
        raise NotFound("contact")
    return (await contact_reads(db, workspace_id, [(row[0], row[1])]))[0]


async def list_contacts(
    db: AsyncSession,
    actor: Actor,
    *,
    q: str | None,
    tag_id: uuid.UUID | None,
    lifecycle_stage: str | None,
    owner_id: uuid.UUID | None,
    sort: Sort,
    limit: int,
    cursor: str | None,
) -> Page[ContactRead]:
    query = _with_owner().where(
        Contact.workspace_id == actor.workspace_id, Contact.merged_into_id.is_(None)
    )
    if actor.client_scope is not None:
        query = query.where(client_contacts(actor.workspace_id, actor.client_scope))
    if q:
        query = _search(query, q)
    if tag_id is not None:
        tagged = select(ContactTag.contact_id).where(
            ContactTag.workspace_id == actor.workspace_id, ContactTag.tag_id == tag_id
        )
        query = query.where(Contact.id.in_(tagged))
    if lifecycle_stage is not None:
        query = query.where(Contact.lifecycle_stage == lifecycle_stage)
    if owner_id is not None:
        query = query.where(Contact.owner_id == owner_id)
    if sort == "recent":
        query = query.order_by(Contact.updated_at.desc(), Contact.id.desc())
    else:
        query = query.order_by(Contact.name, Contact.id)
    if cursor:
        query = _after(query, sort, cursor)
    rows = [(c, u) for c, u in (await db.execute(query.limit(limit + 1))).all()]
    page, more = rows[:limit], len(rows) > limit
    items = await contact_reads(db, actor.workspace_id, page)
    next_cursor = None
    if more and page:
        last = page[-1][0]
        key = last.updated_at.isoformat() if sort == "recent" else last.name
        next_cursor = encode_cursor(key, last.id)
    return Page(items=items, next_cursor=next_cursor)


def _after(query: Select[Any], sort: Sort, cursor: str) -> Select[Any]:
    raw_key, raw_id = decode_cursor(cursor, 2)
    last_id = cursor_uuid(raw_id)
    if sort == "recent":
        at = cursor_datetime(raw_key)
        if at is None:
            raise Invalid("the cursor is not valid", field="cursor")
        return query.where(
            or_(Contact.updated_at < at, and_(Contact.updated_at == at, Contact.id < last_id))
        )
    name = str(raw_key)
    return query.where(or_(Contact.name > name, and_(Contact.name == name, Contact.id > last_id)))
