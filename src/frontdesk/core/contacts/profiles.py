"""A customer's profile asked of the provider after the message, for channels whose webhooks
name the sender only by an id (Messenger's PSID, Instagram's IGSID) or carry no picture
(Telegram).

The lookup is queued once per identity, and only while its contact lacks a name (shows nothing
better than the raw id) or a picture; the identity's `extra["profile_lookup"]` says where it
stands (queued, done, failed), so later messages never ask again. What comes back fills the
contact's name and picture only where they are still empty or the raw id: a name an agent typed
and a picture the contact already has are kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from frontdesk.core.contacts.identities import MAX_NAME, MAX_URL, contact_changed
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.db.uow import UnitOfWork

FETCH_PROFILE_JOB = "fetch_contact_profile"
LOOKUP_KEY = "profile_lookup"
QUEUED, DONE, FAILED = "queued", "done", "failed"


@dataclass(frozen=True)
class ProviderProfile:
    """What the provider told about a customer: a name, a stored picture, extras to keep."""

    name: str | None = None
    avatar_url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def shows_only_id(identity: ContactIdentity, contact: Contact) -> bool:
    """The contact's name is empty or still the provider's raw id: nobody named it yet."""
    name = (contact.name or "").strip()
    return not name or name == identity.provider_id


def queue_profile_lookup(uow: UnitOfWork, identity: ContactIdentity, contact: Contact) -> bool:
    """Queue the profile lookup of `identity` unless it was asked already or is not needed."""
    if (identity.extra or {}).get(LOOKUP_KEY):
        return False
    if not shows_only_id(identity, contact) and contact.avatar_url:
        return False  # named and pictured: nothing the provider could add
    identity.extra = {**(identity.extra or {}), LOOKUP_KEY: QUEUED}
    uow.enqueue(
        FETCH_PROFILE_JOB,
        {"workspace_id": str(identity.workspace_id), "identity_id": str(identity.id)},
        workspace_id=identity.workspace_id,
    )
    return True


async def _load(
    uow: UnitOfWork, workspace_id: uuid.UUID, identity_id: uuid.UUID
) -> tuple[ContactIdentity, Contact] | None:
    row = (
        await uow.session.execute(
            select(ContactIdentity, Contact)
            .join(Contact, Contact.id == ContactIdentity.contact_id)
            .where(ContactIdentity.workspace_id == workspace_id, ContactIdentity.id == identity_id)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def record_profile(
    uow: UnitOfWork, workspace_id: uuid.UUID, identity_id: uuid.UUID, profile: ProviderProfile
) -> bool:
    """Keep what the provider told: the contact gets the name and picture where it has none.

    Returns whether the contact changed (then `contact.updated` is emitted).
    """
    found = await _load(uow, workspace_id, identity_id)
    if found is None:
        return False
    identity, contact = found
    identity.extra = {**(identity.extra or {}), **profile.extra, LOOKUP_KEY: DONE}
    name = (profile.name or "").strip()[:MAX_NAME]
    changed = False
    if name:
        if shows_only_id(identity, contact) or contact.name == identity.profile_name:
            changed = contact.name != name
            contact.name = name
        identity.profile_name = name
    if profile.avatar_url and not contact.avatar_url:
        contact.avatar_url, changed = profile.avatar_url[:MAX_URL], True
    if changed:
        await contact_changed(uow, contact)
    return changed


async def record_profile_failed(
    uow: UnitOfWork, workspace_id: uuid.UUID, identity_id: uuid.UUID
) -> bool:
    """The provider would not tell: the contact stays as it is, and nobody asks again."""
    found = await _load(uow, workspace_id, identity_id)
    if found is None:
        return False
    identity = found[0]
    identity.extra = {**(identity.extra or {}), LOOKUP_KEY: FAILED}
    return True


async def wants_avatar(
    uow: UnitOfWork, workspace_id: uuid.UUID, identity_id: uuid.UUID
) -> bool | None:
    """Whether the identity's contact still has no picture; None when the identity is gone."""
    found = await _load(uow, workspace_id, identity_id)
    return None if found is None else not found[1].avatar_url
