"""Reading the audit log: newest first, for owners and managers."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.audit.schemas import AuditLogRead
from frontdesk.core.pagination import (
    Page,
    cursor_datetime,
    cursor_uuid,
    decode_cursor,
    encode_cursor,
)


async def list_audit_log(
    db: AsyncSession,
    actor: Actor,
    *,
    limit: int,
    cursor: str | None,
    action: str | None = None,
    actor_user_id: uuid.UUID | None = None,
    target_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[AuditLogRead]:
    """One query per page: entries joined with their actor's name."""
    actor.require_admin()
    query = (
        select(AuditLogEntry, User.name)
        .outerjoin(User, User.id == AuditLogEntry.actor_user_id)
        .where(AuditLogEntry.workspace_id == actor.workspace_id)
        .order_by(AuditLogEntry.created_at.desc(), AuditLogEntry.id.desc())
        .limit(limit + 1)
    )
    if action:
        query = query.where(
            or_(
                AuditLogEntry.action == action,
                AuditLogEntry.action.startswith(f"{action}.", autoescape=True),
            )
        )
    if actor_user_id:
        query = query.where(AuditLogEntry.actor_user_id == actor_user_id)
    if target_type:
        query = query.where(AuditLogEntry.target_type == target_type)
    if since is not None:
        query = query.where(AuditLogEntry.created_at >= since)
    if until is not None:  # exclusive, so consecutive ranges never repeat an entry
        query = query.where(AuditLogEntry.created_at < until)
    if cursor:
        raw_at, raw_id = decode_cursor(cursor, 2)
        at, last_id = cursor_datetime(raw_at), cursor_uuid(raw_id)
        query = query.where(
            or_(
                AuditLogEntry.created_at < at,
                and_(AuditLogEntry.created_at == at, AuditLogEntry.id < last_id),
            )
        )
    rows = (await db.execute(query)).all()
    page, more = rows[:limit], len(rows) > limit
    items = [
        AuditLogRead.model_validate(entry).model_copy(update={"actor_name": name})
        for entry, name in page
    ]
    last = page[-1][0] if page else None
    next_cursor = encode_cursor(last.created_at.isoformat(), last.id) if more and last else None
    return Page(items=items, next_cursor=next_cursor)
