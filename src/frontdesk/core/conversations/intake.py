"""Recording what a channel adapter produced, whatever its provider: the provider-neutral
records and `record(uow, channel, item)`.

An adapter (`channels/<provider>/inbound.py`) checks its provider's signature over the raw body,
parses the payload, turns each item into one of the records below and hands them, in the
webhook's own unit of work, to `record`. This does the rest: contact and identity,
deduplication by (channel, provider message id), threading, events, routing, the
customer-service window, delivery statuses, and the jobs a message needs (its files fetched,
its sender's profile asked of the provider when the channel's capabilities say so).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from frontdesk.core.channels.capabilities import capabilities_of
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.identities import SenderIds, resolve_identity, resolve_sender
from frontdesk.core.contacts.profiles import queue_profile_lookup
from frontdesk.core.conversations.inbound import Inbound, record_inbound_message
from frontdesk.core.conversations.models import MessageKind
from frontdesk.core.conversations.receipts import record_receipt
from frontdesk.core.conversations.updates import apply_deletion, apply_edit, apply_reaction
from frontdesk.core.text import cleaned, storable_json
from frontdesk.db.uow import UnitOfWork

log = logging.getLogger("frontdesk.inbound")

FETCH_MEDIA_JOB = "fetch_inbound_media"


class InboundKind:
    """The kinds of customer message core records (the message's `kind`)."""

    TEXT = MessageKind.TEXT
    MEDIA = MessageKind.MEDIA  # files (image, video, audio, voice, document, sticker...)
    LOCATION = MessageKind.LOCATION
    CONTACTS = MessageKind.CONTACTS  # contact cards the customer shared
    REACTION = "reaction"  # not a message of its own: shown on the message it reacts to
    INTERACTIVE_REPLY = MessageKind.INTERACTIVE_REPLY  # a tap on buttons or a list we sent
    POSTBACK = MessageKind.POSTBACK  # a menu or template button carrying a payload
    UNSUPPORTED = MessageKind.UNSUPPORTED  # any other type: kept raw, shown as unsupported


@dataclass(frozen=True)
class Profile:
    """Who sent it. `provider_id` is what replies are addressed to (WhatsApp wa_id, Telegram
    chat id, Messenger PSID); `secondary_id` another stable id the provider may send alone
    (WhatsApp's business-scoped user id)."""

    provider_id: str
    secondary_id: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    avatar_url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # The language the provider says they use (Telegram: their app's language): a hint
    # until their own messages show it.
    language: str | None = None


@dataclass(frozen=True)
class MediaItem:
    """A file still at the provider; `provider_media_id` is whatever its fetcher needs."""

    kind: str  # image, video, audio, voice, document, sticker, file
    provider_media_id: str
    content_type: str | None = None
    name: str | None = None
    size: int | None = None
    sha256: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SharedContact:
    name: str
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    """A tapped button or list row (interactive reply) or a postback: its id and label."""

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Reaction:
    target_provider_id: str
    emoji: str  # "" takes the reaction back


@dataclass(frozen=True)
class InboundMessage:
    """A customer's message. `raw` is the provider's payload for it, kept on the message."""

    provider_message_id: str
    sender: Profile
    kind: str
    text: str = ""  # the text, or a file's caption
    media: tuple[MediaItem, ...] = ()
    location: Location | None = None
    contacts: tuple[SharedContact, ...] = ()
    choice: Choice | None = None
    reaction: Reaction | None = None
    reply_to_provider_id: str | None = None
    sent_at: datetime | None = None
    provider_type: str | None = None  # the provider's own name for the type
    details: Mapping[str, Any] = field(default_factory=dict)  # forwarded, referral, errors...
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MessageEdit:
    provider_message_id: str  # the edit's own id
    target_provider_id: str
    sender: Profile
    text: str
    edited_at: datetime
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MessageDeletion:
    provider_message_id: str
    target_provider_id: str
    sender: Profile
    deleted_at: datetime
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusUpdate:
    """What happened to one of our messages: sent, delivered, read or failed (with why)."""

    provider_message_id: str
    status: str
    occurred_at: datetime | None = None
    error_code: str | None = None
    error_title: str | None = None
    error_detail: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)
    # Our message id, when the provider echoes the one given with the send.
    our_message_id: uuid.UUID | None = None


InboundItem = InboundMessage | MessageEdit | MessageDeletion | StatusUpdate


@dataclass(frozen=True)
class Recorded:
    """What `record` did: created, duplicate, applied, stale, parked or ignored."""

    outcome: str
    message_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None


def _sender_ids(profile: Profile) -> SenderIds:
    return SenderIds(
        provider_id=profile.provider_id,
        secondary_id=profile.secondary_id,
        name=profile.name,
        phone=profile.phone,
        email=profile.email,
        avatar_url=profile.avatar_url,
        extra=dict(profile.extra),
        language=profile.language,
    )


def message_payload(message: InboundMessage) -> dict[str, Any] | None:
    """The message's kind-specific content, as `Message.payload` keeps it."""
    payload: dict[str, Any] = {}
    if message.media:
        payload["media"] = [{**asdict(m), "status": "pending"} for m in message.media]
    if message.location is not None:
        payload["location"] = asdict(message.location)
    if message.contacts:
        payload["contacts"] = [
            {"name": c.name, "phones": list(c.phones), "emails": list(c.emails)}
            for c in message.contacts
        ]
    if message.choice is not None:
        payload["choice"] = asdict(message.choice)
    if message.provider_type and message.provider_type != message.kind:
        payload["provider_type"] = message.provider_type
    if message.details:
        payload["details"] = dict(message.details)
    return payload or None


def _body(message: InboundMessage) -> str:
    if message.text:
        return message.text
    if message.choice is not None:
        return message.choice.title
    if message.location is not None:
        return message.location.name or message.location.address or ""
    if message.contacts:
        return ", ".join(c.name for c in message.contacts)
    return ""


async def record_message(uow: UnitOfWork, channel: Channel, message: InboundMessage) -> Recorded:
    """A customer's message (or reaction): identity, dedupe, threading, events, media job."""
    raw = storable_json(message.raw) if message.raw else None
    message = cleaned(message)  # no NUL or lone surrogate reaches a column (`core.text`)
    sender = await resolve_sender(uow, channel, _sender_ids(message.sender))
    if capabilities_of(channel.type).profile_lookup:
        queue_profile_lookup(uow, sender.identity, sender.contact)
    if message.kind == InboundKind.REACTION:
        if message.reaction is None:
            return Recorded("ignored")
        at = message.sent_at or uow.now()
        changed = await apply_reaction(
            uow, channel, message.reaction.target_provider_id, message.reaction.emoji, at
        )
        return Recorded("applied" if changed else "ignored")
    recorded = await record_inbound_message(
        uow,
        Inbound(
            channel=channel,
            contact_id=sender.contact.id,
            contact=sender.contact,
            provider_message_id=message.provider_message_id,
            body=_body(message),
            attachments=[],
            kind=message.kind,
            sent_at=message.sent_at,
            payload=message_payload(message),
            raw=raw,
            reply_to_provider_id=message.reply_to_provider_id,
        ),
    )
    if recorded.created:
        for index in range(len(message.media)):
            uow.enqueue(
                FETCH_MEDIA_JOB,
                {"message_id": str(recorded.message.id), "index": index},
                workspace_id=channel.workspace_id,
            )
    return Recorded(
        "created" if recorded.created else "duplicate",
        recorded.message.id,
        recorded.conversation.id,
    )


async def record_edit(uow: UnitOfWork, channel: Channel, edit: MessageEdit) -> Recorded:
    edit = cleaned(edit)
    await resolve_identity(uow, channel, _sender_ids(edit.sender))
    changed = await apply_edit(uow, channel, edit.target_provider_id, edit.text, edit.edited_at)
    return Recorded("applied" if changed else "ignored")


async def record_deletion(uow: UnitOfWork, channel: Channel, deletion: MessageDeletion) -> Recorded:
    deletion = cleaned(deletion)
    await resolve_identity(uow, channel, _sender_ids(deletion.sender))
    changed = await apply_deletion(uow, channel, deletion.target_provider_id, deletion.deleted_at)
    return Recorded("applied" if changed else "ignored")


async def record_status(uow: UnitOfWork, channel: Channel, update: StatusUpdate) -> Recorded:
    """A status report; one with a status core does not track is ignored."""
    update = cleaned(update)
    error = None
    if update.error_code or update.error_title or update.error_detail:
        error = {
            "code": update.error_code or "provider_error",
            "message": update.error_detail or update.error_title or "the provider failed it",
            "title": update.error_title,
        }
    try:
        outcome = await record_receipt(
            uow,
            channel,
            update.provider_message_id,
            update.status,
            occurred_at=update.occurred_at,
            error=error,
            our_message_id=update.our_message_id,
        )
    except ValueError:
        return Recorded("ignored")
    return Recorded(outcome.value)


async def record(uow: UnitOfWork, channel: Channel, item: InboundItem) -> Recorded:
    """Store one inbound item; redelivered items change nothing and emit nothing."""
    if isinstance(item, InboundMessage):
        return await record_message(uow, channel, item)
    if isinstance(item, MessageEdit):
        return await record_edit(uow, channel, item)
    if isinstance(item, MessageDeletion):
        return await record_deletion(uow, channel, item)
    return await record_status(uow, channel, item)
