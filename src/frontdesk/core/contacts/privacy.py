"""Privacy requests about one contact: everything kept about them as a zip, and erasing it.

The export holds `contact.json` (the profile with identities, tags and field values, and
every conversation with its messages, notes included) and the files of those conversations
under `files/`. Erasing deletes the contact, contacts merged into it, their identities,
field values, tags, conversations and messages, the files' rows and, once committed, the
files themselves. Both are for owners and managers and are audited with who and when; the
audit entry names the contact by id only and counts what went, keeping none of their data.
"""

from __future__ import annotations

import asyncio
import io
import json
import uuid
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.attachments.storage import Storage
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.contacts.models import Contact
from frontdesk.core.contacts.queries import get_contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.events import ContactDeleted, workspace_key
from frontdesk.db.uow import UnitOfWork

MAX_NAME = 80


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any) -> dict[str, Any]:
    """Every column of a row, ready for JSON."""
    return {a.key: _plain(getattr(obj, a.key)) for a in inspect(obj).mapper.column_attrs}


async def _contact_ids(db: AsyncSession, contact: Contact) -> list[uuid.UUID]:
    """The contact and the duplicates merged into it (the same person)."""
    shells = await db.scalars(
        select(Contact.id).where(
            Contact.workspace_id == contact.workspace_id, Contact.merged_into_id == contact.id
        )
    )
    return [contact.id, *shells]


async def _files(
    db: AsyncSession, workspace_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Attachment]:
    conversations = select(Conversation.id).where(
        Conversation.workspace_id == workspace_id, Conversation.contact_id.in_(ids)
    )
    return list(
        await db.scalars(
            select(Attachment)
            .where(
                Attachment.workspace_id == workspace_id,
                or_(
                    Attachment.conversation_id.in_(conversations),
                    Attachment.uploaded_by_contact_id.in_(ids),
                ),
            )
            .order_by(Attachment.created_at, Attachment.id)
        )
    )


def _safe(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
    return cleaned[-MAX_NAME:] or "file"


async def export_contact_data(
    uow: UnitOfWork, actor: Actor, contact: Contact, storage: Storage
) -> bytes:
    """The zip of everything kept about the contact (the export is audited)."""
    actor.require_admin()
    db, ws, now = uow.session, actor.workspace_id, uow.now()
    record_audit(uow, actor, "contact.data_exported", "contact", contact.id)
    ids = await _contact_ids(db, contact)
    conversations = list(
        await db.scalars(
            select(Conversation)
            .where(Conversation.workspace_id == ws, Conversation.contact_id.in_(ids))
            .order_by(Conversation.created_at, Conversation.id)
        )
    )
    messages = list(
        await db.scalars(
            select(Message)
            .where(
                Message.workspace_id == ws,
                Message.conversation_id.in_([c.id for c in conversations]),
            )
            .order_by(Message.created_at, Message.id)
        )
    )
    files = await _files(db, ws, ids)
    document = {
        "exported_at": now.isoformat(),
        "contact": (await get_contact(db, ws, contact.id)).model_dump(mode="json"),
        "conversations": [
            {
                **_row(conversation),
                "messages": [_row(m) for m in messages if m.conversation_id == conversation.id],
            }
            for conversation in conversations
        ],
        "files": [{**_row(f), "path": f"files/{f.id}-{_safe(f.name)}"} for f in files],
    }
    kept = [
        (f"files/{file.id}-{_safe(file.name)}", await storage.get(file.storage_key))
        for file in files
        if await storage.exists(file.storage_key)
    ]
    # Compressing a contact's files is CPU work: off the loop that serves the process.
    return await asyncio.to_thread(_zipped, document, kept)


def _zipped(document: dict[str, Any], files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("contact.json", json.dumps(document, ensure_ascii=False, indent=2))
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


async def erase_contact(uow: UnitOfWork, actor: Actor, contact: Contact, storage: Storage) -> None:
    """Delete the contact and everything about them; the files go once committed."""
    actor.require_admin()
    db, ws = uow.session, actor.workspace_id
    ids = await _contact_ids(db, contact)
    files = await _files(db, ws, ids)
    conversations = select(Conversation.id).where(
        Conversation.workspace_id == ws, Conversation.contact_id.in_(ids)
    )
    counted = await db.scalar(
        select(func.count())
        .select_from(Message)
        .where(Message.workspace_id == ws, Message.conversation_id.in_(conversations))
    )
    conversation_count = await db.scalar(select(func.count()).select_from(conversations.subquery()))
    read = await get_contact(db, ws, contact.id)
    await db.execute(delete(Attachment).where(Attachment.id.in_([f.id for f in files])))
    await db.execute(delete(Contact).where(Contact.workspace_id == ws, Contact.id.in_(ids[1:])))
    await db.delete(contact)
    record_audit(
        uow,
        actor,
        "contact.erased",
        "contact",
        contact.id,
        conversations=conversation_count or 0,
        messages=counted or 0,
        files=len(files),
    )
    # Clients drop the contact by its id: the event carries none of their data.
    scrubbed = read.model_copy(
        update={
            "name": "",
            "email": None,
            "phone": None,
            "notes": "",
            "avatar_url": None,
            "identities": [],
            "fields": {},
            "tags": [],
            "owner": None,
        }
    )
    uow.emit(
        ContactDeleted(
            workspace_id=ws, audience=(workspace_key(ws),), data=scrubbed.model_dump(mode="json")
        )
    )
    keys = [k for f in files for k in (f.storage_key, f.thumbnail_key) if k]

    async def delete_files() -> None:
        for key in keys:
            await storage.delete(key)

    uow.after_commit(delete_files)
