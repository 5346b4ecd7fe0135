"""REST API v1: saved inbox views (private, or shared with the workspace) and their counts."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.core.views import actions
from frontdesk.core.views.queries import (
    access_saved_view,
    count_saved_views,
    list_saved_views,
    saved_view_read,
)
from frontdesk.core.views.schemas import (
    SavedViewCounts,
    SavedViewCreate,
    SavedViewRead,
    SavedViewUpdate,
)

router = APIRouter()


@router.get("")
async def read_saved_views(actor: ActorDep, db: ReaderDep) -> list[SavedViewRead]:
    """The caller's private views and the workspace's shared ones, by name."""
    return await list_saved_views(db, actor)


@router.post("", status_code=201)
async def create_saved_view(data: SavedViewCreate, actor: ActorDep, uow: UowDep) -> SavedViewRead:
    """Save filters under a name; only owners and managers may share a view."""
    read = await actions.create_saved_view(uow, actor, data)
    await uow.commit()
    return read


@router.get("/counts")
async def read_saved_view_counts(actor: ActorDep, db: ReaderDep) -> SavedViewCounts:
    """How many conversations the caller may see match each of their views."""
    return await count_saved_views(db, actor)


@router.get("/{view_id}")
async def read_saved_view(view_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> SavedViewRead:
    return saved_view_read(await access_saved_view(db, actor, view_id))


@router.patch("/{view_id}")
async def update_saved_view(
    view_id: uuid.UUID, data: SavedViewUpdate, actor: ActorDep, uow: UowDep
) -> SavedViewRead:
    """Rename, change the filters, share or stop sharing."""
    view = await access_saved_view(uow.session, actor, view_id)
    read = await actions.update_saved_view(uow, actor, view, data)
    await uow.commit()
    return read


@router.delete("/{view_id}", status_code=204)
async def delete_saved_view(view_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    view = await access_saved_view(uow.session, actor, view_id)
    await actions.delete_saved_view(uow, actor, view)
    await uow.commit()
