"""REST API v1: broadcasts (owners and managers): write, preview the segment, start or
schedule, pause, resume, cancel, and read counts and recipients (failures with their error)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.broadcasts import actions
from frontdesk.core.broadcasts.queries import (
    access_broadcast,
    get_broadcast,
    list_broadcasts,
    list_recipients,
    preview_segment,
)
from frontdesk.core.broadcasts.schemas import (
    BroadcastCreate,
    BroadcastRead,
    BroadcastRecipientRead,
    BroadcastUpdate,
    SegmentPreviewCreate,
    SegmentPreviewRead,
)

router = APIRouter()
RecipientFilter = Literal["pending", "sent", "skipped", "cancelled", "failed"]


@router.get("")
async def read_broadcasts(actor: ActorDep, db: ReaderDep) -> list[BroadcastRead]:
    """The workspace's broadcasts, newest first, each with its counts."""
    return await list_broadcasts(db, actor)


@router.post("", status_code=201)
async def create_broadcast(data: BroadcastCreate, actor: ActorDep, uow: UowDep) -> BroadcastRead:
    """A draft: nothing is sent until it is started."""
    read = await actions.create_broadcast(uow, actor, data)
    await uow.commit()
    return read


@router.post("/preview")
async def preview_broadcast_segment(
    data: SegmentPreviewCreate, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> SegmentPreviewRead:
    """How many contacts the segment has now, and how many would be skipped (and why)."""
    return await preview_segment(db, actor, data, runtime.clock.now())


@router.get("/{broadcast_id}")
async def read_broadcast(broadcast_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> BroadcastRead:
    return await get_broadcast(db, await access_broadcast(db, actor, broadcast_id))


@router.patch("/{broadcast_id}", responses=error_responses(409))
async def update_broadcast(
    broadcast_id: uuid.UUID, data: BroadcastUpdate, actor: ActorDep, uow: UowDep
) -> BroadcastRead:
    broadcast = await access_broadcast(uow.session, actor, broadcast_id)
    read = await actions.update_broadcast(uow, actor, broadcast, data)
    await uow.commit()
    return read


@router.get("/{broadcast_id}/recipients")
async def read_broadcast_recipients(
    broadcast_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
    status: RecipientFilter | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[BroadcastRecipientRead]:
    """Recipients, latest change first; `status=failed`: those whose message failed."""
    broadcast = await access_broadcast(db, actor, broadcast_id)
    return await list_recipients(db, broadcast, status=status, limit=limit)


async def _act(
    broadcast_id: uuid.UUID, actor: ActorDep, uow: UowDep, action: actions.BroadcastAction
) -> BroadcastRead:
    broadcast = await access_broadcast(uow.session, actor, broadcast_id)
    read = await action(uow, actor, broadcast)
    await uow.commit()
    return read


@router.post("/{broadcast_id}/start", responses=error_responses(409))
async def start_broadcast(broadcast_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> BroadcastRead:
    """Send now, or at its scheduled time if that is still to come."""
    return await _act(broadcast_id, actor, uow, actions.start_broadcast)


@router.post("/{broadcast_id}/pause", responses=error_responses(409))
async def pause_broadcast(broadcast_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> BroadcastRead:
    return await _act(broadcast_id, actor, uow, actions.pause_broadcast)


@router.post("/{broadcast_id}/resume", responses=error_responses(409))
async def resume_broadcast(broadcast_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> BroadcastRead:
    return await _act(broadcast_id, actor, uow, actions.resume_broadcast)


@router.post("/{broadcast_id}/cancel", responses=error_responses(409))
async def cancel_broadcast(broadcast_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> BroadcastRead:
    """Recipients not yet sent to are not sent to."""
    return await _act(broadcast_id, actor, uow, actions.cancel_broadcast)
