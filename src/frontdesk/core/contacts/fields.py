"""Custom contact fields: definitions (owners and managers) and checking values by type."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.contacts.models import ContactFieldValue, CustomFieldDefinition
from frontdesk.core.contacts.schemas import (
    FieldDefinitionCreate,
    FieldDefinitionRead,
    FieldDefinitionUpdate,
)
from frontdesk.core.errors import Conflict, Invalid, NotFound
from frontdesk.core.events import CustomFieldChanged, workspace_key
from frontdesk.core.unique import flush_unique
from frontdesk.db.uow import UnitOfWork

MAX_TEXT = 1000


async def list_fields(
    db: AsyncSession, actor: Actor, *, include_archived: bool = False
) -> list[FieldDefinitionRead]:
    """The workspace's field definitions by label (archived ones only when asked)."""
    query = select(CustomFieldDefinition).where(
        CustomFieldDefinition.workspace_id == actor.workspace_id
    )
    if not include_archived:
        query = query.where(CustomFieldDefinition.archived_at.is_(None))
    rows = await db.scalars(query.order_by(CustomFieldDefinition.label, CustomFieldDefinition.id))
    return [FieldDefinitionRead.model_validate(r) for r in rows]


async def access_field(
    db: AsyncSession, actor: Actor, field_id: uuid.UUID
) -> CustomFieldDefinition:
    """The definition if it is in the actor's workspace; "not found" otherwise."""
    found = await db.scalar(
        select(CustomFieldDefinition).where(
            CustomFieldDefinition.id == field_id,
            CustomFieldDefinition.workspace_id == actor.workspace_id,
        )
    )
    if found is None:
        raise NotFound("custom field")
    return found


def _emit(uow: UnitOfWork, actor: Actor, read: FieldDefinitionRead, change: str) -> None:
    uow.emit(
        CustomFieldChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={**read.model_dump(mode="json"), "change": change},
        )
    )


def _check_options(field_type: str, options: list[str]) -> list[str]:
    """Trimmed, de-duplicated options; a select needs one at least, other types keep none."""
    cleaned = list(dict.fromkeys(o.strip() for o in options if o.strip()))
    if field_type == "select" and not cleaned:
        raise Invalid("a select field needs at least one option", field="options")
    return cleaned if field_type == "select" else []


async def create_field(
    uow: UnitOfWork, actor: Actor, data: FieldDefinitionCreate
) -> FieldDefinitionRead:
    """A new field definition; keys are unique per workspace (409 naming `key`)."""
    actor.require_admin()
    taken = await uow.session.scalar(
        select(CustomFieldDefinition.id).where(
            CustomFieldDefinition.workspace_id == actor.workspace_id,
            CustomFieldDefinition.key == data.key,
        )
    )
    conflict = Conflict("a field with this key exists", details={"field": "key"})
    if taken:
        raise conflict
    row = CustomFieldDefinition(
        workspace_id=actor.workspace_id,
        key=data.key,
        label=data.label,
        field_type=data.field_type,
        options=_check_options(data.field_type, data.options),
        created_at=uow.now(),
    )
    uow.session.add(row)
    await flush_unique(uow, conflict)
    read = FieldDefinitionRead.model_validate(row)
    record_audit(uow, actor, "custom_field.created", "custom_field", row.id, key=data.key)
    _emit(uow, actor, read, "created")
    return read


async def update_field(
    uow: UnitOfWork, actor: Actor, row: CustomFieldDefinition, data: FieldDefinitionUpdate
) -> FieldDefinitionRead:
    """Relabel, change a select's options, archive or restore; stored values are kept."""
    actor.require_admin()
    changes = data.model_dump(exclude_none=True)
    if data.label is not None:
        row.label = data.label
    if data.options is not None:
        row.options = _check_options(row.field_type, data.options)
    if data.is_archived is not None and data.is_archived != (row.archived_at is not None):
        row.archived_at = uow.now() if data.is_archived else None
    elif data.is_archived is not None:
        changes.pop("is_archived")
    await uow.session.flush()
    read = FieldDefinitionRead.model_validate(row)
    if changes:
        record_audit(uow, actor, "custom_field.updated", "custom_field", row.id, **changes)
        _emit(uow, actor, read, "updated")
    return read


async def delete_field(uow: UnitOfWork, actor: Actor, row: CustomFieldDefinition) -> None:
    """The definition and every contact's value for it go."""
    actor.require_admin()
    read = FieldDefinitionRead.model_validate(row)
    record_audit(uow, actor, "custom_field.deleted", "custom_field", row.id, key=row.key)
    await uow.session.execute(
        delete(ContactFieldValue).where(
            ContactFieldValue.workspace_id == actor.workspace_id,
            ContactFieldValue.field_id == row.id,
        )
    )
    await uow.session.delete(row)
    _emit(uow, actor, read, "deleted")


def check_value(definition: CustomFieldDefinition, value: Any) -> Any:
    """The value as stored for this field's type, or Invalid naming `fields.<key>`."""
    field = f"fields.{definition.key}"
    kind = definition.field_type
    if kind == "text" and isinstance(value, str) and len(value) <= MAX_TEXT:
        return value
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "select" and isinstance(value, str) and value in definition.options:
        return value
    if kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise Invalid(f"not a valid {kind} for {definition.label!r}", field=field)


async def set_field_values(
    uow: UnitOfWork, workspace_id: uuid.UUID, contact_id: uuid.UUID, values: dict[str, Any]
) -> None:
    """Set (or, with null, clear) values by key; every key must be a defined field."""
    if not values:
        return
    definitions = {
        d.key: d
        for d in await uow.session.scalars(
            select(CustomFieldDefinition).where(
                CustomFieldDefinition.workspace_id == workspace_id,
                CustomFieldDefinition.key.in_(list(values)),
            )
        )
    }
    for key in values:
        if key not in definitions:
            raise Invalid(f"there is no custom field {key!r}", field=f"fields.{key}")
    checked = {
        k: (None if v is None else check_value(definitions[k], v)) for k, v in values.items()
    }
    existing = {
        v.field_id: v
        for v in await uow.session.scalars(
            select(ContactFieldValue).where(
                ContactFieldValue.workspace_id == workspace_id,
                ContactFieldValue.contact_id == contact_id,
                ContactFieldValue.field_id.in_([d.id for d in definitions.values()]),
            )
        )
    }
    now = uow.now()
    for key, value in checked.items():
        definition = definitions[key]
        current = existing.get(definition.id)
        if value is None:
            if current is not None:
                await uow.session.delete(current)
        elif current is not None:
            current.value, current.updated_at = value, now
        else:
            uow.session.add(
                ContactFieldValue(
                    workspace_id=workspace_id,
                    contact_id=contact_id,
                    field_id=definition.id,
                    value=value,
                    updated_at=now,
                )
            )
