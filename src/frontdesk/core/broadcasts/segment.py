"""Evaluating a broadcast's segment: which contacts match, and which of them cannot be sent to.

The SQL narrows by tags, lifecycle stage and last contact; custom field conditions are checked
on the values of the contacts found (values are JSON of several types, compared as text). A
contact matching the segment is skipped, with a reason, when it has no id on the broadcast's
channel (`no_identity`), opted out there (`opted_out`), or (free text on a channel with a reply
window) has not written within it (`outside_window`).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.broadcasts.schemas import BroadcastSegment, FieldCondition
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import (
    Contact,
    ContactFieldValue,
    ContactIdentity,
    CustomFieldDefinition,
)
from frontdesk.core.contacts.optout import opt_out_of
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.window import is_standard_window_open
from frontdesk.core.tags.models import ContactTag

NO_IDENTITY = "no_identity"
OPTED_OUT = "opted_out"
OUTSIDE_WINDOW = "outside_window"
MISSING_VARIABLE = "missing_variable"
CHUNK = 500


@dataclass(frozen=True)
class Candidate:
    contact_id: uuid.UUID
    skip_reason: str | None


def _last_contact(workspace_id: uuid.UUID, channel_id: uuid.UUID | None = None) -> Any:
    query = select(
        Conversation.contact_id.label("contact_id"),
        func.max(Conversation.last_inbound_at).label("at"),
    ).where(Conversation.workspace_id == workspace_id)
    if channel_id is not None:
        query = query.where(Conversation.channel_id == channel_id)
    return query.group_by(Conversation.contact_id).subquery()


def _query(
    workspace_id: uuid.UUID, channel_id: uuid.UUID, segment: BroadcastSegment, now: datetime
) -> Select[Any]:
    anywhere = _last_contact(workspace_id)
    here = _last_contact(workspace_id, channel_id)
    query = (
        select(Contact.id, ContactIdentity.extra, ContactIdentity.id, here.c.at)
        .outerjoin(
            ContactIdentity,
            (ContactIdentity.contact_id == Contact.id) & (ContactIdentity.channel_id == channel_id),
        )
        .outerjoin(anywhere, anywhere.c.contact_id == Contact.id)
        .outerjoin(here, here.c.contact_id == Contact.id)
        .where(Contact.workspace_id == workspace_id, Contact.merged_into_id.is_(None))
        .order_by(Contact.id)
    )
    if segment.tag_ids:
        query = query.where(
            Contact.id.in_(
                select(ContactTag.contact_id).where(
                    ContactTag.workspace_id == workspace_id,
                    ContactTag.tag_id.in_(segment.tag_ids),
                )
            )
        )
    if segment.lifecycle_stages:
        query = query.where(Contact.lifecycle_stage.in_(segment.lifecycle_stages))
    if segment.contacted_within_days is not None:
        query = query.where(anywhere.c.at >= now - timedelta(days=segment.contacted_within_days))
    if segment.not_contacted_within_days is not None:
        since = now - timedelta(days=segment.not_contacted_within_days)
        query = query.where((anywhere.c.at.is_(None)) | (anywhere.c.at < since))
    return query


def as_text(value: Any) -> str:
    """A custom field's stored value as the segment compares it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


async def field_values(
    db: AsyncSession, workspace_id: uuid.UUID, contact_ids: list[uuid.UUID], keys: set[str]
) -> dict[tuple[uuid.UUID, str], str]:
    """The contacts' values of the fields named `keys`, as text, by (contact, key)."""
    found: dict[tuple[uuid.UUID, str], str] = {}
    if not keys:
        return found
    for start in range(0, len(contact_ids), CHUNK):
        rows = await db.execute(
            select(ContactFieldValue.contact_id, CustomFieldDefinition.key, ContactFieldValue.value)
            .join(CustomFieldDefinition, CustomFieldDefinition.id == ContactFieldValue.field_id)
            .where(
                ContactFieldValue.workspace_id == workspace_id,
                ContactFieldValue.contact_id.in_(contact_ids[start : start + CHUNK]),
                CustomFieldDefinition.key.in_(keys),
            )
        )
        for contact_id, key, value in rows:
            found[(contact_id, key)] = as_text(value)
    return found


def _fields_match(
    values: dict[tuple[uuid.UUID, str], str], contact_id: uuid.UUID, wanted: list[FieldCondition]
) -> bool:
    return all(values.get((contact_id, c.key), "").casefold() == c.value.casefold() for c in wanted)


async def evaluate(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    channel: Channel,
    segment: BroadcastSegment,
    now: datetime,
    *,
    free_text: bool,
) -> list[Candidate]:
    """Every contact of the segment, each with the reason it would be skipped (None: sent)."""
    rows = (await db.execute(_query(workspace_id, channel.id, segment, now))).all()
    if segment.fields:
        ids = [row[0] for row in rows]
        values = await field_values(db, workspace_id, ids, {c.key for c in segment.fields})
        rows = [row for row in rows if _fields_match(values, row[0], segment.fields)]
    found = []
    for contact_id, extra, identity_id, last_here in rows:
        reason = None
        if identity_id is None:
            reason = NO_IDENTITY
        elif opt_out_of_extra(extra):
            reason = OPTED_OUT
        elif free_text and not is_standard_window_open(channel.type, last_here, now):
            reason = OUTSIDE_WINDOW
        found.append(Candidate(contact_id, reason))
    return found


def opt_out_of_extra(extra: dict[str, Any] | None) -> bool:
    identity = ContactIdentity(extra=extra or {})
    return opt_out_of(identity) is not None


def tally(candidates: list[Candidate]) -> tuple[int, dict[str, int]]:
    """How many would be sent to, and the skipped ones by reason."""
    reasons = Counter(c.skip_reason for c in candidates if c.skip_reason is not None)
    return len(candidates) - sum(reasons.values()), dict(sorted(reasons.items()))
