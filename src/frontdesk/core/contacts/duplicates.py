"""Duplicate suggestions: contacts of a workspace who share a phone number or an email,
often the same person reaching out on two channels, for a manager to merge."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.contacts import actions
from frontdesk.core.contacts.duplicates_schemas import (
    ContactMergeCreate,
    ContactMergeRead,
    DuplicateGroupRead,
)
from frontdesk.core.contacts.duplicates_undo import merge_read
from frontdesk.core.contacts.imports_models import ContactMergeRecord
from frontdesk.core.contacts.models import Contact
from frontdesk.core.contacts.queries import access_contact, contact_reads
from frontdesk.db.uow import UnitOfWork

MAX_GROUPS = 50


def _live(actor: Actor) -> Any:
    return (Contact.workspace_id == actor.workspace_id) & Contact.merged_into_id.is_(None)


async def find_duplicates(db: AsyncSession, actor: Actor) -> list[DuplicateGroupRead]:
    """Groups of two or more contacts sharing a phone, then an email (owners and managers)."""
    actor.require_admin()
    email = func.lower(Contact.email)
    phones = list(
        await db.scalars(
            select(Contact.phone)
            .where(_live(actor), Contact.phone.is_not(None))
            .group_by(Contact.phone)
            .having(func.count() > 1)
            .order_by(Contact.phone)
            .limit(MAX_GROUPS)
        )
    )
    emails = list(
        await db.scalars(
            select(email)
            .where(_live(actor), Contact.email.is_not(None))
            .group_by(email)
            .having(func.count() > 1)
            .order_by(email)
            .limit(MAX_GROUPS)
        )
    )
    if not (phones or emails):
        return []
    rows = await db.execute(
        select(Contact, User)
        .outerjoin(User, User.id == Contact.owner_id)
        .where(_live(actor), or_(Contact.phone.in_(phones), email.in_(emails)))
        .order_by(Contact.created_at, Contact.id)
    )
    pairs: list[tuple[Contact, User | None]] = [(c, u) for c, u in rows.all()]
    reads = {r.id: r for r in await contact_reads(db, actor.workspace_id, pairs)}
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for contact, _ in pairs:
        if contact.phone and contact.phone in phones:
            groups[("phone", contact.phone)].append(reads[contact.id])
        if contact.email and contact.email.lower() in emails:
            groups[("email", contact.email.lower())].append(reads[contact.id])
    return [
        DuplicateGroupRead(match=match, value=value, contacts=contacts)  # type: ignore[arg-type]
        for (match, value), contacts in groups.items()
    ][: MAX_GROUPS * 2]


async def merge_duplicate(
    uow: UnitOfWork, actor: Actor, body: ContactMergeCreate
) -> ContactMergeRead:
    """Merge one contact into another, as the contact panel does, answering with the merge's
    record for its undo."""
    keep = await access_contact(uow.session, actor, body.kept_contact_id, for_update=True)
    other = await access_contact(uow.session, actor, body.merged_contact_id, for_update=True)
    await actions.merge_contacts(uow, actor, keep, other)
    record = await uow.session.scalar(
        select(ContactMergeRecord)
        .where(
            ContactMergeRecord.workspace_id == actor.workspace_id,
            ContactMergeRecord.kept_contact_id == keep.id,
            ContactMergeRecord.merged_contact_id == other.id,
        )
        .order_by(ContactMergeRecord.created_at.desc(), ContactMergeRecord.id.desc())
        .limit(1)
    )
    if record is None:  # pragma: no cover - merge_contacts records every merge
        raise RuntimeError("the merge was not recorded")
    return merge_read(record, keep.name, other.name, uow.now())
