"""SQLite sessions that read on a reader connection and queue for the one writer connection.

SQLite has one writer. Before, every unit of work began with `BEGIN IMMEDIATE`, so a request
held the write lock from its first read to its commit, and the requests waiting for it slept
in SQLite's busy handler and woke in no particular order. Now:

- `WriterQueue` hands the process's single writer connection to one session at a time, in the
  order they asked (`asyncio.Lock` wakes its waiters first come, first served); no request of
  this process ever waits in the busy handler (another process on the same file still may).
- `RoutedSession` runs a transaction's statements on a reader connection (WAL: a consistent
  snapshot that blocks nobody) until the transaction first writes or locks, then queues for
  the writer, begins `BEGIN IMMEDIATE` there and runs every later statement on it (so it reads
  its own writes and the newest data). The writer is handed on when the transaction ends, or,
  for a session dropped mid-transaction, when the task that took it ends (a cancellation inside
  the connection's rollback escapes before the session hears its transaction ended) or when the
  session is collected; a write that waits too long is told which task holds the writer and
  where it stands.

What counts as "writes or locks" (see `_starts_writing`): a flush, an INSERT/UPDATE/DELETE,
a `SELECT … FOR UPDATE` (compiled away on SQLite, but on PostgreSQL the same code takes a row
lock there), a textual statement that is not a SELECT, and `session.get_bind()` called with no
arguments: in this code base that call is how a function asks for the dialect right before
taking a PostgreSQL lock (`if for_update and db.get_bind().dialect.name == "postgresql"`), where
SQLite relies on its single writer, so on SQLite it means "serialise me from here".

Reads before that point see the snapshot of the transaction's first read, which may be older
than the writer's view by the time the write starts, exactly as a plain read under PostgreSQL's
READ COMMITTED may be stale by its transaction's commit: whatever a decision must read fresh is
read with a lock (`for_update`), on either database.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.util.concurrency import await_, in_greenlet

READ_WORDS = ("select", "with", "explain", "values")
MAX_FRAMES = 100  # of a holder's stack, when a waiting write names it


class WriterBusy(TimeoutError):
    """The writer stayed taken longer than a write may wait."""


@dataclass(eq=False)
class WriterHold:
    """One session's turn at the writer; released once, by its session or by its finalizer."""

    queue: WriterQueue
    lock: asyncio.Lock | None
    loop: asyncio.AbstractEventLoop
    # Weak: a finalizer keeps the hold, and the task's frames keep the session.
    task: weakref.ref[asyncio.Task[Any]] | None
    since: float

    def release(self) -> None:
        lock, self.lock = self.lock, None
        if lock is None:
            return
        task = self.task() if self.task is not None else None
        if task is not None:
            task.remove_done_callback(self.task_ended)
        if self.queue.holder is self:
            self.queue.holder = None
        lock.release()

    def task_ended(self, _: asyncio.Task[Any]) -> None:
        """The task that took the writer is done and its session never said the transaction
        ended (a cancellation inside the connection's rollback escapes before the session hears
        of it); the task's exception keeps the session alive, so its finalizer would not run.
        The writer connection itself is guarded by its pool of one."""
        self.release()

    def release_soon(self) -> None:
        """From a finalizer (any thread, any moment): hand the writer on in its own loop."""
        if self.lock is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.release)

    def describe(self) -> str:
        held = time.monotonic() - self.since
        task = self.task() if self.task is not None else None
        if task is None:
            return f"held for {held:.1f} s"
        where = [
            f"{Path(f.f_code.co_filename).name}:{f.f_lineno} {f.f_code.co_name}"
            for f in _awaiting_frames(task)
            if "frontdesk" in f.f_code.co_filename or "tests" in f.f_code.co_filename
        ]
        return f"held for {held:.1f} s by {task.get_name()} at {' < '.join(where[-6:]) or '?'}"


def _awaiting_frames(task: asyncio.Task[Any]) -> list[FrameType]:
    """Where a suspended task stands, outermost first (`Task.get_stack` gives only its top
    coroutine's frame): its coroutines, each down to the one it awaits."""
    frames: list[FrameType] = []
    awaited: Any = task.get_coro()
    while awaited is not None and len(frames) < MAX_FRAMES:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is not None:
            frames.append(frame)
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return frames


class WriterQueue:
    """The process's SQLite writer connection, handed out first come, first served."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.holder: WriterHold | None = None
        self.handed_out = 0
        self.waited = 0

    def _current(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:  # one lock per event loop
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock

    @property
    def waiting(self) -> int:
        """How many sessions are queued for the writer now."""
        lock = self._lock
        waiters = getattr(lock, "_waiters", None) if lock is not None else None
        return len(waiters) if waiters else 0

    async def acquire(self) -> WriterHold:
        lock = self._current()
        if lock.locked():
            self.waited += 1
        try:
            async with asyncio.timeout(self.timeout):
                await lock.acquire()
        except TimeoutError:
            holder = self.holder.describe() if self.holder is not None else "by nobody known"
            raise WriterBusy(
                f"waited {self.timeout:g} s for the database writer, {holder} "
                "(a unit of work opened inside another that writes?)"
            ) from None
        self.handed_out += 1
        task = asyncio.current_task()
        hold = WriterHold(
            self,
            lock,
            asyncio.get_running_loop(),
            weakref.ref(task) if task is not None else None,
            time.monotonic(),
        )
        self.holder = hold
        if task is not None:
            task.add_done_callback(hold.task_ended)
        return hold


def _starts_writing(clause: Any) -> bool:
    if isinstance(clause, UpdateBase):
        return True
    if getattr(clause, "_for_update_arg", None) is not None:
        return True
    if isinstance(clause, TextClause):
        words = clause.text.split(None, 1)
        return not words or words[0].lower() not in READ_WORDS
    return False


class RoutedSession(Session):
    """A session over a reader and the queued writer (SQLite); see the module's docstring.

    Subclassed per database by `bound()`; `writing = True` makes a session that takes the
    writer at its first statement (the old `BEGIN IMMEDIATE` behaviour, for code that reads
    and writes in one breath such as the job runner's claim).
    """

    reader: AsyncEngine
    writer: AsyncEngine
    queue: WriterQueue
    writing: bool = False
    dialect_name = "sqlite"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wants_writer = self.writing
        self._held: WriterHold | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    @classmethod
    def bound(
        cls, *, reader: AsyncEngine, writer: AsyncEngine, queue: WriterQueue, writing: bool
    ) -> type[RoutedSession]:
        name = "WriteSession" if writing else "UnitSession"
        attributes = {"reader": reader, "writer": writer, "queue": queue, "writing": writing}
        return type(name, (cls,), attributes)

    @property
    def holds_writer(self) -> bool:
        return self._held is not None

    def get_bind(
        self,
        mapper: Any = None,
        *,
        clause: Any = None,
        bind: Any = None,
        **kw: Any,
    ) -> Engine | Connection:
        if not self._wants_writer:
            if mapper is None and clause is None and bind is None:
                self._wants_writer = True  # a dialect check before a lock: see the docstring
            elif self._flushing or _starts_writing(clause):
                self._wants_writer = True
        if not self._wants_writer:
            return self.reader.sync_engine
        if self._held is None and in_greenlet():
            self._autobegin_t()  # so that the transaction's end hands the writer on
            self._held = await_(self.queue.acquire())
            # A session dropped mid-transaction (its task destroyed) never ends it: the
            # writer is handed on when the session is collected instead of never.
            self._finalizer = weakref.finalize(self, self._held.release_soon)
        return self.writer.sync_engine

    def _transaction_ended(self) -> None:
        held, self._held = self._held, None
        self._wants_writer = self.writing
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if held is not None:
            held.release()


@event.listens_for(RoutedSession, "after_transaction_end", propagate=True)
def _hand_on_the_writer(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and isinstance(session, RoutedSession):
        session._transaction_ended()
