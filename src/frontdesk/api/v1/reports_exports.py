"""Report exports: ask for a CSV or XLSX file of a report, follow its progress, download it.

The file is written by a job (`report_export`); the requester's socket gets
`report_export.updated` as it goes. Each export is its requester's alone.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.errors import Conflict, NotFound
from frontdesk.core.reports.exports.actions import (
    export_read,
    get_export,
    list_exports,
    request_export,
)
from frontdesk.core.reports.exports.models import ExportStatus
from frontdesk.core.reports.exports.run import storage_of
from frontdesk.core.reports.exports.schemas import ExportCreate, ExportList, ExportRead
from frontdesk.core.reports.exports.writers import CONTENT_TYPES

router = APIRouter()


@router.post("", status_code=201, responses=error_responses(409))
async def create_export(body: ExportCreate, actor: ActorDep, uow: UowDep) -> ExportRead:
    """Queue an export of a report with the report's filters (an agent: their own rows only;
    the overview: owners, managers and viewers). 409 when three of the caller's exports are
    already waiting or running."""
    export = await request_export(uow, actor, body)
    read = export_read(export)
    await uow.commit()
    return read


@router.get("")
async def read_exports(actor: ActorDep, db: ReaderDep) -> ExportList:
    """The caller's recent exports, newest first."""
    return ExportList(items=[export_read(e) for e in await list_exports(db, actor)])


@router.get("/{export_id}")
async def read_export(export_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> ExportRead:
    """An export's status and progress (rows done of the total)."""
    return export_read(await get_export(db, actor, export_id))


def _disposition(name: str) -> str:
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


@router.get(
    "/{export_id}/download", response_class=StreamingResponse, responses=error_responses(409)
)
async def download_export(
    export_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> StreamingResponse:
    """The file, once the export is done (409 before)."""
    export = await get_export(db, actor, export_id)
    if export.status != ExportStatus.DONE or not export.file_key:
        raise Conflict("the export is not ready")
    storage = storage_of(runtime)
    if not await storage.exists(export.file_key):
        raise NotFound("export")
    headers = {
        "Content-Disposition": _disposition(export.file_name or f"export.{export.format}"),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    body: AsyncIterator[bytes] = storage.stream(export.file_key)
    return StreamingResponse(body, media_type=CONTENT_TYPES[export.format], headers=headers)
