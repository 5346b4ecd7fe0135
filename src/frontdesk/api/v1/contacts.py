"""Contacts: search, create, update, delete, tags, custom field values and merging."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.contacts import actions
from frontdesk.core.contacts.queries import access_contact, get_contact, list_contacts
from frontdesk.core.contacts.schemas import (
    ContactCreate,
    ContactMerge,
    ContactRead,
    ContactTagsChange,
    ContactUpdate,
    Sort,
    Stage,
)
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page

router = APIRouter()


@router.get("")
async def read_contacts(
    actor: ActorDep,
    db: ReaderDep,
    q: Annotated[str | None, Query(max_length=200, description="Name, email or phone.")] = None,
    tag_id: uuid.UUID | None = None,
    lifecycle_stage: Stage | None = None,
    owner_id: uuid.UUID | None = None,
    sort: Sort = "name",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[ContactRead]:
    return await list_contacts(
        db,
        actor,
        q=q,
        tag_id=tag_id,
        lifecycle_stage=lifecycle_stage,
        owner_id=owner_id,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )


@router.post("", status_code=201)
async def create_contact(data: ContactCreate, actor: ActorDep, uow: UowDep) -> ContactRead:
    read = await actions.create_contact(uow, actor, data)
    await uow.commit()
    return read


@router.get("/{contact_id}")
async def read_contact(contact_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> ContactRead:
    await access_contact(db, actor, contact_id)
    return await get_contact(db, actor.workspace_id, contact_id)


@router.patch("/{contact_id}", responses=error_responses(409))
async def update_contact(
    contact_id: uuid.UUID, data: ContactUpdate, actor: ActorDep, uow: UowDep
) -> ContactRead:
    contact = await access_contact(uow.session, actor, contact_id, for_update=True)
    read = await actions.update_contact(uow, actor, contact, data)
    await uow.commit()
    return read


@router.delete("/{contact_id}", status_code=204)
async def delete_contact(contact_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    contact = await access_contact(uow.session, actor, contact_id, for_update=True)
    await actions.delete_contact(uow, actor, contact)
    await uow.commit()


@router.put("/{contact_id}/tags")
async def set_tags(
    contact_id: uuid.UUID, data: ContactTagsChange, actor: ActorDep, uow: UowDep
) -> ContactRead:
    contact = await access_contact(uow.session, actor, contact_id, for_update=True)
    read = await actions.set_contact_tags(uow, actor, contact, data.tag_ids)
    await uow.commit()
    return read


@router.post("/{contact_id}/tags/{tag_id}")
async def add_tag(
    contact_id: uuid.UUID, tag_id: uuid.UUID, actor: ActorDep, uow: UowDep
) -> ContactRead:
    """Add one tag to the contact."""
    contact = await access_contact(uow.session, actor, contact_id, for_update=True)
    read = await actions.tag_contact(uow, actor, contact, tag_id)
    await uow.commit()
    return read


@router.delete("/{contact_id}/tags/{tag_id}")
async def remove_tag(
    contact_id: uuid.UUID, tag_id: uuid.UUID, actor: ActorDep, uow: UowDep
) -> ContactRead:
    """Remove one tag from the contact."""
    contact = await access_contact(uow.session, actor, contact_id, for_update=True)
    read = await actions.untag_contact(uow, actor, contact, tag_id)
    await uow.commit()
    return read


@router.put("/{contact_id}/fields")
async def set_fields(
    contact_id: uuid.UUID,
    values: Annotated[dict[str, Any], Body(max_length=100)],
    actor: ActorDep,
    uow: UowDep,
) -> ContactRead:
    """Set custom field values by key; `null` clears one."""
    contact = await access_contact(uow.session, actor, contact_id, for_update=True)
    read = await actions.set_contact_fields(uow, actor, contact, values)
    await uow.commit()
    return read


@router.post("/{contact_id}/merge")
async def merge(
    contact_id: uuid.UUID, data: ContactMerge, actor: ActorDep, uow: UowDep
) -> ContactRead:
    """Merge another contact (a duplicate) into this one; the other is then "not found"."""
    keep = await access_contact(uow.session, actor, contact_id, for_update=True)
    other = await access_contact(uow.session, actor, data.other_contact_id, for_update=True)
    read = await actions.merge_contacts(uow, actor, keep, other)
    await uow.commit()
    return read
