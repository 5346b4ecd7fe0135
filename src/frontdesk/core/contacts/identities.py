"""Who wrote in on a channel: find or create the contact behind a provider's ids.

A contact identity is keyed on (channel, provider id). Some providers also send a second stable
id (WhatsApp's business-scoped user id), and may later send only that one: an identity is found
by either, and learns whichever it did not know yet.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.exc import IntegrityError

from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.actions import normalise_phone
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.contacts.queries import get_contact
from frontdesk.core.errors import Invalid
from frontdesk.core.events import ContactCreated, ContactUpdated, DomainEvent, workspace_key
from frontdesk.core.languages.codes import normalise_language
from frontdesk.db.uow import UnitOfWork

MAX_NAME = 200
PROVIDER = "provider"  # a contact's language given by the channel (language.py)
MAX_URL = 500


@dataclass(frozen=True)
class SenderIds:
    """What a provider says about who sent something; only `provider_id` is required."""

    provider_id: str
    secondary_id: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    avatar_url: str | None = None
    extra: Mapping[str, Any] | None = None
    language: str | None = None  # what the provider says they use: a hint, see language.py


@dataclass(frozen=True)
class Sender:
    identity: ContactIdentity
    contact: Contact


# Built once (with bound parameters): a webhook runs it for every message.
_FIND = (
    select(ContactIdentity, Contact)
    .join(Contact, Contact.id == ContactIdentity.contact_id)
    .where(
        ContactIdentity.workspace_id == bindparam("workspace_id"),
        ContactIdentity.channel_id == bindparam("channel_id"),
        or_(
            ContactIdentity.provider_id.in_(bindparam("keys", expanding=True)),
            ContactIdentity.secondary_id.in_(bindparam("keys", expanding=True)),
        ),
    )
)


async def _find(uow: UnitOfWork, channel: Channel, ids: SenderIds) -> Sender | None:
    """The identity behind `ids`, its contact loaded with it (one query)."""
    keys = [k for k in (ids.provider_id, ids.secondary_id) if k]
    params = {"workspace_id": channel.workspace_id, "channel_id": channel.id, "keys": keys}
    rows = (await uow.session.execute(_FIND, params)).all()
    # The provider id proper wins over a match on the secondary id.
    for identity, contact in rows:
        if identity.provider_id == ids.provider_id:
            return Sender(identity, contact)
    return Sender(rows[0][0], rows[0][1]) if rows else None


def _phone(raw: str | None) -> str | None:
    if not raw:
        return None
    with contextlib.suppress(Invalid):
        return normalise_phone(raw if raw.startswith("+") else f"+{raw}")
    return None


async def contact_changed(uow: UnitOfWork, contact: Contact) -> None:
    """A new version of the contact, changed by no member (a provider, a visitor): bump, stamp
    and emit `contact.updated` to the workspace."""
    contact.version += 1
    contact.updated_at = uow.now()
    await _emit(uow, ContactUpdated, contact)


async def contact_created(uow: UnitOfWork, contact: Contact) -> None:
    """Emit `contact.created` for a contact that just came in (flushed with its identity)."""
    await _emit(uow, ContactCreated, contact)


async def _emit(uow: UnitOfWork, event: type[DomainEvent], contact: Contact) -> None:
    await uow.session.flush()
    read = await get_contact(uow.session, contact.workspace_id, contact.id)
    uow.emit(
        event(
            workspace_id=contact.workspace_id,
            audience=(workspace_key(contact.workspace_id),),
            data=read.model_dump(mode="json"),
        )
    )


async def _learn(
    uow: UnitOfWork, identity: ContactIdentity, contact: Contact, ids: SenderIds
) -> None:
    """Bring a known identity and its contact up to date with what the provider now says."""
    if ids.secondary_id and identity.secondary_id != ids.secondary_id:
        if identity.provider_id == ids.secondary_id:
            # Known so far only by the secondary id: the real provider id has arrived.
            identity.provider_id = ids.provider_id
        identity.secondary_id = ids.secondary_id
    if ids.extra and any((identity.extra or {}).get(k) != v for k, v in ids.extra.items()):
        identity.extra = {**(identity.extra or {}), **ids.extra}
    name = (ids.name or "").strip()[:MAX_NAME]
    changed = False
    if name and name != identity.profile_name:
        # The contact keeps a name an agent typed; one that only echoed the profile follows it.
        if not contact.name or contact.name in (identity.profile_name, identity.provider_id):
            contact.name, changed = name, True
        identity.profile_name = name
    if ids.avatar_url and not contact.avatar_url:
        contact.avatar_url, changed = ids.avatar_url[:MAX_URL], True
    phone = _phone(ids.phone)
    if phone and not contact.phone:
        contact.phone, changed = phone, True
    language = normalise_language(ids.language) if ids.language else None
    if language and contact.language_source in (None, PROVIDER) and contact.language != language:
        contact.language, contact.language_source, changed = language, PROVIDER, True
    if changed:
        await contact_changed(uow, contact)


async def resolve_identity(uow: UnitOfWork, channel: Channel, ids: SenderIds) -> ContactIdentity:
    """The identity behind `ids` on `channel`, created (with its contact) on first contact."""
    return (await resolve_sender(uow, channel, ids)).identity


async def resolve_sender(uow: UnitOfWork, channel: Channel, ids: SenderIds) -> Sender:
    """The identity and contact behind `ids` on `channel`, created on first contact.

    Safe under concurrent deliveries: the second writer of a new identity finds the first's.
    """
    found = await _find(uow, channel, ids)
    if found is not None:
        await _learn(uow, found.identity, found.contact, ids)
        return found
    now = uow.now()
    name = (ids.name or "").strip()[:MAX_NAME]
    language = normalise_language(ids.language) if ids.language else None
    contact = Contact(
        workspace_id=channel.workspace_id,
        name=name or ids.phone or ids.provider_id,
        email=ids.email,
        phone=_phone(ids.phone),
        avatar_url=ids.avatar_url[:MAX_URL] if ids.avatar_url else None,
        language=language,
        language_source=PROVIDER if language else None,
        notes="",
        version=1,
        created_at=now,
        updated_at=now,
    )
    identity = ContactIdentity(
        workspace_id=channel.workspace_id,
        channel_id=channel.id,
        provider_id=ids.provider_id,
        secondary_id=ids.secondary_id,
        profile_name=name or None,
        extra=dict(ids.extra or {}),
        created_at=now,
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(contact)
            await uow.session.flush()
            identity.contact_id = contact.id
            uow.session.add(identity)
    except IntegrityError:
        # A concurrent delivery created this identity a moment ago.
        again = await _find(uow, channel, ids)
        if again is None:
            raise
        return again
    await contact_created(uow, contact)
    return Sender(identity, contact)
