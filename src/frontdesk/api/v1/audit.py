"""The audit log of administrative actions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from frontdesk.api.deps import ActorDep, ReaderDep
from frontdesk.core.audit.queries import list_audit_log
from frontdesk.core.audit.schemas import AuditLogRead
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page

router = APIRouter()


@router.get("")
async def read_audit_log(
    actor: ActorDep,
    db: ReaderDep,
    action: Annotated[str | None, Query(max_length=80)] = None,
    actor_user_id: uuid.UUID | None = None,
    target_type: Annotated[str | None, Query(max_length=40)] = None,
    since: Annotated[AwareDatetime | None, Query(description="From this moment on")] = None,
    until: Annotated[AwareDatetime | None, Query(description="Before this moment")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[AuditLogRead]:
    return await list_audit_log(
        db,
        actor,
        limit=limit,
        cursor=cursor,
        action=action,
        actor_user_id=actor_user_id,
        target_type=target_type,
        since=since,
        until=until,
    )
