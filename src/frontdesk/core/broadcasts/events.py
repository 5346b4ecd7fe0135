"""Broadcast events: one per change of a broadcast (created, edited, scheduled, started,
paused, resumed, cancelled, done), to the workspace's supervisors."""

from __future__ import annotations

import uuid

from frontdesk.core.broadcasts.schemas import BroadcastRead
from frontdesk.core.events import define_event, supervisors_key
from frontdesk.db.uow import UnitOfWork

BroadcastChanged = define_event("BroadcastChanged", "broadcast.changed")


def emit_broadcast(
    uow: UnitOfWork, workspace_id: uuid.UUID, read: BroadcastRead, change: str
) -> None:
    uow.emit(
        BroadcastChanged(
            workspace_id=workspace_id,
            audience=(supervisors_key(workspace_id),),
            data={"broadcast": read.model_dump(mode="json"), "change": change},
        )
    )
