"""The report job's actions: read new events into facts and rollups; replay the log (backfill).

One cursor row (`report_cursor`, id 1) says how far the log has been read. Each batch holds that
row's lock (PostgreSQL `FOR UPDATE`; SQLite's single writer), writes the batch's facts and
rebuilds the rollups of the hours they fall in, and moves the cursor, all in one transaction:
a batch is applied exactly once, and two workers never rebuild the same hour at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.events import define_event, workspace_key
from frontdesk.core.reports.facts import FactWriter
from frontdesk.core.reports.models import ReportCursor
from frontdesk.core.reports.recorder import READ_EVENTS, Recorder
from frontdesk.core.reports.rollups import rebuild_cells
from frontdesk.core.workflows.routes import settle_replies
from frontdesk.core.workspaces.models import Workspace
from frontdesk.db.outbox import EventLogEntry
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored

# Tells the workspace's open reports that today's figures moved (no figures in it).
ReportsUpdated = define_event("ReportsUpdated", "reports.updated")

# Small batches: the job shares its process with the web server, which answers between batches.
BATCH_SIZE = 100


@dataclass(frozen=True)
class Progress:
    events_read: int
    facts_written: int
    last_event_id: int


async def _lock_cursor(uow: UnitOfWork) -> ReportCursor:
    session = uow.session
    await insert_unless_stored(
        session,
        ReportCursor,
        {"id": 1, "last_event_id": 0, "updated_at": uow.now()},
        ("id",),
        ReportCursor.id,
    )
    cursor = await session.scalar(
        select(ReportCursor).where(ReportCursor.id == 1).with_for_update()
    )
    if cursor is None:  # pragma: no cover - inserted just above
        raise RuntimeError("the report cursor is missing")
    await session.refresh(cursor)
    return cursor


async def _events(
    session: AsyncSession,
    after: int,
    limit: int,
    *,
    up_to: int | None = None,
    workspace_id: uuid.UUID | None = None,
) -> list[EventLogEntry]:
    query = select(EventLogEntry).where(
        EventLogEntry.id > after, EventLogEntry.type.in_(READ_EVENTS)
    )
    if up_to is not None:
        query = query.where(EventLogEntry.id <= up_to)
    if workspace_id is not None:
        query = query.where(EventLogEntry.workspace_id == workspace_id)
    return list(await session.scalars(query.order_by(EventLogEntry.id).limit(limit)))


def _tell(uow: UnitOfWork, writer: FactWriter) -> None:
    for workspace_id in sorted({ws for ws, _ in writer.touched}, key=str):
        uow.emit(
            ReportsUpdated(
                workspace_id=workspace_id,
                audience=(workspace_key(workspace_id),),
                data={
                    "hours": sorted(h.isoformat() for w, h in writer.touched if w == workspace_id)
                },
            )
        )


async def record_report_facts(
    uow: UnitOfWork, *, limit: int = BATCH_SIZE, abandon_after: timedelta | None = None
) -> Progress:
    """Read the next batch of events into facts and rollups, and mark idle waits abandoned."""
    cursor = await _lock_cursor(uow)
    head = await uow.session.scalar(
        select(EventLogEntry.id).order_by(EventLogEntry.id.desc()).limit(1)
    )
    events = await _events(uow.session, cursor.last_event_id, limit)
    writer = FactWriter(uow.session)
    recorder = Recorder(writer, abandon_after=abandon_after)
    for event in events:
        await recorder.apply(event)
    await uow.session.flush()
    await settle_replies(uow, recorder.replies)
    await recorder.abandon_idle(uow.now())
    await writer.flush()
    await rebuild_cells(uow.session, writer.cells)
    # Skipped event types move the cursor too: up to the last event read, or the head when
    # this batch read everything there was. Events committed after `head` was read may be in
    # the batch: the cursor never moves back before them (reading one twice would apply it
    # twice to the segment it follows).
    last_read = events[-1].id if events else cursor.last_event_id
    if len(events) < limit and head is not None:
        cursor.last_event_id = max(cursor.last_event_id, int(head), last_read)
    else:
        cursor.last_event_id = max(cursor.last_event_id, last_read)
    cursor.updated_at = uow.now()
    _tell(uow, writer)
    return Progress(len(events), writer.written, cursor.last_event_id)


async def backfill_reports(
    uow_factory: Callable[[], UnitOfWork],
    *,
    workspace_id: uuid.UUID | None = None,
    batch_size: int = BATCH_SIZE,
    abandon_after: timedelta | None = None,
) -> Progress:
    """Replay the event log kept (from its start to its head as the replay starts) into facts.

    Facts already stored are left as they are (their keys come from the events), so running it
    again writes nothing; the hours it adds facts to are rebuilt. Segments are followed in
    memory, leaving the live job's progress alone: when it reads the same events later it
    writes the same keys, so nothing is counted twice.
    """
    read = written = 0
    after = 0
    head: int | None = None
    recorder: Recorder | None = None
    while True:
        async with uow_factory() as uow:
            await _lock_cursor(uow)  # one writer of facts and rollups at a time
            if head is None:
                head = int(await uow.session.scalar(select(func.max(EventLogEntry.id))) or 0)
            events = await _events(
                uow.session, after, batch_size, up_to=head, workspace_id=workspace_id
            )
            writer = FactWriter(uow.session)
            recorder = recorder or Recorder(writer, persist=False, abandon_after=abandon_after)
            recorder.use(writer)
            for event in events:
                await recorder.apply(event)
            if len(events) < batch_size:
                await recorder.abandon_idle(uow.now())
            await writer.flush()
            await rebuild_cells(uow.session, writer.cells)
            _tell(uow, writer)
            await uow.commit()
        read, written = read + len(events), written + writer.written
        if len(events) < batch_size:
            return Progress(read, written, events[-1].id if events else after)
        after = events[-1].id


async def read_up_to(session: AsyncSession) -> int | None:
    """The last event the report job has read; None when it has never run."""
    return await session.scalar(select(ReportCursor.last_event_id).where(ReportCursor.id == 1))


async def workspace_by_slug(session: AsyncSession, slug: str) -> Workspace | None:
    return await session.scalar(select(Workspace).where(Workspace.slug == slug))
