"""A Messenger (or Instagram Messaging) webhook, turned into the records of `channels.common`.

One POST may carry several entries (one per Page or account), each with `messaging[]` events
(and `standby[]` ones when another app owns the thread): every one is recorded in the request's
one unit of work, routed to its channel by `entry[].id`. Echoes (what the Page itself sent) are
not customer messages and are skipped. `delivery` and `read` carry a watermark meaning "all
messages sent before this moment": it is applied to the customer's outbound messages up to it,
once per (message, status), however often it is redelivered.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from frontdesk.channels import common
from frontdesk.channels.common import (
    Choice,
    InboundItem,
    InboundKind,
    InboundMessage,
    Location,
    MediaItem,
    MessageDeletion,
    Profile,
    Reaction,
    Recorded,
    StatusUpdate,
)
from frontdesk.channels.messenger import payloads as fb
from frontdesk.channels.messenger.flavor import Flavor
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.quarantine import quarantine_payload
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.conversations.models import Conversation, DeliveryStatus, Direction, Message
from frontdesk.db.uow import UnitOfWork

log = logging.getLogger("frontdesk.channels.messenger")

MAX_WATERMARK_MESSAGES = 200


def derived_id(kind: str, *parts: object) -> str:
    """A stable id for an event Meta gives none (or too long a one) for: redeliveries match."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"{kind}:{digest}"


def when(milliseconds: int | None) -> datetime | None:
    """Meta's Messenger timestamps are Unix milliseconds."""
    if milliseconds is None:
        return None
    try:
        return datetime.fromtimestamp(milliseconds / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _profile(party: fb.Party) -> Profile:
    extra = {"username": party.username} if party.username else {}
    return Profile(provider_id=party.id, name=party.name or party.username, extra=extra)


def _media(attachment: fb.Attachment) -> MediaItem | None:
    payload = attachment.payload or {}
    url = payload.get("url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    if attachment.type in fb.MEDIA_TYPES:
        kind = "document" if attachment.type == "file" else attachment.type
    elif "sticker_id" in payload:
        kind = "sticker"
    else:
        return None
    return MediaItem(kind=kind, provider_media_id=url, url=url)


def _location(attachment: fb.Attachment) -> Location | None:
    coordinates = (attachment.payload or {}).get("coordinates")
    if attachment.type != "location" or not isinstance(coordinates, dict):
        return None
    lat, long = coordinates.get("lat"), coordinates.get("long")
    if not isinstance(lat, int | float) or not isinstance(long, int | float):
        return None
    return Location(float(lat), float(long))


def _message_content(message: fb.MessageBody) -> dict[str, Any]:
    text = message.text or ""
    if message.quick_reply is not None:
        choice = Choice(message.quick_reply.payload or text, text)
        return {
            "kind": InboundKind.INTERACTIVE_REPLY,
            "choice": choice,
            "provider_type": "quick_reply",
        }
    media = tuple(m for a in message.attachments if (m := _media(a)) is not None)
    if media:
        return {
            "kind": InboundKind.MEDIA,
            "media": media,
            "text": text,
            "provider_type": message.attachments[0].type,
        }
    place = next((p for a in message.attachments if (p := _location(a)) is not None), None)
    if place is not None:
        return {"kind": InboundKind.LOCATION, "location": place, "provider_type": "location"}
    details: dict[str, Any] = {}
    if message.attachments:
        details["attachments"] = [a.model_dump() for a in message.attachments]
    if text and not message.is_unsupported:
        return {"kind": InboundKind.TEXT, "text": text, "provider_type": "text", "details": details}
    kind = message.attachments[0].type if message.attachments else "unsupported"
    return {
        "kind": InboundKind.UNSUPPORTED,
        "text": text,
        "provider_type": kind,
        "details": details,
    }


def message_item(event: fb.Event, raw: Mapping[str, Any]) -> InboundItem | None:
    """The record of a `message` event; None for an echo of the Page's own message."""
    message = event.message
    if message is None or message.is_echo:
        return None
    sender, at = _profile(event.sender), when(event.timestamp)
    if message.is_deleted:
        return MessageDeletion(
            derived_id("deleted", message.mid),
            message.mid,
            sender,
            at or datetime.now(UTC),
            dict(raw),
        )
    content = _message_content(message)
    details = dict(content.pop("details", {}) or {})
    reply_to = message.reply_to
    if reply_to is not None and reply_to.story:
        details["story_reply"] = reply_to.story
    if event.referral:
        details["referral"] = event.referral
    return InboundMessage(
        provider_message_id=message.mid,
        sender=sender,
        reply_to_provider_id=reply_to.mid if reply_to is not None else None,
        sent_at=at,
        details=details,
        raw=dict(raw),
        **content,
    )


def postback_item(event: fb.Event, raw: Mapping[str, Any]) -> InboundMessage | None:
    postback = event.postback
    if postback is None:
        return None
    # Older postbacks carry no mid: the sender, moment and payload identify a redelivery.
    mid = postback.mid or derived_id("postback", event.sender.id, event.timestamp, postback.payload)
    details = {"referral": postback.referral} if postback.referral else {}
    return InboundMessage(
        provider_message_id=mid,
        sender=_profile(event.sender),
        kind=InboundKind.POSTBACK,
        choice=Choice(postback.payload or postback.title, postback.title or postback.payload),
        sent_at=when(event.timestamp),
        provider_type="postback",
        details=details,
        raw=dict(raw),
    )


def reaction_item(event: fb.Event, raw: Mapping[str, Any]) -> InboundMessage | None:
    body = event.reaction
    if body is None:
        return None
    emoji = "" if body.action == "unreact" else (body.emoji or body.reaction or "")
    return InboundMessage(
        provider_message_id=derived_id("reaction", body.mid, event.sender.id, event.timestamp),
        sender=_profile(event.sender),
        kind=InboundKind.REACTION,
        reaction=Reaction(body.mid, emoji),
        sent_at=when(event.timestamp),
        provider_type="reaction",
        raw=dict(raw),
    )


def unparsed_item(raw: Mapping[str, Any]) -> InboundMessage | None:
    """An event of unexpected types: kept raw as unsupported when it names a mid and a sender."""
    sender, message = raw.get("sender"), raw.get("message")
    sender_id = sender.get("id") if isinstance(sender, dict) else None
    mid = message.get("mid") if isinstance(message, dict) else None
    if not isinstance(sender_id, str) or not isinstance(mid, str) or not sender_id or not mid:
        return None
    if len(sender_id) > fb.MAX_ID or len(mid) > fb.MAX_ID:
        return None
    return InboundMessage(
        provider_message_id=mid,
        sender=Profile(provider_id=sender_id),
        kind=InboundKind.UNSUPPORTED,
        provider_type="unknown",
        details={"parse_error": True},
        raw=dict(raw),
    )


async def apply_watermark(
    uow: UnitOfWork, channel: Channel, customer_id: str, status: str, watermark: datetime
) -> list[Recorded]:
    """Mark the customer's outbound messages sent up to `watermark` as delivered or read."""
    identities = select(ContactIdentity.contact_id).where(
        ContactIdentity.channel_id == channel.id, ContactIdentity.provider_id == customer_id
    )
    done = [DeliveryStatus.READ, DeliveryStatus.FAILED]
    if status == DeliveryStatus.DELIVERED:
        done.append(DeliveryStatus.DELIVERED)
    rows = await uow.session.scalars(
        select(Message.provider_message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.workspace_id == channel.workspace_id,
            Message.channel_id == channel.id,
            Message.direction == Direction.OUTBOUND,
            Message.provider_message_id.is_not(None),
            Message.status.not_in(done),
            Message.created_at <= watermark,
            Conversation.contact_id.in_(identities),
        )
        .order_by(Message.created_at)
        .limit(MAX_WATERMARK_MESSAGES)
    )
    recorded = []
    for provider_id in rows:
        if provider_id:
            update = StatusUpdate(provider_id, status, occurred_at=watermark)
            recorded.append(await common.record(uow, channel, update))
    return recorded


@dataclass
class WebhookResult:
    recorded: list[Recorded] = field(default_factory=list)
    ignored_accounts: list[str] = field(default_factory=list)
    echoes: int = 0
    quarantined: int = 0


@dataclass
class _Batch:
    uow: UnitOfWork
    flavor: Flavor
    workspace_id: uuid.UUID
    result: WebhookResult

    def set_aside(
        self, reason: str, payload: Mapping[str, Any], channel: Channel | None = None
    ) -> None:
        self.result.quarantined += 1
        if channel is not None:
            common.quarantine(self.uow, channel, reason, payload)
            return
        log.warning(
            "%s webhook of workspace %s set aside: %s",
            self.flavor.channel_type,
            self.workspace_id,
            reason,
        )
        quarantine_payload(
            self.uow,
            workspace_id=self.workspace_id,
            channel_type=self.flavor.channel_type,
            reason=reason,
            payload=dict(payload),
        )

    async def record(self, channel: Channel, item: InboundItem) -> None:
        self.result.recorded.append(await common.record(self.uow, channel, item))


async def record_webhook(
    uow: UnitOfWork,
    flavor: Flavor,
    workspace_id: uuid.UUID,
    channels: Mapping[str, Channel],
    body: Mapping[str, Any],
) -> WebhookResult:
    """Record every event of an authentic webhook body.

    `channels` maps the Page / account ids this request may speak for (those whose app secret
    signed it) to their channels.
    """
    batch = _Batch(uow, flavor, workspace_id, WebhookResult())
    try:
        webhook = fb.Webhook.model_validate(body)
    except ValidationError:
        batch.set_aside(f"not a {flavor.label} webhook body", body)
        return batch.result
    if webhook.object != flavor.webhook_object:
        batch.set_aside(f"object {webhook.object!r} is not handled", body)
        return batch.result
    for entry in webhook.entry:
        channel = channels.get(entry.id)
        if channel is None:
            log.warning("%s webhook for %s, not connected here: ignored", flavor.label, entry.id)
            batch.result.ignored_accounts.append(entry.id)
            continue
        for raw in [*entry.messaging, *entry.standby]:
            await _record_event(batch, channel, raw)
        if not entry.messaging and not entry.standby:
            batch.set_aside("an entry without messaging events", entry.model_dump(), channel)
    return batch.result


async def _record_event(batch: _Batch, channel: Channel, raw: Mapping[str, Any]) -> None:
    try:
        event = fb.Event.model_validate(raw)
    except ValidationError:
        item = unparsed_item(raw)
        if item is None:
            batch.set_aside("an event of an unexpected shape", raw, channel)
        else:
            await batch.record(channel, item)
        return
    if event.message is not None:
        if event.message.is_echo:
            batch.result.echoes += 1
            return
        found = message_item(event, raw)
        if found is not None:
            await batch.record(channel, found)
        return
    if (postback := postback_item(event, raw)) is not None:
        await batch.record(channel, postback)
        return
    if (reaction := reaction_item(event, raw)) is not None:
        await batch.record(channel, reaction)
        return
    if event.delivery is not None or event.read is not None:
        await _record_receipts(batch, channel, event)
        return
    batch.set_aside("an event Frontdesk does not handle", raw, channel)


async def _record_receipts(batch: _Batch, channel: Channel, event: fb.Event) -> None:
    customer = event.sender.id
    at = when(event.timestamp)
    if event.delivery is not None:
        for mid in event.delivery.mids:
            update = StatusUpdate(mid, DeliveryStatus.DELIVERED, occurred_at=at)
            await batch.record(channel, update)
        mark = when(event.delivery.watermark)
        if mark is not None:
            batch.result.recorded.extend(
                await apply_watermark(batch.uow, channel, customer, DeliveryStatus.DELIVERED, mark)
            )
    if event.read is not None:
        if event.read.mid:
            await batch.record(channel, StatusUpdate(event.read.mid, DeliveryStatus.READ, at))
        mark = when(event.read.watermark)
        if mark is not None:
            batch.result.recorded.extend(
                await apply_watermark(batch.uow, channel, customer, DeliveryStatus.READ, mark)
            )
