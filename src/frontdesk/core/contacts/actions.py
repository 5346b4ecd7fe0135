"""Changing contacts: create, update, delete, tags, field values and merging duplicates."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import delete, select, update

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.contacts.fields import set_field_values
from frontdesk.core.contacts.models import Contact, ContactFieldValue, ContactIdentity
from frontdesk.core.contacts.queries import get_contact
from frontdesk.core.contacts.schemas import ContactCreate, ContactRead, ContactUpdate
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.events import (
    ContactCreated,
    ContactDeleted,
    ContactMerged,
    ContactUpdated,
    DomainEvent,
    workspace_key,
)
from frontdesk.core.tags.models import ContactTag
from frontdesk.core.tags.queries import access_tags
from frontdesk.core.workspaces.models import Membership
from frontdesk.db.uow import UnitOfWork

MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 5, 15  # E.164 allows at most 15


def normalise_phone(raw: str | None) -> str | None:
    """ "+55 (11) 9 8765-4321" -> "+5511987654321"; a number needs at least five digits."""
    if raw is None or not raw.strip():
        return None
    digits = re.sub(r"\D", "", raw)
    if (
        len(digits) < MIN_PHONE_DIGITS
        or len(digits) > MAX_PHONE_DIGITS
        or re.search(r"[^\d\s()+.-]", raw)
    ):
        raise Invalid("not a phone number", field="phone")
    return f"+{digits}"


async def _check_owner(uow: UnitOfWork, actor: Actor, owner_id: uuid.UUID | None) -> None:
    if owner_id is None:
        return
    member = await uow.session.scalar(
        select(Membership.id).where(
            Membership.workspace_id == actor.workspace_id, Membership.user_id == owner_id
        )
    )
    if member is None:
        raise Invalid("the owner must be a member of this workspace", field="owner_id")


async def _emit(
    uow: UnitOfWork, actor: Actor, event: type[DomainEvent], contact: Contact, **extra: object
) -> ContactRead:
    await uow.session.flush()
    read = await get_contact(uow.session, actor.workspace_id, contact.id)
    uow.emit(
        event(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"contact": read.model_dump(mode="json"), **extra},
        )
    )
    return read


async def _replace_tags(
    uow: UnitOfWork, actor: Actor, contact: Contact, tag_ids: list[uuid.UUID]
) -> bool:
    wanted = {t.id for t in await access_tags(uow.session, actor, tag_ids)}
    current = set(
        await uow.session.scalars(
            select(ContactTag.tag_id).where(ContactTag.contact_id == contact.id)
        )
    )
    if wanted == current:
        return False
    if current - wanted:
        await uow.session.execute(
            delete(ContactTag).where(
                ContactTag.contact_id == contact.id, ContactTag.tag_id.in_(current - wanted)
            )
        )
    now = uow.now()
    uow.session.add_all(
        ContactTag(workspace_id=actor.workspace_id, contact_id=contact.id, tag_id=t, created_at=now)
        for t in wanted - current
    )
    return True


async def create_contact(uow: UnitOfWork, actor: Actor, data: ContactCreate) -> ContactRead:
    actor.require_writer()
    await _check_owner(uow, actor, data.owner_id)
    now = uow.now()
    contact = Contact(
        workspace_id=actor.workspace_id,
        name=data.name,
        email=data.email,
        phone=normalise_phone(data.phone),
        language=data.language,
        lifecycle_stage=data.lifecycle_stage,
        owner_id=data.owner_id,
        notes=data.notes,
        version=1,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(contact)
    await uow.session.flush()
    await _replace_tags(uow, actor, contact, data.tag_ids)
    await set_field_values(uow, actor.workspace_id, contact.id, data.fields)
    return await _emit(uow, actor, ContactCreated, contact)


async def update_contact(
    uow: UnitOfWork, actor: Actor, contact: Contact, data: ContactUpdate
) -> ContactRead:
    actor.require_writer()
    changes = data.model_dump(exclude_unset=True)
    expected = changes.pop("version", None)
    if expected is not None and expected != contact.version:
        raise Conflict(
            "someone changed this contact meanwhile: reload it",
            details={"field": "version", "current_version": contact.version},
        )
    if "name" in changes and not changes["name"]:
        raise Invalid("the name cannot be empty", field="name")
    if "owner_id" in changes:
        await _check_owner(uow, actor, changes["owner_id"])
    if "phone" in changes:
        changes["phone"] = normalise_phone(changes["phone"])
    if "notes" in changes and changes["notes"] is None:
        changes["notes"] = ""
    for key, value in changes.items():
        setattr(contact, key, value)
    return await _touch(uow, actor, contact)


async def _touch(uow: UnitOfWork, actor: Actor, contact: Contact) -> ContactRead:
    contact.version += 1
    contact.updated_at = uow.now()
    return await _emit(uow, actor, ContactUpdated, contact)


async def set_contact_tags(
    uow: UnitOfWork, actor: Actor, contact: Contact, tag_ids: list[uuid.UUID]
) -> ContactRead:
    actor.require_writer()
    if not await _replace_tags(uow, actor, contact, tag_ids):
        return await get_contact(uow.session, actor.workspace_id, contact.id)
    return await _touch(uow, actor, contact)


async def set_contact_fields(
    uow: UnitOfWork, actor: Actor, contact: Contact, values: dict[str, object]
) -> ContactRead:
    actor.require_writer()
    await set_field_values(uow, actor.workspace_id, contact.id, values)
    return await _touch(uow, actor, contact)


async def delete_contact(uow: UnitOfWork, actor: Actor, contact: Contact) -> None:
    """Erase the contact with their conversations and messages (owners and managers only)."""
    actor.require_admin()
    record_audit(uow, actor, "contact.deleted", "contact", contact.id, name=contact.name)
    uow.emit(
        ContactDeleted(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"contact_id": str(contact.id)},
        )
    )
    await uow.session.delete(contact)


async def merge_contacts(
    uow: UnitOfWork, actor: Actor, keep: Contact, other: Contact
) -> ContactRead:
    """Fold `other` into `keep`: identities, conversations, tags and missing details move over.

    Where both have a value, `keep`'s wins. `other` stays as a hidden row pointing at `keep`
    (`merged_into_id`), so links to it can be followed, and is 404 everywhere else.
    """
    actor.require_writer()
    if keep.id == other.id:
        raise Invalid("a contact cannot be merged with itself", field="other_contact_id")
    for model in (ContactIdentity, Conversation):
        await uow.session.execute(
            update(model).where(model.contact_id == other.id).values(contact_id=keep.id)
        )
    kept_tags = set(
        await uow.session.scalars(select(ContactTag.tag_id).where(ContactTag.contact_id == keep.id))
    )
    await uow.session.execute(
        update(ContactTag)
        .where(ContactTag.contact_id == other.id, ContactTag.tag_id.not_in(kept_tags))
        .values(contact_id=keep.id)
    )
    await uow.session.execute(delete(ContactTag).where(ContactTag.contact_id == other.id))
    kept_fields = set(
        await uow.session.scalars(
            select(ContactFieldValue.field_id).where(ContactFieldValue.contact_id == keep.id)
        )
    )
    await uow.session.execute(
        update(ContactFieldValue)
        .where(
            ContactFieldValue.contact_id == other.id, ContactFieldValue.field_id.not_in(kept_fields)
        )
        .values(contact_id=keep.id)
    )
    await uow.session.execute(
        delete(ContactFieldValue).where(ContactFieldValue.contact_id == other.id)
    )
    for attribute in ("email", "phone", "language", "lifecycle_stage", "owner_id", "avatar_url"):
        if getattr(keep, attribute) is None and getattr(other, attribute) is not None:
            setattr(keep, attribute, getattr(other, attribute))
    if other.notes and other.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n\n{other.notes}".strip()
    other.merged_into_id, other.updated_at = keep.id, uow.now()
    keep.version += 1
    keep.updated_at = uow.now()
    record_audit(uow, actor, "contact.merged", "contact", keep.id, merged=str(other.id))
    return await _emit(uow, actor, ContactMerged, keep, merged_contact_id=str(other.id))
