"""A customer's message posted by an integrator, turned into `channels.common` records.

The body names the customer by the integrator's own id (`customer.external_id`, which is where
replies are addressed), their name and optional email and phone, the text, optional files by
URL (fetched later by the media job) and optional metadata (kept on the message). The
idempotency key (`Idempotency-Key` header, or `message_id` in the body) becomes the message's
provider id `in:<key>`: the message table's unique (channel, provider message id) stores a
repeated post once, and the repeat answers with the first one's ids. The same key with a
different body is refused (409): it is a mistake on the integrator's side, not a retry.
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.channels import common
from frontdesk.channels.api_channel.outbound import INBOUND_KEY_PREFIX
from frontdesk.channels.common import InboundKind, InboundMessage, MediaItem, Profile, Recorded
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Message
from frontdesk.core.schemas import Input
from frontdesk.core.text import restored_json
from frontdesk.db.uow import UnitOfWork

MAX_TEXT = 10_000
MAX_ATTACHMENTS = 10
MAX_METADATA_BYTES = 8 * 1024
MAX_KEY_LENGTH = 150
KIND_BY_TYPE = {"image": "image", "video": "video", "audio": "audio"}


class ApiCustomer(Input):
    external_id: str = Field(
        min_length=1, max_length=190, description="Your id of the customer; replies name it."
    )
    name: str | None = Field(default=None, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)


class ApiAttachment(Input):
    url: str = Field(min_length=8, max_length=2000, description="An http(s) URL Frontdesk GETs.")
    name: str | None = Field(default=None, max_length=200)
    content_type: str | None = Field(default=None, max_length=120)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http or https URL")
        return value


class ApiInboundMessage(Input):
    """A customer's message: text, files by URL, or both."""

    customer: ApiCustomer
    text: str = Field(default="", max_length=MAX_TEXT)
    attachments: list[ApiAttachment] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    metadata: dict[str, Any] = Field(
        default_factory=dict, description="Kept on the message as given (at most 8 KB of JSON)."
    )
    message_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        description="Your id of the message; used as the idempotency key without the header.",
    )
    sent_at: datetime | None = None

    @model_validator(mode="after")
    def _content(self) -> ApiInboundMessage:
        if not self.text.strip() and not self.attachments:
            raise ValueError("send a text or at least one attachment")
        if len(json.dumps(self.metadata, default=str)) > MAX_METADATA_BYTES:
            raise ValueError(f"metadata takes at most {MAX_METADATA_BYTES} bytes of JSON")
        return self


def _media(attachment: ApiAttachment) -> MediaItem:
    path = urlsplit(attachment.url).path
    name = attachment.name or posixpath.basename(path) or "file"
    content_type = attachment.content_type or mimetypes.guess_type(name)[0]
    major = (content_type or "").split("/", 1)[0]
    return MediaItem(
        kind=KIND_BY_TYPE.get(major, "document"),
        provider_media_id=attachment.url,
        content_type=content_type,
        name=name,
        url=attachment.url,
    )


def inbound_message(data: ApiInboundMessage, key: str, raw: dict[str, Any]) -> InboundMessage:
    customer = data.customer
    media = tuple(_media(a) for a in data.attachments)
    return InboundMessage(
        provider_message_id=INBOUND_KEY_PREFIX + key,
        sender=Profile(
            provider_id=customer.external_id,
            name=customer.name,
            email=customer.email,
            phone=customer.phone,
        ),
        kind=InboundKind.MEDIA if media else InboundKind.TEXT,
        text=data.text,
        media=media,
        sent_at=data.sent_at,
        details={"metadata": data.metadata} if data.metadata else {},
        raw=raw,
    )


@dataclass(frozen=True)
class EarlierCopy:
    """The message a key was first used for: its ids, and whether this post is the same."""

    message_id: uuid.UUID
    conversation_id: uuid.UUID
    same_body: bool


async def earlier_copy(
    db: AsyncSession, channel: Channel, key: str, raw: dict[str, Any]
) -> EarlierCopy | None:
    """The message stored under this key before, if any (read before writing anything, so a
    replay or a reused key changes nothing, not even the contact's name)."""
    row = (
        await db.execute(
            select(Message.id, Message.conversation_id, Message.raw).where(
                Message.channel_id == channel.id,
                Message.provider_message_id == INBOUND_KEY_PREFIX + key,
            )
        )
    ).first()
    if row is None:
        return None
    stored = restored_json(row.raw) if row.raw else {}
    return EarlierCopy(row.id, row.conversation_id, stored == raw)


async def record_api_message(
    uow: UnitOfWork, channel: Channel, data: ApiInboundMessage, key: str, raw: dict[str, Any]
) -> Recorded:
    """Store the message once: created, or the first copy's ids for a repeated key."""
    return await common.record_message(uow, channel, inbound_message(data, key, raw))
