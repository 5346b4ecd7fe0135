"""Running an export: count the rows, write them batch after batch with the progress recorded
(and sent to the requester's screen), store the file, and later delete it once expired.

The file is written to a temporary file as the rows come (CSV row by row, XLSX streamed by
openpyxl), then handed to the object store. A run that fails part-way starts again from the
first row on the job's next attempt; when the job gives up, the export is marked failed.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from frontdesk.core.attachments.storage import Storage
from frontdesk.core.reports.exports.actions import (
    expired_exports,
    export_event,
    file_name,
    forget_export,
    spec_of,
)
from frontdesk.core.reports.exports.models import ExportStatus, ReportExport
from frontdesk.core.reports.exports.sources import source_for
from frontdesk.core.reports.exports.writers import CONTENT_TYPES, Cell, RowWriter, open_writer
from frontdesk.core.runtime import Runtime

log = logging.getLogger("frontdesk.reports.exports")

CLEANUP_BATCH = 200


def storage_of(runtime: Runtime) -> Storage:
    if runtime.storage is None:
        raise RuntimeError("no storage is configured for files")
    return runtime.storage


async def _update(runtime: Runtime, export_id: uuid.UUID, **values: object) -> bool:
    """Apply values to a running (or queued) export and tell its requester; False if gone."""
    async with runtime.uow() as uow:
        export = await uow.session.scalar(
            select(ReportExport).where(ReportExport.id == export_id).with_for_update()
        )
        if export is None or export.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return False
        for name, value in values.items():
            setattr(export, name, value)
        uow.emit(export_event(export))
        await uow.commit()
    return True


def _write_rows(writer: RowWriter, rows: Sequence[Sequence[Cell]]) -> None:
    for row in rows:
        writer.write(row)


async def run_export(runtime: Runtime, export_id: uuid.UUID) -> None:
    async with runtime.database.read_session() as db:
        export = await db.scalar(select(ReportExport).where(ReportExport.id == export_id))
    if export is None or export.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return
    now = runtime.clock.now()
    spec = spec_of(export, now)
    source = source_for(spec, now)
    async with runtime.database.read_session() as db:
        total = await source.count(db)
    if not await _update(
        runtime, export_id, status=ExportStatus.RUNNING, rows_done=0, rows_total=total
    ):
        return
    storage = storage_of(runtime)
    name = file_name(export)
    with tempfile.TemporaryDirectory(prefix="frontdesk-export-") as folder:
        path = Path(folder) / name
        writer = open_writer(export.format, path, spec.period.zone, export.kind)
        try:
            writer.write(source.header)
            done = 0
            async for rows in source.batches(runtime.database.read_session):
                # Formatting rows (and saving a workbook, below) is CPU work: off the event
                # loop, which serves the process's requests and sockets meanwhile.
                await asyncio.to_thread(_write_rows, writer, rows)
                done += len(rows)
                if rows and not await _update(
                    runtime, export_id, rows_done=done, rows_total=max(total, done)
                ):
                    return
        finally:
            await asyncio.to_thread(writer.close)
        data = await asyncio.to_thread(path.read_bytes)
    key = f"exports/{export.workspace_id}/{export_id}/{name}"
    await storage.put(key, data, CONTENT_TYPES[export.format])
    finished = await _update(
        runtime,
        export_id,
        status=ExportStatus.DONE,
        rows_done=done,
        rows_total=done,
        file_key=key,
        file_name=name,
        size_bytes=len(data),
        finished_at=runtime.clock.now(),
    )
    if not finished:  # deleted meanwhile: keep no orphan file
        await storage.delete(key)
    log.info("export %s: %s rows, %s bytes", export_id, done, len(data))


async def fail_export(runtime: Runtime, export_id: uuid.UUID, error: str) -> None:
    await _update(
        runtime,
        export_id,
        status=ExportStatus.FAILED,
        error=error[:500],
        finished_at=runtime.clock.now(),
    )


async def delete_expired_exports(runtime: Runtime) -> int:
    """Delete the files and records of exports past their expiry; how many went."""
    removed = 0
    while True:
        async with runtime.database.read_session() as db:
            expired = await expired_exports(db, runtime.clock.now(), CLEANUP_BATCH)
        for export in expired:
            if export.file_key:
                await storage_of(runtime).delete(export.file_key)
            async with runtime.uow() as uow:
                await forget_export(uow, export)
                await uow.commit()
            removed += 1
        if len(expired) < CLEANUP_BATCH:
            return removed
