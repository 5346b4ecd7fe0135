"""`INSERT … ON CONFLICT DO NOTHING` for the session's database (PostgreSQL and SQLite)."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


@functools.cache
def _statement(dialect: str, model: Any, unique: tuple[str, ...], returning: Any) -> Insert:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(model).on_conflict_do_nothing(index_elements=unique).returning(returning)


async def insert_unless_stored(
    session: AsyncSession,
    model: Any,
    values: dict[str, Any],
    unique: tuple[str, ...],
    returning: Any,
) -> Any:
    """Insert `values` unless a row with the same `unique` columns exists; returns `returning`
    of the new row (a column, or the model for the object itself), or None when it existed.

    Values that are None are left out, so they are stored as SQL NULL (an explicit None would
    be stored as JSON null in a JSON column). No savepoint is needed to survive a duplicate,
    and the statement is built once per model.
    """
    statement = _statement(session.get_bind().dialect.name, model, unique, returning)
    present = {k: v for k, v in values.items() if v is not None}
    return (await session.scalars(statement, [present])).first()
