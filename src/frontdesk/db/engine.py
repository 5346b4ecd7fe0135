"""Engines and session factories for SQLite (WAL, one queued writer) and PostgreSQL.

SQLite (docs/decisions/0031-queued-writer-and-event-order.md): one writer connection per
process, handed out in arrival order by `WriterQueue`, and a pool of reader connections. A
unit of work's session (`unit_session`, see `sessions.RoutedSession`) reads on a reader until
its first write or lock, then queues for the writer and runs the rest of its transaction there,
so the write lock is held only while a transaction writes. Plain reads (`read_session`) never
touch the writer; `write_session` is the writer from its first statement (the job runner's
claims, which select and update in one step).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from frontdesk.db.sessions import RoutedSession, WriterQueue

# How long a write waits for the writer (in the process queue, then SQLite's busy handler for
# another process) before it fails.
WRITE_WAIT_SECONDS = 30.0
Synchronous = Literal["normal", "full"]


@dataclass(frozen=True)
class Database:
    """The engines of one database and their session factories.

    `write_session`: a session that writes from its first statement. `read_session`: plain
    reads. `unit_session`: a unit of work's session (reads first, writes when it must). On
    PostgreSQL all three use one engine and pool.
    """

    url: str
    writer: AsyncEngine
    reader: AsyncEngine
    write_session: async_sessionmaker[AsyncSession]
    read_session: async_sessionmaker[AsyncSession]
    unit_session: async_sessionmaker[AsyncSession]
    writer_queue: WriterQueue | None = None

    @property
    def dialect(self) -> str:
        return self.writer.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    async def dispose(self) -> None:
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()


def _sqlite_engine(
    url: str, *, immediate: bool, synchronous: Synchronous, pool_size: int, max_overflow: int
) -> AsyncEngine:
    db_path = make_url(url).database
    if db_path and db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url,
        # sqlite3's own cache of prepared statements, per connection (128 by default).
        connect_args={"timeout": WRITE_WAIT_SECONDS, "cached_statements": 512},
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=WRITE_WAIT_SECONDS,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_SECONDS * 1000)}")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA cache_size=-8000")  # up to 8 MB of pages per connection
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def create_database(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    sqlite_readers: int = 16,
    sqlite_synchronous: Synchronous = "normal",
    prepared_statements: int = 500,
) -> Database:
    """Engines for `url`. PostgreSQL: one pool of `pool_size` (+ `max_overflow`) connections per
    process, each keeping up to `prepared_statements` prepared statements. SQLite: one writer
    connection and `sqlite_readers` (+ as many again) readers, WAL, `sqlite_synchronous`."""
    options: dict[str, Any] = {"expire_on_commit": False, "autoflush": False}
    if url.startswith("sqlite"):
        writer = _sqlite_engine(
            url, immediate=True, synchronous=sqlite_synchronous, pool_size=1, max_overflow=0
        )
        reader = _sqlite_engine(
            url,
            immediate=False,
            synchronous=sqlite_synchronous,
            pool_size=sqlite_readers,
            max_overflow=sqlite_readers,
        )
        queue = WriterQueue(WRITE_WAIT_SECONDS)
        writes = RoutedSession.bound(reader=reader, writer=writer, queue=queue, writing=True)
        units = RoutedSession.bound(reader=reader, writer=writer, queue=queue, writing=False)
        return Database(
            url=url,
            writer=writer,
            reader=reader,
            write_session=async_sessionmaker(sync_session_class=writes, **options),
            read_session=async_sessionmaker(reader, **options),
            unit_session=async_sessionmaker(sync_session_class=units, **options),
            writer_queue=queue,
        )
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        connect_args={"prepared_statement_cache_size": prepared_statements},
    )
    sessions = async_sessionmaker(engine, **options)
    return Database(
        url=url,
        writer=engine,
        reader=engine,
        write_session=sessions,
        read_session=sessions,
        unit_session=sessions,
    )
