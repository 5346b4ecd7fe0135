"""Custom contact fields: the workspace's definitions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.contacts import fields
from frontdesk.core.contacts.schemas import (
    FieldDefinitionCreate,
    FieldDefinitionRead,
    FieldDefinitionUpdate,
)

router = APIRouter()


@router.get("")
async def read_fields(
    actor: ActorDep, db: ReaderDep, include_archived: bool = False
) -> list[FieldDefinitionRead]:
    """The workspace's custom contact fields; archived ones only with `include_archived`."""
    return await fields.list_fields(db, actor, include_archived=include_archived)


@router.post("", status_code=201, responses=error_responses(409))
async def create_field(
    data: FieldDefinitionCreate, actor: ActorDep, uow: UowDep
) -> FieldDefinitionRead:
    read = await fields.create_field(uow, actor, data)
    await uow.commit()
    return read


@router.patch("/{field_id}")
async def update_field(
    field_id: uuid.UUID, data: FieldDefinitionUpdate, actor: ActorDep, uow: UowDep
) -> FieldDefinitionRead:
    row = await fields.access_field(uow.session, actor, field_id)
    read = await fields.update_field(uow, actor, row, data)
    await uow.commit()
    return read


@router.delete("/{field_id}", status_code=204)
async def delete_field(field_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    row = await fields.access_field(uow.session, actor, field_id)
    await fields.delete_field(uow, actor, row)
    await uow.commit()
