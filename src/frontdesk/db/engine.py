"""Engines and session factories for SQLite (WAL, immediate writes) and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


@dataclass(frozen=True)
class Database:
    """The engines of one database: writes go through `writer`, plain reads through `reader`.

    On SQLite every write transaction starts with BEGIN IMMEDIATE so that two writers queue on
    the lock instead of failing when a read lock is upgraded; reads use a separate engine so
    they never hold the write lock. On PostgreSQL both are the same engine.
    """

    url: str
    writer: AsyncEngine
    reader: AsyncEngine
    write_session: async_sessionmaker[AsyncSession]
    read_session: async_sessionmaker[AsyncSession]

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


def _sqlite_engine(url: str, *, immediate: bool) -> AsyncEngine:
    db_path = make_url(url).database
    if db_path and db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def create_database(url: str, *, pool_size: int = 10) -> Database:
    if url.startswith("sqlite"):
        writer = _sqlite_engine(url, immediate=True)
        reader = _sqlite_engine(url, immediate=False)
    else:
        writer = create_async_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
        )
        reader = writer
    return Database(
        url=url,
        writer=writer,
        reader=reader,
        write_session=async_sessionmaker(writer, expire_on_commit=False, autoflush=False),
        read_session=async_sessionmaker(reader, expire_on_commit=False, autoflush=False),
    )
