"""Contact imports: upload a CSV, map its columns and start, follow the job, get the report.

Owners and managers only. The job (`contact_import`) sends `contact_import.updated` to the
importer's socket as each batch of rows is written.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.datastructures import UploadFile

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.api.v1.attachments import check_declared_length
from frontdesk.core.contacts.imports import (
    access_import,
    import_read,
    list_imports,
    start_import,
    upload_import,
)
from frontdesk.core.contacts.imports_csv import MAX_BYTES
from frontdesk.core.contacts.imports_schemas import (
    ContactImportList,
    ContactImportRead,
    ContactImportStart,
)
from frontdesk.core.errors import Invalid
from frontdesk.core.reports.exports.run import storage_of
from frontdesk.core.reports.exports.writers import inert

router = APIRouter()

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.post("", status_code=201, openapi_extra=UPLOAD_BODY, responses=error_responses(413))
async def upload_contacts_csv(
    request: Request, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> ContactImportRead:
    """Upload a CSV (multipart field `file`, up to 10 MB, UTF-8 or Latin-1, comma, semicolon
    or tab): the answer names its columns, shows the first rows and guesses a mapping."""
    actor.require_admin()
    check_declared_length(request, MAX_BYTES)
    async with request.form(max_files=1, max_fields=1) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise Invalid("send the file in the multipart field 'file'", field="file")
        data = await upload.read(MAX_BYTES + 1)
        read = await upload_import(uow, actor, storage_of(runtime), upload.filename, data)
    await uow.commit()
    return read


@router.get("")
async def read_contact_imports(actor: ActorDep, db: ReaderDep) -> ContactImportList:
    """The workspace's recent imports, newest first."""
    return ContactImportList(items=[import_read(r) for r in await list_imports(db, actor)])


@router.get("/{import_id}")
async def read_contact_import(
    import_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> ContactImportRead:
    """An import's status, progress and first refused rows."""
    return import_read(await access_import(db, actor, import_id))


@router.post("/{import_id}/start", responses=error_responses(409))
async def start_contact_import(
    import_id: uuid.UUID, body: ContactImportStart, actor: ActorDep, uow: UowDep
) -> ContactImportRead:
    """Start with a mapping of columns to what they fill (409 once started)."""
    record = await access_import(uow.session, actor, import_id, for_update=True)
    read = await start_import(uow, actor, record, body)
    await uow.commit()
    return read


@router.get("/{import_id}/errors", response_class=StreamingResponse)
async def download_import_errors(
    import_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> StreamingResponse:
    """Every refused row as CSV: its line, the column, why, and the value as given."""
    record = await access_import(db, actor, import_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "column", "error", "value"])
    for error in record.row_errors or []:
        writer.writerow(
            [error["row"], inert(error["column"]), error["code"], inert(error["value"])]
        )
    name = f"import-errors-{record.id}.csv"
    return StreamingResponse(
        iter(["\ufeff" + buffer.getvalue()]),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
