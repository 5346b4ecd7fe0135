"""Who waits for whom when units of work write: SQLite's queued writer, PostgreSQL's event lock.

SQLite: one writer connection per process, handed out first come, first served; a unit of work
reads on a reader until it first writes, so reads never wait for a writer. PostgreSQL: the
event-log lock is taken only around the insert of the events and the commit, after every other
write, so a transaction waiting for a row lock never holds up the event log
(docs/decisions/0031-queued-writer-and-event-order.md).
"""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text

from frontdesk.db.engine import Database, create_database
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.db.sessions import RoutedSession, WriterBusy
from frontdesk.db.uow import UnitOfWork, UnitOfWorkFactory

WAIT = 10.0


@dataclass(frozen=True)
class Happened:
    type: str = "test.happened"
    workspace_id: uuid.UUID | None = None
    audience: tuple[str, ...] = ()
    payload: dict[str, Any] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        return self.payload


def _now() -> datetime:
    return datetime.now(UTC)


def _units(database: Database) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(database.unit_session, _now)


async def _until(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait for a condition another task brings about (polled: it lives in another session)."""
    async with asyncio.timeout(WAIT):
        while not await condition():  # noqa: ASYNC110 - the state is in another connection
            await asyncio.sleep(0.01)
    assert await condition(), what


def _routed(uow: UnitOfWork) -> RoutedSession:
    session = uow.session.sync_session
    assert isinstance(session, RoutedSession)
    return session


async def test_a_writer_waiting_for_a_row_never_holds_up_other_events(
    clean_database: Database,
) -> None:
    """A holds a job row; B changes it and emits an event (so waits); C emits an event; D reads.

    PostgreSQL: B waits for A's row lock before it takes the event-log lock, so C commits while
    A is still open and its event takes the smaller id. SQLite: B and C queue for the writer in
    that order and commit in it. On both, D's read never waits."""
    database = clean_database  # it reads the whole event log back
    units = _units(database)
    async with units() as setup:
        job = Job(kind="test", payload={}, status="pending", run_at=_now(), attempts=0)
        job.max_attempts, job.created_at, job.updated_at = 8, _now(), _now()
        setup.session.add(job)
        await setup.commit()
    done: list[str] = []

    async def change_the_row() -> None:
        async with units() as uow:
            row = await uow.session.get_one(Job, job.id)
            row.attempts += 1
            uow.emit(Happened(payload={"by": "B"}))
            await uow.commit()
            done.append("B")

    async def emit_only() -> None:
        async with units() as uow:
            uow.emit(Happened(payload={"by": "C"}))
            await uow.commit()
            done.append("C")

    async with units() as holder:
        locked = await holder.session.scalar(select(Job).where(Job.id == job.id).with_for_update())
        assert locked is not None
        b = asyncio.create_task(change_the_row())
        if database.is_sqlite:
            assert database.writer_queue is not None
            queue = database.writer_queue
            assert _routed(holder).holds_writer

            async def queued(n: int) -> bool:
                return queue.waiting == n

            await _until(lambda: queued(1), "B queues for the writer")
            c = asyncio.create_task(emit_only())
            await _until(lambda: queued(2), "C queues behind B")
        else:
            await _until(lambda: _row_lock_waits(database), "B waits for the row lock")
            c = asyncio.create_task(emit_only())
            await asyncio.wait_for(asyncio.shield(c), WAIT)  # C needs nothing B or A holds
            assert done == ["C"]
        # A read while the writer (SQLite) or the row (PostgreSQL) is held does not wait.
        async with units() as reader:
            assert await reader.session.get(Job, job.id) is not None
            if database.is_sqlite:
                assert not _routed(reader).holds_writer
            await reader.commit()
        assert "B" not in done
        await holder.commit()
    await asyncio.wait_for(asyncio.gather(b, c), WAIT)
    async with database.read_session() as db:
        events = (await db.scalars(select(EventLogEntry).order_by(EventLogEntry.id))).all()
        assert (await db.get_one(Job, job.id)).attempts == 1
    by_id = [e.payload["by"] for e in events]
    assert by_id == (["B", "C"] if database.is_sqlite else ["C", "B"])
    assert done == by_id  # id order is commit order


async def _row_lock_waits(database: Database) -> bool:
    async with database.read_session() as db:
        waiting = await db.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
        return bool(waiting)


@pytest.fixture
async def sqlite_file(tmp_path: Path) -> Any:
    database = create_database(f"sqlite+aiosqlite:///{tmp_path / 'queue.db'}")
    async with database.write_session() as s:
        await s.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)"))
        await s.commit()
    yield database
    await database.dispose()


async def test_sqlite_hands_the_writer_on_in_arrival_order(sqlite_file: Database) -> None:
    """Ten units queue behind a holder and write in the order they asked; reads never queue;
    a dialect check (a PostgreSQL lock's stand-in) asks for the writer; a rollback hands it on;
    a unit that waits too long fails clearly."""
    database = sqlite_file
    queue = database.writer_queue
    assert queue is not None
    order: list[str] = []

    async def write(who: str, *, fail: bool = False) -> None:
        async with database.unit_session() as s:
            assert await s.scalar(text("SELECT count(*) FROM t")) is not None
            assert not s.sync_session.holds_writer  # type: ignore[attr-defined]
            await s.execute(text("INSERT INTO t (who) VALUES (:who)"), {"who": who})
            assert s.sync_session.holds_writer  # type: ignore[attr-defined]
            order.append(who)
            if fail:
                raise RuntimeError("rolled back")
            await s.commit()

    async with database.unit_session() as holder:
        await holder.execute(text("INSERT INTO t (who) VALUES ('holder')"))
        tasks = []
        for n in range(10):
            tasks.append(asyncio.create_task(write(f"w{n}", fail=n == 3)))

            async def queued(k: int = n + 1) -> bool:
                return queue.waiting == k

            await _until(queued, f"w{n} queues")
        async with database.unit_session() as reader:  # reads the committed past, at once
            assert await reader.scalar(text("SELECT count(*) FROM t")) == 0
        await holder.commit()
    results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), WAIT)
    assert [type(r).__name__ for r in results].count("RuntimeError") == 1
    assert order == [f"w{n}" for n in range(10)]
    async with database.read_session() as db:
        stored = (await db.scalars(text("SELECT who FROM t ORDER BY id"))).all()
    assert stored == ["holder", *(f"w{n}" for n in range(10) if n != 3)]

    async with database.unit_session() as checking:
        assert checking.get_bind().dialect.name == "sqlite"
        await checking.scalar(text("SELECT count(*) FROM t"))
        assert checking.sync_session.holds_writer  # type: ignore[attr-defined]
        queue.timeout = 0.2
        async with database.unit_session() as late:
            with pytest.raises(WriterBusy):
                await late.execute(text("INSERT INTO t (who) VALUES ('late')"))
        await checking.rollback()
    assert not queue.waiting
    async with database.write_session() as after:  # the writer is free again
        await after.execute(text("INSERT INTO t (who) VALUES ('after')"))
        await after.commit()


async def test_a_session_dropped_without_ending_its_transaction_hands_the_writer_on(
    sqlite_file: Database,
) -> None:
    """A task that dies with its session mid-transaction (destroyed while pending, say) never
    ends the transaction, so nothing tells the writer it is free: when the session itself is
    collected the writer is handed on, and a write kept waiting meanwhile is told who holds
    the writer."""
    database = sqlite_file
    queue = database.writer_queue
    assert queue is not None
    dropped = database.unit_session()
    await dropped.execute(text("INSERT INTO t (who) VALUES ('dropped')"))
    assert dropped.sync_session.holds_writer  # type: ignore[attr-defined]
    queue.timeout = 0.2
    async with database.unit_session() as waiting:
        with pytest.raises(WriterBusy, match="test_a_session_dropped"):
            await waiting.execute(text("INSERT INTO t (who) VALUES ('waiting')"))
    del dropped
    gc.collect()
    queue.timeout = 2.0
    async with database.write_session() as after:
        await after.execute(text("INSERT INTO t (who) VALUES ('after')"))
        await after.commit()
    async with database.read_session() as db:
        assert (await db.scalars(text("SELECT who FROM t"))).all() == ["after"]


async def test_a_unit_cancelled_while_it_winds_up_still_hands_the_writer_on(
    sqlite_file: Database,
) -> None:
    """A request or socket task cancelled again and again (a server stopping, a socket closed)
    while its unit of work holds the writer and rolls back must not keep the writer: every
    later write of the process would wait for it until a restart."""
    database = sqlite_file
    queue = database.writer_queue
    assert queue is not None
    started = asyncio.Event()

    async def hold_the_writer() -> None:
        async with _units(database)() as uow:
            await uow.session.execute(text("INSERT INTO t (who) VALUES ('cancelled')"))
            assert _routed(uow).holds_writer
            started.set()
            await asyncio.Event().wait()  # until cancelled

    for _ in range(20):  # a cancellation may land at any await of the winding up
        started.clear()
        task = asyncio.create_task(hold_the_writer())
        await asyncio.wait_for(started.wait(), WAIT)
        while not task.done():
            task.cancel()
            await asyncio.sleep(0)
        with pytest.raises(asyncio.CancelledError):
            await task
    queue.timeout = 2.0
    async with database.write_session() as after:
        await after.execute(text("INSERT INTO t (who) VALUES ('after')"))
        await after.commit()
    async with database.read_session() as db:
        assert (await db.scalars(text("SELECT who FROM t"))).all() == ["after"]


@pytest.mark.parametrize("where", ["rollback", "reset"])
async def test_a_unit_cancelled_inside_its_rollback_hands_the_writer_on_when_its_task_ends(
    sqlite_file: Database, where: str
) -> None:
    """A cancellation that lands inside the writer connection's own rollback (the session's, or
    the pool's reset as the connection goes back) escapes before the session hears that its
    transaction ended. The dead task still holds the session through its exception, so
    waiting for the session to be collected left every other write waiting: the writer is
    handed on when the task that took it ends."""
    database = sqlite_file
    queue = database.writer_queue
    assert queue is not None
    cancelling = False

    def cancel_here(*_: Any) -> None:
        nonlocal cancelling
        if cancelling:
            cancelling = False
            task = asyncio.current_task()
            assert task is not None
            task.cancel()

    writer = database.writer.sync_engine
    target: Any = writer if where == "rollback" else writer.pool
    event.listen(target, where, cancel_here)

    async def hold_the_writer() -> None:
        nonlocal cancelling
        async with _units(database)() as uow:
            await uow.session.execute(text("INSERT INTO t (who) VALUES ('cancelled')"))
            assert _routed(uow).holds_writer
            cancelling = True
            if where == "reset":  # the transaction ends without a rollback of its own
                await uow.session.connection()
                await uow.session.close()

    gc.disable()  # the session is not collected meanwhile
    try:
        task = asyncio.create_task(hold_the_writer())
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not cancelling  # the cancellation landed where it was meant to
        queue.timeout = 2.0
        async with database.write_session() as after:
            await after.execute(text("INSERT INTO t (who) VALUES ('after')"))
            await after.commit()
    finally:
        gc.enable()
        event.remove(target, where, cancel_here)
    async with database.read_session() as db:
        assert (await db.scalars(text("SELECT who FROM t"))).all() == ["after"]
    assert task.done()  # kept until here: its exception holds the dropped session
