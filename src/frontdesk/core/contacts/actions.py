"""Changing contacts: create, update, delete, tags, field values and merging duplicates."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import delete, select, update
from sqlalchemy.orm import InstrumentedAttribute

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.contacts.duplicates_undo import record_merge
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
from frontdesk.core.languages.codes import normalise_language
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


def _language(raw: str | None) -> str | None:
    if raw is None:
        return None
    code = normalise_language(raw)
    if code is None:
        raise Invalid("not a language code", field="language")
    return code


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
    """Flush, reload the contact as the API shows it and emit it whole to the workspace."""
    await uow.session.flush()
    read = await get_contact(uow.session, actor.workspace_id, contact.id)
    uow.emit(
        event(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={**read.model_dump(mode="json"), **extra},
        )
    )
    return read


async def _replace_tags(
    uow: UnitOfWork, actor: Actor, contact: Contact, tag_ids: list[uuid.UUID]
) -> bool:
    """Make the contact's tags exactly `tag_ids`; False when nothing changed."""
    wanted = {t.id for t in await access_tags(uow.session, actor, tag_ids)}
    current = set(
        await uow.session.scalars(
            select(ContactTag.tag_id).where(
                ContactTag.workspace_id == actor.workspace_id, ContactTag.contact_id == contact.id
            )
        )
    )
    if wanted == current:
        return False
    if current - wanted:
        await uow.session.execute(
            delete(ContactTag).where(
                ContactTag.workspace_id == actor.workspace_id,
                ContactTag.contact_id == contact.id,
                ContactTag.tag_id.in_(current - wanted),
            )
        )
    now = uow.now()
    uow.session.add_all(
        ContactTag(workspace_id=actor.workspace_id, contact_id=contact.id, tag_id=t, created_at=now)
        for t in wanted - current
    )
    return True


async def create_contact(uow: UnitOfWork, actor: Actor, data: ContactCreate) -> ContactRead:
    """A new contact with tags and field values; every id and value is checked first."""
    actor.require_writer()
    await _check_owner(uow, actor, data.owner_id)
    now = uow.now()
    contact = Contact(
        workspace_id=actor.workspace_id,
        name=data.name,
        email=data.email,
        phone=normalise_phone(data.phone),
        language=_language(data.language),
        language_source="agent" if data.language else None,
        lifecycle_stage=data.lifecycle_stage,
        owner_id=data.owner_id,
        notes=data.notes,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await access_tags(uow.session, actor, data.tag_ids)  # refuse before writing anything
    uow.session.add(contact)
    await uow.session.flush()
    await _replace_tags(uow, actor, contact, data.tag_ids)
    await set_field_values(uow, actor.workspace_id, contact.id, data.fields)
    return await _emit(uow, actor, ContactCreated, contact)


async def update_contact(
    uow: UnitOfWork, actor: Actor, contact: Contact, data: ContactUpdate
) -> ContactRead:
    """Change the fields given; with `version`, refuse (409) if someone changed it meanwhile."""
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
    if "language" in changes:
        # A member's word on the language is final (detection never changes it); clearing it
        # lets detection decide again from the contact's messages.
        changes["language"] = _language(changes["language"])
        changes["language_source"] = "agent" if changes["language"] else None
    changes = {k: v for k, v in changes.items() if getattr(contact, k) != v}
    if not changes:
        return await get_contact(uow.session, actor.workspace_id, contact.id)
    for key, value in changes.items():
        setattr(contact, key, value)
    described: dict[str, object] = {"contact": sorted(changes)}
    if "lifecycle_stage" in changes:
        described["lifecycle_stage"] = changes["lifecycle_stage"]
    return await _touch(uow, actor, contact, described)


async def _touch(
    uow: UnitOfWork, actor: Actor, contact: Contact, changes: dict[str, object] | None = None
) -> ContactRead:
    """A new version of the contact: bump, stamp and emit `contact.updated` (with what
    changed, for the workflows' contact triggers)."""
    contact.version += 1
    contact.updated_at = uow.now()
    return await _emit(uow, actor, ContactUpdated, contact, changes=changes or {})


async def set_contact_tags(
    uow: UnitOfWork, actor: Actor, contact: Contact, tag_ids: list[uuid.UUID]
) -> ContactRead:
    """Replace the contact's tags; every id must be a tag of the workspace."""
    actor.require_writer()
    before = set(await _tag_ids(uow, actor, contact))
    if not await _replace_tags(uow, actor, contact, tag_ids):
        return await get_contact(uow.session, actor.workspace_id, contact.id)
    after = set(tag_ids)
    changes: dict[str, object] = {
        "tags_added": sorted(str(t) for t in after - before),
        "tags_removed": sorted(str(t) for t in before - after),
    }
    return await _touch(uow, actor, contact, changes)


async def tag_contact(
    uow: UnitOfWork, actor: Actor, contact: Contact, tag_id: uuid.UUID
) -> ContactRead:
    """Add one tag (already there: nothing changes)."""
    actor.require_writer()
    await access_tags(uow.session, actor, [tag_id])
    current = await _tag_ids(uow, actor, contact)
    return await set_contact_tags(uow, actor, contact, [*current, tag_id])


async def untag_contact(
    uow: UnitOfWork, actor: Actor, contact: Contact, tag_id: uuid.UUID
) -> ContactRead:
    """Remove one tag (not there: nothing changes)."""
    actor.require_writer()
    await access_tags(uow.session, actor, [tag_id])
    current = await _tag_ids(uow, actor, contact)
    return await set_contact_tags(uow, actor, contact, [t for t in current if t != tag_id])


async def _tag_ids(uow: UnitOfWork, actor: Actor, contact: Contact) -> list[uuid.UUID]:
    return list(
        await uow.session.scalars(
            select(ContactTag.tag_id).where(
                ContactTag.workspace_id == actor.workspace_id, ContactTag.contact_id == contact.id
            )
        )
    )


async def set_contact_fields(
    uow: UnitOfWork, actor: Actor, contact: Contact, values: dict[str, object]
) -> ContactRead:
    """Set custom field values by key (null clears one); unknown keys or bad values: 422."""
    actor.require_writer()
    await set_field_values(uow, actor.workspace_id, contact.id, values)
    return await _touch(uow, actor, contact, {"fields": sorted(values)})


async def delete_contact(uow: UnitOfWork, actor: Actor, contact: Contact) -> None:
    """Erase the contact with their conversations and messages (owners and managers only).

    Contacts merged into it earlier (hidden duplicates) are erased with it.

    `contact.deleted` carries the contact as it was, so clients can drop it and its threads.
    """
    actor.require_admin()
    read = await get_contact(uow.session, actor.workspace_id, contact.id)
    record_audit(uow, actor, "contact.deleted", "contact", contact.id, name=contact.name)
    # Duplicates merged into it are hidden shells of the same person: they go too.
    await uow.session.execute(
        delete(Contact).where(
            Contact.workspace_id == actor.workspace_id, Contact.merged_into_id == contact.id
        )
    )
    await uow.session.delete(contact)
    uow.emit(
        ContactDeleted(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data=read.model_dump(mode="json"),
        )
    )


async def merge_contacts(
    uow: UnitOfWork, actor: Actor, keep: Contact, other: Contact
) -> ContactRead:
    """Fold `other` (a duplicate) into `keep`; agents and above may do it, viewers not.

    Identities, conversations and tags move over; field values move where `keep` has none
    (where both are set, `keep`'s wins); empty email, phone, owner and other details are
    filled from `other` and its notes are appended. `other` is not deleted: it stays as a
    hidden row pointing at `keep` (`merged_into_id`), so links to it can be followed, and is
    "not found" for every endpoint and absent from lists and search. `contact.merged`
    carries the kept contact plus `merged_contact_id`. What moved is recorded, so the merge
    can be undone for seven days (duplicates_undo.py).
    """
    actor.require_writer()
    if keep.id == other.id:
        raise Invalid("a contact cannot be merged with itself", field="other_contact_id")
    ws = actor.workspace_id
    await record_merge(uow, actor, keep, other, FILLED_ON_MERGE)  # for its undo
    for model in (ContactIdentity, Conversation):
        await uow.session.execute(
            update(model)
            .where(model.workspace_id == ws, model.contact_id == other.id)
            .values(contact_id=keep.id)
        )
    await _move_links(uow, ws, model=ContactTag, key=ContactTag.tag_id, keep=keep, other=other)
    await _move_links(
        uow, ws, model=ContactFieldValue, key=ContactFieldValue.field_id, keep=keep, other=other
    )
    # Contacts merged into `other` earlier now point straight at `keep`.
    await uow.session.execute(
        update(Contact)
        .where(Contact.workspace_id == ws, Contact.merged_into_id == other.id)
        .values(merged_into_id=keep.id)
    )
    if keep.language_source != "agent" and other.language_source == "agent":
        keep.language, keep.language_source = other.language, other.language_source
    for attribute in FILLED_ON_MERGE:
        if getattr(keep, attribute) is None and getattr(other, attribute) is not None:
            setattr(keep, attribute, getattr(other, attribute))
    if other.notes and other.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n\n{other.notes}".strip()
    now = uow.now()
    other.merged_into_id, other.updated_at, other.version = keep.id, now, other.version + 1
    keep.version, keep.updated_at = keep.version + 1, now
    record_audit(uow, actor, "contact.merged", "contact", keep.id, merged=str(other.id))
    return await _emit(uow, actor, ContactMerged, keep, merged_contact_id=str(other.id))


FILLED_ON_MERGE = (
    "email",
    "phone",
    "language",
    "language_source",
    "language_evidence",
    "lifecycle_stage",
    "owner_id",
    "avatar_url",
)


async def _move_links(
    uow: UnitOfWork,
    workspace_id: uuid.UUID,
    *,
    model: type[ContactTag] | type[ContactFieldValue],
    key: InstrumentedAttribute[uuid.UUID],
    keep: Contact,
    other: Contact,
) -> None:
    """Move `other`'s rows to `keep` unless `keep` has one for the same key; drop the rest."""
    kept = select(key).where(model.workspace_id == workspace_id, model.contact_id == keep.id)
    await uow.session.execute(
        update(model)
        .where(
            model.workspace_id == workspace_id,
            model.contact_id == other.id,
            key.not_in(kept),
        )
        .values(contact_id=keep.id)
        .execution_options(synchronize_session=False)
    )
    await uow.session.execute(
        delete(model)
        .where(model.workspace_id == workspace_id, model.contact_id == other.id)
        .execution_options(synchronize_session=False)
    )
