"""Tags for contacts and conversations; outcome tags are offered when closing."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.tags import actions
from frontdesk.core.tags.queries import access_tag, list_tags
from frontdesk.core.tags.schemas import TagCreate, TagRead, TagUpdate

router = APIRouter()


@router.get("")
async def read_tags(
    actor: ActorDep, db: ReaderDep, outcomes_only: bool = False, include_archived: bool = False
) -> list[TagRead]:
    """The workspace's tags by name; archived ones only with `include_archived`."""
    return await list_tags(
        db, actor, outcomes_only=outcomes_only, include_archived=include_archived
    )


@router.post("", status_code=201, responses=error_responses(409))
async def create_tag(data: TagCreate, actor: ActorDep, uow: UowDep) -> TagRead:
    read = await actions.create_tag(uow, actor, data)
    await uow.commit()
    return read


@router.patch("/{tag_id}", responses=error_responses(409))
async def update_tag(tag_id: uuid.UUID, data: TagUpdate, actor: ActorDep, uow: UowDep) -> TagRead:
    tag = await access_tag(uow.session, actor, tag_id)
    read = await actions.update_tag(uow, actor, tag, data)
    await uow.commit()
    return read


@router.delete("/{tag_id}", status_code=204)
async def delete_tag(tag_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    tag = await access_tag(uow.session, actor, tag_id)
    await actions.delete_tag(uow, actor, tag)
    await uow.commit()
