"""Undoing a merge: each merge keeps what it moved from the merged contact to the kept one
(identities, conversations, tags, field values, contacts merged into it earlier, and the kept
contact's details it filled), so an undo within seven days puts them back.

What was added to either contact after the merge stays where it is: a conversation that
started after the merge stays with the kept contact, and a detail changed on the kept contact
since is not overwritten.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.contacts.duplicates_schemas import ContactMergeRead
from frontdesk.core.contacts.imports_models import ContactMergeRecord
from frontdesk.core.contacts.models import Contact, ContactFieldValue, ContactIdentity
from frontdesk.core.contacts.queries import get_contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import Conflict, NotFound
from frontdesk.core.events import ContactUpdated, define_event, workspace_key
from frontdesk.core.tags.models import ContactTag
from frontdesk.db.uow import UnitOfWork

ContactMergeUndone = define_event("ContactMergeUndone", "contact.merge_undone")
UNDO_WINDOW = timedelta(days=7)
RECENT = 20


def _json(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


async def _ids(db: AsyncSession, column: Any, where: Any) -> list[str]:
    return [str(i) for i in await db.scalars(select(column).where(where))]


async def record_merge(
    uow: UnitOfWork, actor: Actor, keep: Contact, other: Contact, attributes: tuple[str, ...]
) -> ContactMergeRecord:
    """Write down, before a merge moves anything, what it is about to move."""
    db, ws = uow.session, actor.workspace_id
    fields = await db.execute(
        select(ContactFieldValue.field_id, ContactFieldValue.value).where(
            ContactFieldValue.workspace_id == ws, ContactFieldValue.contact_id == other.id
        )
    )
    record = ContactMergeRecord(
        workspace_id=ws,
        kept_contact_id=keep.id,
        merged_contact_id=other.id,
        merged_by_user_id=actor.user_id,
        moved={
            "identities": await _ids(
                db, ContactIdentity.id, (ContactIdentity.contact_id == other.id)
            ),
            "conversations": await _ids(
                db,
                Conversation.id,
                (Conversation.workspace_id == ws) & (Conversation.contact_id == other.id),
            ),
            "tags": await _ids(db, ContactTag.tag_id, ContactTag.contact_id == other.id),
            "kept_tags": await _ids(db, ContactTag.tag_id, ContactTag.contact_id == keep.id),
            "fields": {str(f): v for f, v in fields.all()},
            "kept_fields": await _ids(
                db, ContactFieldValue.field_id, ContactFieldValue.contact_id == keep.id
            ),
            "shells": await _ids(
                db, Contact.id, (Contact.workspace_id == ws) & (Contact.merged_into_id == other.id)
            ),
            "kept_before": {a: _json(getattr(keep, a)) for a in (*attributes, "notes")},
        },
        created_at=uow.now(),
    )
    db.add(record)
    return record


def merge_read(record: ContactMergeRecord, kept: str, merged: str, now: Any) -> ContactMergeRead:
    until = record.created_at + UNDO_WINDOW
    return ContactMergeRead(
        id=record.id,
        kept_contact_id=record.kept_contact_id,
        kept_contact_name=kept,
        merged_contact_id=record.merged_contact_id,
        merged_contact_name=merged,
        created_at=record.created_at,
        undone_at=record.undone_at,
        undo_until=until,
        can_undo=record.undone_at is None and now < until,
    )


async def list_merges(db: AsyncSession, actor: Actor, now: Any) -> list[ContactMergeRead]:
    """The workspace's recent merges, newest first, with the two contacts' names."""
    actor.require_writer()
    kept = Contact.__table__.alias("kept")
    merged = Contact.__table__.alias("merged")
    rows = await db.execute(
        select(ContactMergeRecord, kept.c.name, merged.c.name)
        .join(kept, kept.c.id == ContactMergeRecord.kept_contact_id)
        .join(merged, merged.c.id == ContactMergeRecord.merged_contact_id)
        .where(ContactMergeRecord.workspace_id == actor.workspace_id)
        .order_by(ContactMergeRecord.created_at.desc(), ContactMergeRecord.id.desc())
        .limit(RECENT)
    )
    return [merge_read(r, k, m, now) for r, k, m in rows.all()]


async def access_merge(db: AsyncSession, actor: Actor, merge_id: uuid.UUID) -> ContactMergeRecord:
    actor.require_writer()
    record = await db.scalar(
        select(ContactMergeRecord).where(
            ContactMergeRecord.id == merge_id, ContactMergeRecord.workspace_id == actor.workspace_id
        )
    )
    if record is None:
        raise NotFound("contact merge")
    return record


async def _move_back(
    uow: UnitOfWork, ws: uuid.UUID, keep: Contact, other: Contact, moved: dict[str, Any]
) -> None:
    db = uow.session
    for model, key in ((ContactIdentity, "identities"), (Conversation, "conversations")):
        await db.execute(
            update(model)
            .where(
                model.workspace_id == ws,
                model.contact_id == keep.id,
                model.id.in_([uuid.UUID(i) for i in moved[key]]),
            )
            .values(contact_id=other.id)
            .execution_options(synchronize_session=False)
        )
    tags = {uuid.UUID(t) for t in moved["tags"]}
    gained = tags - {uuid.UUID(t) for t in moved["kept_tags"]}
    await db.execute(
        delete(ContactTag).where(
            ContactTag.workspace_id == ws,
            ContactTag.contact_id == keep.id,
            ContactTag.tag_id.in_(gained),
        )
    )
    now = uow.now()
    db.add_all(
        ContactTag(workspace_id=ws, contact_id=other.id, tag_id=t, created_at=now) for t in tags
    )
    fields = {uuid.UUID(f): v for f, v in moved["fields"].items()}
    filled = set(fields) - {uuid.UUID(f) for f in moved["kept_fields"]}
    await db.execute(
        delete(ContactFieldValue).where(
            ContactFieldValue.workspace_id == ws,
            ContactFieldValue.contact_id == keep.id,
            ContactFieldValue.field_id.in_(filled),
        )
    )
    db.add_all(
        ContactFieldValue(workspace_id=ws, contact_id=other.id, field_id=f, value=v, updated_at=now)
        for f, v in fields.items()
    )
    await db.execute(
        update(Contact)
        .where(
            Contact.workspace_id == ws,
            Contact.merged_into_id == keep.id,
            Contact.id.in_([uuid.UUID(i) for i in moved["shells"]]),
        )
        .values(merged_into_id=other.id)
        .execution_options(synchronize_session=False)
    )


def _restore_details(keep: Contact, other: Contact, before: dict[str, Any]) -> None:
    """Give back the details the merge filled in, unless they changed since."""
    for attribute, value in before.items():
        current = _json(getattr(keep, attribute))
        if attribute == "notes":
            merged_notes = f"{value}\n\n{other.notes}".strip()
            if other.notes and current == merged_notes:
                keep.notes = value
        elif current != value and current == _json(getattr(other, attribute)):
            setattr(
                keep, attribute, uuid.UUID(value) if attribute == "owner_id" and value else value
            )


async def undo_merge(uow: UnitOfWork, actor: Actor, record: ContactMergeRecord) -> ContactMergeRead:
    """Split the merged contact out again (409 when undone already, too old, or when the
    kept contact has since been merged elsewhere)."""
    actor.require_writer()
    now = uow.now()
    ws = actor.workspace_id
    if record.undone_at is not None:
        raise Conflict("this merge has been undone already")
    if now >= record.created_at + UNDO_WINDOW:
        raise Conflict("a merge can be undone for seven days only")
    keep = await uow.session.get(Contact, record.kept_contact_id)
    other = await uow.session.get(Contact, record.merged_contact_id)
    if keep is None or other is None or keep.merged_into_id or other.merged_into_id != keep.id:
        raise Conflict("the contacts have changed since: this merge cannot be undone")
    await _move_back(uow, ws, keep, other, record.moved)
    _restore_details(keep, other, record.moved["kept_before"])
    other.merged_into_id = None
    for contact in (keep, other):
        contact.version, contact.updated_at = contact.version + 1, now
    record.undone_at = now
    record_audit(uow, actor, "contact.merge_undone", "contact", keep.id, restored=str(other.id))
    await uow.session.flush()
    reads = [await get_contact(uow.session, ws, c.id) for c in (keep, other)]
    audience = (workspace_key(ws),)
    for read in reads:
        uow.emit(
            ContactUpdated(workspace_id=ws, audience=audience, data=read.model_dump(mode="json"))
        )
    uow.emit(
        ContactMergeUndone(
            workspace_id=ws,
            audience=audience,
            data={
                "merge_id": str(record.id),
                "kept_contact_id": str(keep.id),
                "restored_contact_id": str(other.id),
            },
        )
    )
    return merge_read(record, keep.name, other.name, now)
