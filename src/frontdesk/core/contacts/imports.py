"""Importing contacts from a CSV: upload (columns and a preview), start with a mapping (a
job does the rows), follow the progress, read the refused rows.

Owners and managers import. The file is kept in the object store for the job; the import's
record keeps its counts and every refused row, for the report.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.attachments.storage import Storage
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.contacts.imports_csv import guess_mapping, plain_label, read_shape
from frontdesk.core.contacts.imports_models import ContactImport, ImportStatus
from frontdesk.core.contacts.imports_rows import check_mapping
from frontdesk.core.contacts.imports_schemas import (
    ContactImportRead,
    ContactImportStart,
    ImportRowError,
)
from frontdesk.core.contacts.models import CustomFieldDefinition
from frontdesk.core.errors import Conflict, NotFound
from frontdesk.core.events import define_event, user_key
from frontdesk.db.ids import new_id
from frontdesk.db.uow import UnitOfWork

# To the member who imports: their screen moves the progress bar.
ContactImportUpdated = define_event("ContactImportUpdated", "contact_import.updated")

IMPORT_JOB = "contact_import"
RECENT = 20
ERRORS_SHOWN = 100
SAFE_NAME = 120


async def workspace_fields(
    db: AsyncSession, workspace_id: uuid.UUID
) -> dict[str, CustomFieldDefinition]:
    """The fields a column may fill (not archived), by key."""
    rows = await db.scalars(
        select(CustomFieldDefinition).where(
            CustomFieldDefinition.workspace_id == workspace_id,
            CustomFieldDefinition.archived_at.is_(None),
        )
    )
    return {f.key: f for f in rows}


def import_read(record: ContactImport, **extra: Any) -> ContactImportRead:
    return ContactImportRead(
        id=record.id,
        file_name=record.file_name,
        size_bytes=record.size_bytes,
        encoding=record.encoding,
        delimiter=record.delimiter,
        columns=record.columns,
        mapping=record.mapping,
        default_region=record.default_region,
        status=record.status,  # type: ignore[arg-type]
        rows_total=record.rows_total,
        rows_done=record.rows_done,
        rows_created=record.rows_created,
        rows_updated=record.rows_updated,
        rows_failed=record.rows_failed,
        row_errors=[ImportRowError(**e) for e in (record.row_errors or [])[:ERRORS_SHOWN]],
        error=record.error,
        error_report_url=(
            f"/api/v1/contact-imports/{record.id}/errors" if record.rows_failed else None
        ),
        created_at=record.created_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
        **extra,
    )


def import_event(record: ContactImport) -> Any:
    audience = (user_key(record.requested_by_user_id),) if record.requested_by_user_id else ()
    data = import_read(record).model_dump(mode="json")
    return ContactImportUpdated(workspace_id=record.workspace_id, audience=audience, data=data)


def _file_name(raw: str | None) -> str:
    name = (raw or "contacts.csv").replace("/", "_").replace("\\", "_").strip() or "contacts.csv"
    return name[-SAFE_NAME:]


async def upload_import(
    uow: UnitOfWork, actor: Actor, storage: Storage, name: str | None, data: bytes
) -> ContactImportRead:
    """Keep the file and describe it: columns, a preview and a guessed mapping."""
    actor.require_admin()
    # Decoding and counting up to 10 MB is CPU work: off the loop that serves the process.
    shape = await asyncio.to_thread(read_shape, data)
    fields = await workspace_fields(uow.session, actor.workspace_id)
    labels = {plain_label(f.label): k for k, f in fields.items()} | {k: k for k in fields}
    record = ContactImport(
        id=new_id(),
        workspace_id=actor.workspace_id,
        requested_by_user_id=actor.user_id,
        file_name=_file_name(name),
        file_key="",
        size_bytes=len(data),
        encoding=shape.encoding,
        delimiter=shape.delimiter,
        columns=shape.columns,
        status=ImportStatus.UPLOADED,
        rows_total=shape.rows_total,
        rows_done=0,
        rows_created=0,
        rows_updated=0,
        rows_failed=0,
        row_errors=[],
        created_at=uow.now(),
    )
    record.file_key = f"contact-imports/{actor.workspace_id}/{record.id}/source.csv"
    await storage.put(record.file_key, data, "text/csv")
    uow.session.add(record)
    await uow.session.flush()
    uow.emit(import_event(record))
    return import_read(
        record,
        preview=shape.preview,
        suggested_mapping=guess_mapping(shape.columns, labels),
    )


async def start_import(
    uow: UnitOfWork, actor: Actor, record: ContactImport, body: ContactImportStart
) -> ContactImportRead:
    """Check the mapping and queue the job; 409 once started."""
    actor.require_admin()
    if record.status != ImportStatus.UPLOADED:
        raise Conflict("this import has started already")
    fields = await workspace_fields(uow.session, actor.workspace_id)
    check_mapping(record.columns, body.mapping, fields)
    record.mapping = dict(body.mapping)
    record.default_region = body.default_region
    record.status = ImportStatus.QUEUED
    await uow.session.flush()
    uow.enqueue(
        IMPORT_JOB, {"import_id": str(record.id)}, workspace_id=actor.workspace_id, max_attempts=3
    )
    uow.emit(import_event(record))
    record_audit(
        uow,
        actor,
        "contact_import.started",
        "contact_import",
        record.id,
        file_name=record.file_name,
        rows=record.rows_total,
        mapping=sorted(set(body.mapping.values())),
    )
    return import_read(record)


async def access_import(
    db: AsyncSession, actor: Actor, import_id: uuid.UUID, *, for_update: bool = False
) -> ContactImport:
    """An import of the actor's workspace (owners and managers); else "not found"."""
    actor.require_admin()
    query = select(ContactImport).where(
        ContactImport.id == import_id, ContactImport.workspace_id == actor.workspace_id
    )
    if for_update and db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    record = await db.scalar(query)
    if record is None:
        raise NotFound("contact import")
    return record


async def list_imports(db: AsyncSession, actor: Actor) -> list[ContactImport]:
    actor.require_admin()
    return list(
        await db.scalars(
            select(ContactImport)
            .where(ContactImport.workspace_id == actor.workspace_id)
            .order_by(ContactImport.created_at.desc(), ContactImport.id.desc())
            .limit(RECENT)
        )
    )
