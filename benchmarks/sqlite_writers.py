"""SQLite writers side by side: the old `BEGIN IMMEDIATE` sessions against the queued writer.

`python -m benchmarks.sqlite_writers [--quick] [--senders 16] [--work-ms 3]`

Both variants run in this one process, alternately, on the same kind of file, so a loaded
machine slows both alike and their ratio stays meaningful (docs/subsystems/database-
performance.md). Each request is shaped like a visitor's message: three reads (the
conversation, the contact, the last message), some CPU work (the ORM, validation and JSON of
a real handler, `--work-ms`), then an INSERT of the message, an UPDATE of the conversation,
an INSERT of the event and one of the job, and the commit.

- `immediate`: what units of work did before decision 0031: a session whose first statement
  (a read) begins `BEGIN IMMEDIATE`, a pool of connections, waiters in SQLite's busy handler.
- `queued`: `Database.unit_session`: reads on a reader, then the one writer, handed out in
  arrival order.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from benchmarks.common import latency_ms, now
from frontdesk.db.engine import create_database

SCHEMA = (
    "CREATE TABLE conversation (id INTEGER PRIMARY KEY, contact_id INT, last_at REAL, n INT)",
    "CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT)",
    "CREATE TABLE message (id INTEGER PRIMARY KEY, conversation_id INT, body TEXT, at REAL)",
    "CREATE INDEX ix_message_conv ON message (conversation_id, id)",
    "CREATE TABLE event_log (id INTEGER PRIMARY KEY, payload TEXT)",
    "CREATE TABLE job (id INTEGER PRIMARY KEY, payload TEXT)",
)


def _spin(ms: float) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


async def _request(session: AsyncSession, conv: int, i: int, work_ms: float) -> None:
    row = (
        await session.execute(
            text("SELECT id, contact_id, n FROM conversation WHERE id = :c"), {"c": conv}
        )
    ).one()
    await session.execute(text("SELECT name FROM contact WHERE id = :c"), {"c": row.contact_id})
    await session.execute(
        text("SELECT id FROM message WHERE conversation_id = :c ORDER BY id DESC LIMIT 1"),
        {"c": conv},
    )
    _spin(work_ms)
    body = f"message {i} " + "x" * 200
    await session.execute(
        text("INSERT INTO message (conversation_id, body, at) VALUES (:c, :b, :t)"),
        {"c": conv, "b": body, "t": time.time()},
    )
    await session.execute(
        text("UPDATE conversation SET n = n + 1, last_at = :t WHERE id = :c"),
        {"c": conv, "t": time.time()},
    )
    payload = '{"type": "message.created", "body": "' + body + '"}'
    await session.execute(text("INSERT INTO event_log (payload) VALUES (:p)"), {"p": payload})
    await session.execute(text("INSERT INTO job (payload) VALUES (:p)"), {"p": "{}"})
    await session.commit()


def _immediate_sessions(url: str) -> tuple[async_sessionmaker[AsyncSession], Any]:
    engine = create_async_engine(url, connect_args={"timeout": 30}, pool_size=20)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return async_sessionmaker(engine, expire_on_commit=False), engine.dispose


async def _prepare(url: str, conversations: int) -> None:
    database = create_database(url)
    async with database.write_session() as s:
        for statement in SCHEMA:
            await s.execute(text(statement))
        for c in range(1, conversations + 1):
            await s.execute(text("INSERT INTO contact (id, name) VALUES (:c, 'x')"), {"c": c})
            await s.execute(
                text("INSERT INTO conversation (id, contact_id, n) VALUES (:c, :c, 0)"), {"c": c}
            )
        await s.commit()
    await database.dispose()


async def _load(
    sessions: Callable[[], AsyncSession], senders: int, each: int, work_ms: float
) -> dict[str, Any]:
    latencies: list[float] = []

    async def sender(k: int) -> None:
        for i in range(each):
            start = now()
            async with sessions() as session:
                await _request(session, k + 1, i, work_ms)
            latencies.append(now() - start)

    start = now()
    await asyncio.gather(*(sender(k) for k in range(senders)))
    elapsed = now() - start
    return {**latency_ms(latencies), "requests_per_s": round(len(latencies) / elapsed, 1)}


async def _variant(name: str, senders: int, each: int, work_ms: float) -> dict[str, Any]:
    path = Path(tempfile.mkdtemp(prefix="frontdesk-writers-"))
    url = f"sqlite+aiosqlite:///{path / 'w.db'}"
    try:
        await _prepare(url, senders)
        if name == "immediate":
            sessions, dispose = _immediate_sessions(url)
            try:
                return await _load(sessions, senders, each, work_ms)
            finally:
                await dispose()
        database = create_database(url)
        try:
            return await _load(database.unit_session, senders, each, work_ms)
        finally:
            await database.dispose()
    finally:
        shutil.rmtree(path, ignore_errors=True)


async def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--work-ms", type=float, default=3.0)
    args = parser.parse_args(argv)
    each, rounds = (25, 2) if args.quick else (60, 3)
    results: dict[str, list[dict[str, Any]]] = {"immediate": [], "queued": []}
    for _ in range(rounds):
        for name, runs in results.items():
            runs.append(await _variant(name, args.senders, each, args.work_ms))
    print(f"{args.senders} senders x {each} requests, {args.work_ms:g} ms of work each, x{rounds}")
    print(f"{'variant':10} {'p50_ms':>8} {'p99_ms':>8} {'max_ms':>8} {'req/s':>7}")
    for name, runs in results.items():
        for r in runs:
            print(
                f"{name:10} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['max_ms']:8.1f} "
                f"{r['requests_per_s']:7.1f}"
            )


def main() -> None:
    asyncio.run(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
