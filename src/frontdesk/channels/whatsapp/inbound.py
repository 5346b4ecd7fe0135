"""A WhatsApp webhook, turned into the provider-neutral records of `channels.common`.

One POST may carry several entries, changes, messages and statuses: every one is recorded, in
the request's one unit of work. Each change is routed to its channel by the business number
(`metadata.phone_number_id`); a number this workspace has not connected is ignored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from frontdesk.channels import common
from frontdesk.channels.common import (
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
)
from frontdesk.channels.whatsapp import payloads as wa
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.quarantine import quarantine_payload
from frontdesk.db.uow import UnitOfWork

log = logging.getLogger("frontdesk.channels.whatsapp")

WHATSAPP = "whatsapp"
WEBHOOK_OBJECT = "whatsapp_business_account"
# Meta's statuses and the delivery status each means; "played" is a voice note listened to.
STATUSES = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "played": "read",
    "failed": "failed",
}


def when(timestamp: str | None) -> datetime | None:
    """Meta's timestamps are Unix seconds, as strings."""
    try:
        return datetime.fromtimestamp(int(timestamp or ""), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _sender(contacts: list[wa.WaContact], phone: str | None, user_id: str | None) -> Profile | None:
    match = next(
        (c for c in contacts if (phone and c.wa_id == phone) or (user_id and c.user_id == user_id)),
        contacts[0] if len(contacts) == 1 else None,
    )
    phone = phone or (match.wa_id if match else None)
    user_id = user_id or (match.user_id if match else None)
    provider_id = phone or user_id
    if not provider_id:
        return None
    extra = {}
    if match and match.parent_user_id:
        extra["parent_user_id"] = match.parent_user_id
    if match and match.profile and match.profile.username:
        extra["username"] = match.profile.username
    return Profile(
        provider_id=provider_id,
        secondary_id=user_id if phone else None,
        name=match.profile.name if match and match.profile else None,
        phone=phone,
        extra=extra,
    )


def _media(message: wa.Message) -> tuple[MediaItem, str] | None:
    body: wa.Media | None = getattr(message, message.type, None)
    if body is None or not body.id:
        return None
    kind = "voice" if message.type == "audio" and body.voice else message.type
    item = MediaItem(
        kind=kind,
        provider_media_id=body.id,
        content_type=body.mime_type,
        name=body.filename,
        sha256=body.sha256,
    )
    return item, body.caption or ""


def _details(message: wa.Message) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if message.context and message.context.forwarded:
        details["forwarded"] = True
    if message.context and message.context.frequently_forwarded:
        details["frequently_forwarded"] = True
    if message.referral:
        details["referral"] = message.referral
    if message.errors:
        details["errors"] = message.errors
    return details


def _content(message: wa.Message) -> dict[str, Any] | None:
    """The kind and content of a message, or None for one Frontdesk cannot show."""
    if message.type == "text" and message.text is not None:
        return {"kind": InboundKind.TEXT, "text": message.text.body}
    if message.type in wa.MEDIA_TYPES and (found := _media(message)) is not None:
        return {"kind": InboundKind.MEDIA, "media": (found[0],), "text": found[1]}
    if message.type == "location" and message.location is not None:
        loc = message.location
        place = Location(loc.latitude, loc.longitude, loc.name, loc.address, loc.url)
        return {"kind": InboundKind.LOCATION, "location": place}
    if message.type == "contacts" and message.contacts:
        cards = tuple(_card(c) for c in message.contacts)
        return {"kind": InboundKind.CONTACTS, "contacts": cards}
    if message.type == "interactive" and message.interactive is not None:
        reply = message.interactive.button_reply or message.interactive.list_reply
        if reply is not None:
            choice = Choice(reply.id, reply.title, reply.description)
            return {"kind": InboundKind.INTERACTIVE_REPLY, "choice": choice}
        if message.interactive.nfm_reply is not None:
            nfm = message.interactive.nfm_reply
            choice = Choice(str(nfm.get("name") or "flow"), str(nfm.get("body") or "Form sent"))
            return {"kind": InboundKind.INTERACTIVE_REPLY, "choice": choice}
    if message.type == "button" and message.button is not None:
        button = message.button
        choice = Choice(button.payload or button.text, button.text)
        return {"kind": InboundKind.POSTBACK, "choice": choice}
    if message.type == "reaction" and message.reaction is not None:
        reaction = Reaction(message.reaction.message_id, message.reaction.emoji or "")
        return {"kind": InboundKind.REACTION, "reaction": reaction}
    return None


def _card(card: wa.ContactCard) -> SharedContact:
    name = card.name
    label = ""
    if name is not None:
        label = name.formatted_name or " ".join(p for p in (name.first_name, name.last_name) if p)
    phones = tuple(p.phone or p.wa_id or "" for p in card.phones if p.phone or p.wa_id)
    emails = tuple(e.email for e in card.emails if e.email)
    return SharedContact(label or (phones[0] if phones else "Contact"), phones, emails)


def _edit_text(edit: wa.Edit) -> str:
    inner = edit.message
    if inner is None:
        return ""
    if inner.text is not None:
        return inner.text.body
    media = inner.image or inner.video or inner.document
    return media.caption or "" if media is not None else ""


def message_item(raw: Mapping[str, Any], contacts: list[wa.WaContact]) -> InboundItem | None:
    """The record for one entry of `value.messages`; None when it names no id or sender."""
    try:
        message = wa.Message.model_validate(raw)
    except ValidationError:
        return _unparsed(raw, contacts)
    sender = _sender(contacts, message.sender, message.from_user_id)
    if sender is None:
        return None
    at = when(message.timestamp)
    if message.type == "edit" and message.edit is not None:
        return MessageEdit(
            message.id,
            message.edit.original_message_id,
            sender,
            _edit_text(message.edit),
            at or datetime.now(UTC),
            dict(raw),
        )
    if message.type == "revoke" and message.revoke is not None:
        return MessageDeletion(
            message.id,
            message.revoke.original_message_id,
            sender,
            at or datetime.now(UTC),
            dict(raw),
        )
    content = _content(message) or {"kind": InboundKind.UNSUPPORTED}
    quoted = message.context.id if message.context else None
    return InboundMessage(
        provider_message_id=message.id,
        sender=sender,
        reply_to_provider_id=quoted if content["kind"] != InboundKind.REACTION else None,
        sent_at=at,
        provider_type=message.type,
        details=_details(message),
        raw=dict(raw),
        **content,
    )


def _unparsed(raw: Mapping[str, Any], contacts: list[wa.WaContact]) -> InboundItem | None:
    """A message whose fields have unexpected types: kept raw as unsupported, if it has an id."""
    message_id, phone, user_id = raw.get("id"), raw.get("from"), raw.get("from_user_id")
    if not isinstance(message_id, str):
        return None
    sender = _sender(
        contacts,
        phone if isinstance(phone, str) else None,
        user_id if isinstance(user_id, str) else None,
    )
    if sender is None:
        return None
    return InboundMessage(
        provider_message_id=message_id,
        sender=sender,
        kind=InboundKind.UNSUPPORTED,
        provider_type=str(raw.get("type") or "unknown"),
        details={"parse_error": True},
        raw=dict(raw),
    )


def status_item(raw: Mapping[str, Any]) -> StatusUpdate | None:
    try:
        status = wa.Status.model_validate(raw)
    except ValidationError:
        return None
    mapped = STATUSES.get(status.status)
    if mapped is None:
        return None
    error = status.errors[0] if status.errors else None
    return StatusUpdate(
        provider_message_id=status.id,
        status=mapped,
        occurred_at=when(status.timestamp),
        error_code=str(error.code) if error and error.code is not None else None,
        error_title=error.title or error.message if error else None,
        error_detail=error.error_data.details if error and error.error_data else None,
        raw=dict(raw),
        our_message_id=_our_id(status.biz_opaque_callback_data),
    )


def _our_id(echoed: str | None) -> uuid.UUID | None:
    """The message id our send gave as `biz_opaque_callback_data`, if that is what came back
    (another system on the same number may send anything there)."""
    try:
        return uuid.UUID(echoed) if echoed else None
    except ValueError:
        return None


@dataclass
class WebhookResult:
    recorded: list[Recorded] = field(default_factory=list)
    ignored_numbers: list[str] = field(default_factory=list)
    quarantined: int = 0


@dataclass
class _Batch:
    uow: UnitOfWork
    workspace_id: uuid.UUID
    result: WebhookResult

    def set_aside(
        self, reason: str, payload: Mapping[str, Any], channel: Channel | None = None
    ) -> None:
        self.result.quarantined += 1
        if channel is not None:
            common.quarantine(self.uow, channel, reason, payload)
            return
        log.warning("whatsapp webhook of workspace %s set aside: %s", self.workspace_id, reason)
        quarantine_payload(
            self.uow,
            workspace_id=self.workspace_id,
            channel_type=WHATSAPP,
            reason=reason,
            payload=dict(payload),
        )


async def record_webhook(
    uow: UnitOfWork,
    workspace_id: uuid.UUID,
    channels: Mapping[str, Channel],
    body: Mapping[str, Any],
) -> WebhookResult:
    """Record every message and status of an authentic webhook body.

    `channels` maps the phone number ids this request may speak for (those whose app secret
    signed it) to their channels.
    """
    batch = _Batch(uow, workspace_id, WebhookResult())
    try:
        webhook = wa.Webhook.model_validate(body)
    except ValidationError:
        batch.set_aside("not a WhatsApp webhook body", body)
        return batch.result
    if webhook.object != WEBHOOK_OBJECT:
        batch.set_aside(f"object {webhook.object!r} is not handled", body)
        return batch.result
    for entry in webhook.entry:
        for change in entry.changes:
            await _record_change(batch, channels, change)
    return batch.result


async def _record_change(batch: _Batch, channels: Mapping[str, Channel], change: wa.Change) -> None:
    number = change.value.get("metadata", {})
    number_id = number.get("phone_number_id") if isinstance(number, dict) else None
    channel = channels.get(str(number_id)) if number_id is not None else None
    if number_id is not None and channel is None:
        log.warning("whatsapp webhook for number %s, not connected here: ignored", number_id)
        batch.result.ignored_numbers.append(str(number_id))
        return
    if change.field != "messages":
        batch.set_aside(f"field {change.field!r} is not handled", change.model_dump(), channel)
        return
    try:
        value = wa.ChangeValue.model_validate(change.value)
    except ValidationError:
        batch.set_aside("a change of an unexpected shape", change.model_dump(), channel)
        return
    if channel is None:  # a value that parsed names its number: this cannot happen
        return
    for raw in value.messages:
        item = message_item(raw, value.contacts)
        if item is None:
            batch.set_aside("a message without an id or a sender", raw, channel)
            continue
        batch.result.recorded.append(await common.record(batch.uow, channel, item))
    for raw in value.statuses:
        update = status_item(raw)
        if update is None:
            batch.set_aside("a status Frontdesk does not track", raw, channel)
            continue
        batch.result.recorded.append(await common.record(batch.uow, channel, update))
    if value.errors:
        batch.set_aside("errors reported by WhatsApp", {"errors": value.errors}, channel)
