"""Managing canned responses.

Canned responses are shared by the whole workspace (the model has no personal ones: the
creator is recorded only for attribution), so, like other configuration, owners and managers
create, change and delete them; every member may list and render them.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.canned.queries import canned_response_read
from frontdesk.core.canned.schemas import (
    CannedResponseCreate,
    CannedResponseRead,
    CannedResponseUpdate,
)
from frontdesk.core.errors import Conflict
from frontdesk.core.events import CannedResponseChanged, workspace_key
from frontdesk.core.unique import flush_unique
from frontdesk.db.uow import UnitOfWork


async def _check_shortcut_free(
    uow: UnitOfWork, actor: Actor, shortcut: str, canned_id: uuid.UUID | None = None
) -> None:
    query = select(CannedResponse.id).where(
        CannedResponse.workspace_id == actor.workspace_id, CannedResponse.shortcut == shortcut
    )
    if canned_id is not None:
        query = query.where(CannedResponse.id != canned_id)
    if await uow.session.scalar(query.limit(1)) is not None:
        raise _shortcut_conflict()


def _shortcut_conflict() -> Conflict:
    return Conflict(
        "a canned response with that shortcut already exists", details={"field": "shortcut"}
    )


def _emit(uow: UnitOfWork, actor: Actor, read: CannedResponseRead, change: str) -> None:
    uow.emit(
        CannedResponseChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={**read.model_dump(mode="json"), "change": change},
        )
    )


async def create_canned_response(
    uow: UnitOfWork, actor: Actor, data: CannedResponseCreate
) -> CannedResponseRead:
    actor.require_admin()
    await _check_shortcut_free(uow, actor, data.shortcut)
    now = uow.now()
    canned = CannedResponse(
        workspace_id=actor.workspace_id,
        shortcut=data.shortcut,
        title=data.title,
        body=data.body,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(canned)
    await flush_unique(uow, _shortcut_conflict())
    record_audit(
        uow,
        actor,
        "canned_response.created",
        "canned_response",
        canned.id,
        shortcut=canned.shortcut,
    )
    read = canned_response_read(canned)
    _emit(uow, actor, read, "created")
    return read


async def update_canned_response(
    uow: UnitOfWork, actor: Actor, canned: CannedResponse, data: CannedResponseUpdate
) -> CannedResponseRead:
    actor.require_admin()
    if data.shortcut is not None and data.shortcut != canned.shortcut:
        await _check_shortcut_free(uow, actor, data.shortcut, canned.id)
    changes: dict[str, Any] = {}
    for field in ("shortcut", "title", "body"):
        value = getattr(data, field)
        if value is not None and value != getattr(canned, field):
            changes[field] = value
            setattr(canned, field, value)
    if not changes:
        return canned_response_read(canned)
    canned.updated_at = uow.now()
    await flush_unique(uow, _shortcut_conflict())
    record_audit(
        uow,
        actor,
        "canned_response.updated",
        "canned_response",
        canned.id,
        shortcut=canned.shortcut,
        fields=sorted(changes),
    )
    read = canned_response_read(canned)
    _emit(uow, actor, read, "updated")
    return read


async def delete_canned_response(uow: UnitOfWork, actor: Actor, canned: CannedResponse) -> None:
    actor.require_admin()
    read = canned_response_read(canned)
    await uow.session.delete(canned)
    record_audit(
        uow,
        actor,
        "canned_response.deleted",
        "canned_response",
        canned.id,
        shortcut=canned.shortcut,
    )
    _emit(uow, actor, read, "deleted")
