"""What every channel adapter produces, whatever its provider, and the calls that store it.

The provider-neutral records (`InboundMessage`, `StatusUpdate`...) and `record(uow, channel,
item)` live in core (`core/conversations/intake.py`) and are re-exported here for the adapters.
An adapter (`channels/<provider>/inbound.py`) checks its provider's signature over the raw body,
parses the payload, turns each item into one of those records and hands them, in the webhook's
own unit of work, to `record`. `docs/subsystems/channel-specs.md` is the checklist.

Files are fetched later by the `fetch_inbound_media` job through the spec's `media_fetcher`; a
new sender's profile, for providers whose webhooks carry only an id or no picture, by the
`fetch_contact_profile` job through its `profile_fetcher`; read receipts go out through its
`read_receipt_sender`; replies through its `sender` (`channels/spec.py`). All of them raise the
errors of `channels.outbound` (TemporaryProviderError and RateLimitedByProvider are retried,
PermanentProviderError is not).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.quarantine import quarantine_payload
from frontdesk.core.conversations.intake import (
    FETCH_MEDIA_JOB,
    Choice,
    InboundItem,
    InboundKind,
    InboundMessage,
    Location,
    MediaItem,
    MessageDeletion,
    MessageEdit,
    Profile,
    Reaction,
    Recorded,
    SharedContact,
    StatusUpdate,
    message_payload,
    record,
    record_deletion,
    record_edit,
    record_message,
    record_status,
)
from frontdesk.db.uow import UnitOfWork

__all__ = [
    "FETCH_MEDIA_JOB",
    "Choice",
    "FetchedMedia",
    "FetchedProfile",
    "InboundItem",
    "InboundKind",
    "InboundMessage",
    "Location",
    "MediaFetcher",
    "MediaItem",
    "MediaRequest",
    "MessageDeletion",
    "MessageEdit",
    "Profile",
    "ProfileFetcher",
    "ProfileRequest",
    "Reaction",
    "ReadReceipt",
    "ReadReceiptSender",
    "Recorded",
    "SharedContact",
    "StatusUpdate",
    "message_payload",
    "quarantine",
    "record",
    "record_deletion",
    "record_edit",
    "record_message",
    "record_status",
]

log = logging.getLogger("frontdesk.channels")


def quarantine(
    uow: UnitOfWork,
    channel: Channel,
    reason: str,
    payload: Mapping[str, Any],
) -> None:
    """Keep an authentic payload the adapter cannot use; the webhook still answers 2xx."""
    log.warning("%s channel %s: payload set aside: %s", channel.type, channel.id, reason)
    quarantine_payload(
        uow,
        workspace_id=channel.workspace_id,
        channel_id=channel.id,
        channel_type=channel.type,
        reason=reason,
        payload=dict(payload),
    )


@dataclass(frozen=True)
class MediaRequest:
    """Fetch one file of an inbound message: `media` is its `payload.media` entry."""

    channel: Channel
    secrets: Mapping[str, Any]
    media: Mapping[str, Any]
    provider_urls: Mapping[str, str]
    max_bytes: int
    # Opens a unit of work, for fetchers that read files kept on arrival (email).
    unit_of_work: Callable[[], UnitOfWork] | None = None


@dataclass(frozen=True)
class FetchedMedia:
    data: bytes
    content_type: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class ReadReceipt:
    """Tell the provider the customer's message (and those before it) were read."""

    channel: Channel
    secrets: Mapping[str, Any]
    provider_message_id: str
    provider_urls: Mapping[str, str]


@dataclass(frozen=True)
class ProfileRequest:
    """Ask the provider who `provider_id` is; a picture may be fetched up to `max_bytes`."""

    channel: Channel
    secrets: Mapping[str, Any]
    provider_id: str
    provider_urls: Mapping[str, str]
    max_bytes: int


@dataclass(frozen=True)
class FetchedProfile:
    """A customer's name, extras to keep on the identity, and their picture (an image only)."""

    name: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    picture: FetchedMedia | None = None


MediaFetcher = Callable[[MediaRequest], Awaitable[FetchedMedia]]
ReadReceiptSender = Callable[[ReadReceipt], Awaitable[None]]
ProfileFetcher = Callable[[ProfileRequest], Awaitable[FetchedProfile]]
