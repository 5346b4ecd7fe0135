"""Running an import: the rows in batches, each batch one transaction that creates or
updates its contacts and moves the progress on.

A row names a contact already known when its phone (E.164) or its email (lower-cased)
matches one of the workspace's contacts or an earlier row of the same file: that contact is
updated (the row's name, language, stage and field values; its tags added; a phone or email
filled when the contact had none). Other rows create contacts. Each batch emits
`contact.imported` (the ids created and updated) to the workspace, not one event per contact.

A run that fails part-way starts again from the first row on the job's next attempt: rows
already written then match their contacts and count as updated.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import delete, func, insert, or_, select

from frontdesk.core.contacts.imports import import_event, workspace_fields
from frontdesk.core.contacts.imports_csv import decode_as, rows
from frontdesk.core.contacts.imports_models import ContactImport, ImportStatus
from frontdesk.core.contacts.imports_rows import (
    ParsedRow,
    RowError,
    Vocabulary,
    check_mapping,
    parse_row,
)
from frontdesk.core.contacts.models import Contact, ContactFieldValue
from frontdesk.core.events import define_event, workspace_key
from frontdesk.core.reports.exports.run import storage_of
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ContactTag, Tag
from frontdesk.db.ids import new_id
from frontdesk.db.uow import UnitOfWork

log = logging.getLogger("frontdesk.contacts.imports")

ContactsImported = define_event("ContactsImported", "contact.imported")
BATCH = 500
MAX_ERRORS_KEPT = 10_000


@dataclass
class Known:
    """Contacts met so far in this file, by phone and by email."""

    by_phone: dict[str, uuid.UUID] = field(default_factory=dict)
    by_email: dict[str, uuid.UUID] = field(default_factory=dict)

    def find(self, row: ParsedRow) -> uuid.UUID | None:
        return (row.phone and self.by_phone.get(row.phone)) or (
            (row.email and self.by_email.get(row.email)) or None
        )

    def learn(self, contact: Contact | NewContact) -> None:
        if contact.phone:
            self.by_phone.setdefault(contact.phone, contact.id)
        if contact.email:
            self.by_email.setdefault(contact.email.lower(), contact.id)


@dataclass
class BatchResult:
    created: list[uuid.UUID] = field(default_factory=list)
    updated: list[uuid.UUID] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _batches(items: Iterator[tuple[int, list[str]]]) -> Iterator[list[tuple[int, list[str]]]]:
    while chunk := list(islice(items, BATCH)):
        yield chunk


async def _load(
    uow: UnitOfWork, workspace_id: uuid.UUID, rows_: list[ParsedRow], known: Known
) -> dict[uuid.UUID, Contact]:
    """The workspace's contacts these rows name, by id (one query)."""
    phones = {r.phone for r in rows_ if r.phone}
    emails = {r.email for r in rows_ if r.email}
    ids = {i for r in rows_ if (i := known.find(r))}
    if not (phones or emails or ids):
        return {}
    found = await uow.session.scalars(
        select(Contact).where(
            Contact.workspace_id == workspace_id,
            Contact.merged_into_id.is_(None),
            or_(
                Contact.id.in_(ids),
                Contact.phone.in_(phones),
                func.lower(Contact.email).in_(emails),
            ),
        )
    )
    contacts = {c.id: c for c in found}
    for contact in sorted(contacts.values(), key=lambda c: (c.created_at, c.id)):
        known.learn(contact)
    return contacts


def _fill(contact: Contact | NewContact, row: ParsedRow) -> bool:
    """Write the row's values over an existing contact; True when something changed."""
    changes = {
        "name": row.name,
        "language": row.language,
        "language_source": "agent" if row.language else None,
        "lifecycle_stage": row.lifecycle_stage,
    }
    if not contact.phone:
        changes["phone"] = row.phone
    if not contact.email:
        changes["email"] = row.email
    changed = False
    for attribute, value in changes.items():
        if value is not None and getattr(contact, attribute) != value:
            setattr(contact, attribute, value)
            changed = True
    return changed


@dataclass
class NewContact:
    """A contact this batch creates: inserted in bulk, without the ORM's bookkeeping."""

    id: uuid.UUID
    name: str
    email: str | None
    phone: str | None
    language: str | None
    language_source: str | None
    lifecycle_stage: str | None


def _new_contact(row: ParsedRow) -> NewContact:
    return NewContact(
        id=new_id(),
        name=row.name or row.email or row.phone or "",
        email=row.email,
        phone=row.phone,
        language=row.language,
        language_source="agent" if row.language else None,
        lifecycle_stage=row.lifecycle_stage,
    )


async def _insert(uow: UnitOfWork, workspace_id: uuid.UUID, new: list[NewContact]) -> None:
    if not new:
        return
    now = uow.now()
    await uow.session.execute(
        insert(Contact),
        [
            {
                **vars(c),
                "workspace_id": workspace_id,
                "notes": "",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for c in new
        ],
    )


async def _links(
    uow: UnitOfWork, workspace_id: uuid.UUID, targets: list[tuple[uuid.UUID, ParsedRow]]
) -> None:
    """Add the rows' tags (keeping those there) and set their field values."""
    ids = {c for c, _ in targets}
    pairs = await uow.session.execute(
        select(ContactTag.contact_id, ContactTag.tag_id).where(
            ContactTag.workspace_id == workspace_id, ContactTag.contact_id.in_(ids)
        )
    )
    have = {(contact_id, tag_id) for contact_id, tag_id in pairs.all()}
    wanted = {(c, t) for c, row in targets for t in row.tag_ids} - have
    now = uow.now()
    uow.session.add_all(
        ContactTag(workspace_id=workspace_id, contact_id=c, tag_id=t, created_at=now)
        for c, t in sorted(wanted)
    )
    values = {(c, f): v for c, row in targets for f, v in row.fields.items()}
    for field_id in {f for _, f in values}:
        await uow.session.execute(
            delete(ContactFieldValue).where(
                ContactFieldValue.workspace_id == workspace_id,
                ContactFieldValue.field_id == field_id,
                ContactFieldValue.contact_id.in_([c for c, f in values if f == field_id]),
            )
        )
    uow.session.add_all(
        ContactFieldValue(
            workspace_id=workspace_id, contact_id=c, field_id=f, value=v, updated_at=now
        )
        for (c, f), v in values.items()
    )


async def import_batch(
    uow: UnitOfWork,
    record: ContactImport,
    batch: list[tuple[int, list[str]]],
    words: Vocabulary,
    known: Known,
) -> BatchResult:
    """Create or update the contacts of one batch of rows (not committed)."""
    positions = check_mapping(record.columns, record.mapping or {}, words.fields)
    result = BatchResult()
    parsed: list[ParsedRow] = []
    for number, cells in batch:
        outcome = parse_row(number, cells, positions, words)
        if isinstance(outcome, list):
            result.errors.extend(outcome)
        else:
            parsed.append(outcome)
    contacts = await _load(uow, record.workspace_id, parsed, known)
    new: dict[uuid.UUID, NewContact] = {}
    targets: list[tuple[uuid.UUID, ParsedRow]] = []
    touched: set[uuid.UUID] = set()
    for row in parsed:
        contact_id = known.find(row)
        contact: Contact | NewContact | None = None
        if contact_id:
            contact = contacts.get(contact_id) or new.get(contact_id)
        if contact is None:
            contact = _new_contact(row)
            new[contact.id] = contact
            known.learn(contact)
            result.created.append(contact.id)
        else:
            if _fill(contact, row) or row.tag_ids or row.fields:
                touched.add(contact.id)
            result.updated.append(contact.id)
        targets.append((contact.id, row))
    now = uow.now()
    for contact_id in touched - set(new):
        known_contact = contacts[contact_id]
        known_contact.version, known_contact.updated_at = known_contact.version + 1, now
    await uow.session.flush()
    await _insert(uow, record.workspace_id, list(new.values()))
    await _links(uow, record.workspace_id, targets)
    return result


async def _vocabulary(runtime: Runtime, record: ContactImport) -> Vocabulary:
    async with runtime.database.read_session() as db:
        tags = await db.execute(
            select(Tag.name, Tag.id).where(Tag.workspace_id == record.workspace_id)
        )
        fields = await workspace_fields(db, record.workspace_id)
    return Vocabulary(
        tags={name.lower(): tag_id for name, tag_id in tags.all()},
        fields=fields,
        region=record.default_region,
    )


async def _locked(uow: UnitOfWork, import_id: uuid.UUID) -> ContactImport | None:
    return await uow.session.scalar(
        select(ContactImport).where(ContactImport.id == import_id).with_for_update()
    )


async def _begin(runtime: Runtime, import_id: uuid.UUID) -> ContactImport | None:
    """Mark the import running with its counts at zero; None when there is nothing to do."""
    async with runtime.uow() as uow:
        record = await _locked(uow, import_id)
        if record is None or record.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return None
        record.status, record.started_at = ImportStatus.RUNNING, uow.now()
        record.rows_done = record.rows_created = record.rows_updated = record.rows_failed = 0
        record.row_errors = []
        uow.emit(import_event(record))
        await uow.commit()
        return record


async def run_import(runtime: Runtime, import_id: uuid.UUID) -> None:
    record = await _begin(runtime, import_id)
    if record is None:
        return
    data = await storage_of(runtime).get(record.file_key)
    words = await _vocabulary(runtime, record)
    known = Known()
    errors: list[dict[str, object]] = []
    for batch in _batches(rows(decode_as(data, record.encoding), record.delimiter)):
        async with runtime.uow() as uow:
            row = await _locked(uow, import_id)
            if row is None:  # deleted meanwhile
                return
            result = await import_batch(uow, row, batch, words, known)
            errors.extend(e.as_dict() for e in result.errors)
            row.rows_done += len(batch)
            row.rows_created += len(result.created)
            row.rows_updated += len(result.updated)
            row.rows_failed += len({e.row for e in result.errors})
            row.row_errors = errors[:MAX_ERRORS_KEPT]
            uow.emit(import_event(row))
            uow.emit(
                ContactsImported(
                    workspace_id=row.workspace_id,
                    audience=(workspace_key(row.workspace_id),),
                    data={
                        "import_id": str(row.id),
                        "created_ids": [str(i) for i in result.created],
                        "updated_ids": [str(i) for i in dict.fromkeys(result.updated)],
                    },
                )
            )
            await uow.commit()
    await _finish(runtime, import_id, ImportStatus.DONE, None)


async def _finish(runtime: Runtime, import_id: uuid.UUID, status: str, error: str | None) -> None:
    """Record the end; the uploaded file, personal data no longer needed, is deleted."""
    async with runtime.uow() as uow:
        record = await _locked(uow, import_id)
        if record is None or record.status in (ImportStatus.DONE, ImportStatus.FAILED):
            return
        record.status, record.error, record.finished_at = status, error, uow.now()
        uow.emit(import_event(record))
        await uow.commit()
    await storage_of(runtime).delete(record.file_key)
    log.info("contact import %s: %s", import_id, status)


async def fail_import(runtime: Runtime, import_id: uuid.UUID, error: str) -> None:
    await _finish(runtime, import_id, ImportStatus.FAILED, error[:500])
