"""Names unique per workspace whatever their case, and unique keys that answer 409, not 500.

Two faults this module removes:

- Comparing case in SQL: SQLite's `lower()` folds ASCII letters only, so "ĐÀO TẠO" never matched
  `"ĐÀO TẠO".lower()` and an exact duplicate reached the unique constraint. Names are compared
  in Python instead (`name_key`: Unicode NFC, then case-folded), over the workspace's names.
- Racing creates: two requests both find a name free, both insert, and the second one's
  unique-constraint error escaped as a 500. `flush_unique` turns it into the same 409.
"""

from __future__ import annotations

import unicodedata
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from frontdesk.core.errors import Conflict
from frontdesk.db.uow import UnitOfWork

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE for a unique constraint


def name_key(name: str) -> str:
    """What two names must share to clash: "Ação" and "AÇÃO", "đào tạo" and "ĐÀO TẠO"."""
    return unicodedata.normalize("NFC", name).casefold()


async def name_taken(
    uow: UnitOfWork,
    column: InstrumentedAttribute[str],
    workspace_id: uuid.UUID,
    name: str,
    *,
    except_id: uuid.UUID | None = None,
) -> bool:
    """Whether another row of the workspace has this name, ignoring case (in any script)."""
    model: Any = column.class_
    rows = await uow.session.execute(
        select(model.id, column).where(model.workspace_id == workspace_id)
    )
    key = name_key(name)
    return any(row_id != except_id and name_key(other) == key for row_id, other in rows)


def is_unique_violation(exc: IntegrityError) -> bool:
    orig = exc.orig
    for error in (orig, getattr(orig, "__cause__", None)):
        if getattr(error, "sqlstate", None) == UNIQUE_VIOLATION:
            return True
    return "UNIQUE constraint failed" in str(orig)  # SQLite


async def flush_unique(uow: UnitOfWork, conflict: Conflict) -> None:
    """Flush; a unique constraint broken by a concurrent request raises `conflict` (409).

    The transaction is spoilt then (PostgreSQL aborts it), which is fine: the 409 rolls the
    whole request back, as every error does."""
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        if is_unique_violation(exc):
            raise conflict from None
        raise
