"""The unit of work: one transaction that commits a change with its events and jobs.

Events and jobs are written in the same transaction as the rows they describe, so a commit
makes all three durable together. After the commit the stored events are handed to the
publisher (the live broker); losing that publish loses nothing, since clients catch up from
the event log by cursor.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from frontdesk.db.outbox import EventLogEntry, Job


class OutboxEvent(Protocol):
    """What the unit of work needs from a domain event."""

    @property
    def type(self) -> str: ...

    @property
    def workspace_id(self) -> uuid.UUID | None: ...

    @property
    def audience(self) -> Sequence[str]: ...

    def to_payload(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class StoredEvent:
    id: int
    workspace_id: uuid.UUID | None
    type: str
    audience: tuple[str, ...]
    payload: dict[str, Any]
    created_at: datetime


Publisher = Callable[[Sequence[StoredEvent]], Awaitable[None]]
Now = Callable[[], datetime]


async def _publish_nowhere(_events: Sequence[StoredEvent]) -> None:
    return None


def _dialect(session: AsyncSession) -> str:
    """The session's dialect, without `get_bind()` (which on SQLite asks for the writer)."""
    name = getattr(session.sync_session, "dialect_name", None)
    return name if isinstance(name, str) else session.get_bind().dialect.name


@dataclass
class UnitOfWork:
    """Use as `async with uow_factory() as uow:`; call `await uow.commit()` to keep the work."""

    session: AsyncSession
    now: Now
    publisher: Publisher = _publish_nowhere
    _events: list[OutboxEvent] = field(default_factory=list)
    _jobs: list[Job] = field(default_factory=list)
    _after_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    committed: list[StoredEvent] = field(default_factory=list)

    def emit(self, event: OutboxEvent) -> None:
        self._events.append(event)

    def enqueue(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        workspace_id: uuid.UUID | None = None,
        delay: timedelta | None = None,
        run_at: datetime | None = None,
        max_attempts: int = 8,
    ) -> None:
        now = self.now()
        when = run_at or (now + delay if delay else now)
        self._jobs.append(
            Job(
                workspace_id=workspace_id,
                kind=kind,
                payload=payload,
                status="pending",
                run_at=when,
                attempts=0,
                max_attempts=max_attempts,
                created_at=now,
                updated_at=now,
            )
        )

    def checkpoint(self) -> tuple[int, int]:
        """Where the pending events and jobs stand; `rewind` drops what was added after
        (with a savepoint rolled back, its events and jobs must go too)."""
        return len(self._events), len(self._jobs)

    def rewind(self, checkpoint: tuple[int, int]) -> None:
        del self._events[checkpoint[0] :]
        del self._jobs[checkpoint[1] :]

    def after_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        self._after_commit.append(callback)

    async def commit(self) -> list[StoredEvent]:
        now = self.now()
        entries = [
            EventLogEntry(
                workspace_id=event.workspace_id,
                type=event.type,
                audience=list(event.audience),
                payload=event.to_payload(),
                created_at=now,
            )
            for event in self._events
        ]
        # Everything else first, outside the event-log lock: row locks (a conversation's) are
        # waited for here, while no other transaction waits on this one's events.
        self.session.add_all(self._jobs)
        if entries and _dialect(self.session) == "postgresql":
            await self.session.flush()
            # Event ids must become visible in id order, or a reader resuming from a cursor could
            # skip an event committed late with a smaller id: event-writing transactions take
            # their ids and commit one at a time, holding this lock only for the insert of
            # their events and the commit (docs/decisions/0031-queued-writer-and-event-order.md).
            # SQLite has one writer: its ids are in commit order already.
            await self.session.execute(text("SELECT pg_advisory_xact_lock(7461524)"))
        self.session.add_all(entries)
        await self.session.flush()
        stored = [
            StoredEvent(
                id=entry.id,
                workspace_id=entry.workspace_id,
                type=entry.type,
                audience=tuple(entry.audience),
                payload=entry.payload,
                created_at=entry.created_at,
            )
            for entry in entries
        ]
        await self.session.commit()
        self._events.clear()
        self._jobs.clear()
        self.committed.extend(stored)
        if stored:
            await self.publisher(stored)
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            await callback()
        return stored

    async def rollback(self) -> None:
        self._events.clear()
        self._jobs.clear()
        self._after_commit.clear()
        await self.session.rollback()

    async def __aenter__(self) -> UnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._events or self._jobs or self.session.in_transaction():
            await self.rollback()
        await self.session.close()


@dataclass(frozen=True)
class UnitOfWorkFactory:
    sessions: async_sessionmaker[AsyncSession]
    now: Now
    publisher: Publisher = _publish_nowhere

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(session=self.sessions(), now=self.now, publisher=self.publisher)
