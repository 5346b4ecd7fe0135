"""Reading the event log for catch-up: everything after a cursor that a socket may see."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.outbox import EventLogEntry
from frontdesk.db.uow import StoredEvent

BATCH = 500


async def oldest_event_id(db: AsyncSession) -> int | None:
    value = await db.scalar(select(func.min(EventLogEntry.id)))
    return int(value) if value is not None else None


async def events_after(
    db: AsyncSession, workspace_id: uuid.UUID, after: int, keys: frozenset[str], up_to: int
) -> AsyncIterator[StoredEvent]:
    """The workspace's events in (after, up_to] whose audience meets `keys`, in id order."""
    cursor = after
    while cursor < up_to:
        rows = (
            await db.scalars(
                select(EventLogEntry)
                .where(
                    EventLogEntry.id > cursor,
                    EventLogEntry.id <= up_to,
                    or_(
                        EventLogEntry.workspace_id == workspace_id,
                        EventLogEntry.workspace_id.is_(None),
                    ),
                )
                .order_by(EventLogEntry.id)
                .limit(BATCH)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            cursor = row.id
            if keys.intersection(row.audience):
                yield StoredEvent(
                    id=row.id,
                    workspace_id=row.workspace_id,
                    type=row.type,
                    audience=tuple(row.audience),
                    payload=row.payload,
                    created_at=row.created_at,
                )
        if len(rows) < BATCH:
            return
