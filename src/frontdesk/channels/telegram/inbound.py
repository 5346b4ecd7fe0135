"""A Telegram update, turned into the provider-neutral records of `channels.common`.

Only a bot's private chats become conversations: there the chat id is the customer's user id,
which is also where replies go. Updates from groups and channels, and update kinds Frontdesk
does not read, are kept raw in quarantine and answered 200, so Telegram stops resending them.

Keys: a message id is unique per chat only, so a message is keyed `<chat id>:<message id>`
(the same key our sent messages get, so replies and reactions find them); a button press by
`callback:<callback query id>`. Redelivered updates find their first copy and change nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from frontdesk.channels import common
from frontdesk.channels.common import (
    Choice,
    InboundKind,
    InboundMessage,
    Location,
    MediaItem,
    MessageEdit,
    Profile,
    Reaction,
    Recorded,
    SharedContact,
)
from frontdesk.channels.telegram import payloads as tg
from frontdesk.channels.telegram.outbound import callback_data
from frontdesk.core.channels.models import Channel, QuarantinedPayload
from frontdesk.core.conversations.updates import find_provider_message
from frontdesk.core.text import clean_text, restored_json
from frontdesk.db.uow import UnitOfWork

log = logging.getLogger("frontdesk.channels.telegram")

ANSWER_CALLBACK_JOB = "telegram.answer_callback_query"
PRIVATE = "private"
# Message fields that are about the message, not its content: what is left names the type.
ENVELOPE_FIELDS = frozenset(
    {
        "message_id",
        "message_thread_id",
        "from",
        "sender_chat",
        "sender_boost_count",
        "sender_business_bot",
        "business_connection_id",
        "chat",
        "date",
        "edit_date",
        "reply_to_message",
        "external_reply",
        "quote",
        "reply_to_story",
        "via_bot",
        "has_protected_content",
        "is_from_offline",
        "is_topic_message",
        "is_automatic_forward",
        "media_group_id",
        "author_signature",
        "forward_origin",
        "forward_from",
        "forward_from_chat",
        "forward_from_message_id",
        "forward_signature",
        "forward_sender_name",
        "forward_date",
        "entities",
        "caption_entities",
        "link_preview_options",
        "effect_id",
        "show_caption_above_media",
        "has_media_spoiler",
        "reply_markup",
        "caption",
    }
)
RECENT_QUARANTINE = 200


def when(timestamp: int | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(timestamp or 0), UTC) if timestamp else None
    except (ValueError, OverflowError, OSError):
        return None


def profile(user: tg.User | None, chat: tg.Chat) -> Profile:
    """The customer: their private chat's id (= their user id), named after their profile."""
    name = user.full_name if user else " ".join(p for p in (chat.first_name, chat.last_name) if p)
    extra: dict[str, Any] = {}
    username = (user.username if user else None) or chat.username
    if username:
        extra["username"] = username
    if user and user.language_code:
        extra["language_code"] = user.language_code
    language = user.language_code if user else None
    return Profile(provider_id=str(chat.id), name=name or None, extra=extra, language=language)


@dataclass(frozen=True)
class Content:
    kind: str
    text: str = ""
    media: tuple[MediaItem, ...] = ()
    location: Location | None = None
    contacts: tuple[SharedContact, ...] = ()
    provider_type: str | None = None


def _file(kind: str, file: tg.File, default_type: str | None) -> MediaItem:
    return MediaItem(
        kind=kind,
        provider_media_id=file.file_id,
        content_type=file.mime_type or default_type,
        name=file.file_name,
        size=file.file_size,
    )


def _media(message: tg.Message) -> MediaItem | None:
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width or 0) * (p.height or 0))
        return _file("image", largest, "image/jpeg")
    for field, kind, default_type in (
        ("document", "document", None),
        ("voice", "voice", "audio/ogg"),
        ("audio", "audio", None),
        ("video", "video", "video/mp4"),
        ("video_note", "video", "video/mp4"),
        ("animation", "video", "video/mp4"),
        ("sticker", "sticker", None),
    ):
        file: tg.File | None = getattr(message, field)
        if file is not None:
            return _file(kind, file, default_type)
    return None


def _provider_type(raw_message: dict[str, Any]) -> str:
    return next((k for k in raw_message if k not in ENVELOPE_FIELDS), "unknown")


def content(message: tg.Message, raw_message: dict[str, Any]) -> Content:
    """The kind and content of a message; types Frontdesk cannot show are `unsupported`."""
    caption = message.caption or ""
    if message.text is not None:
        return Content(InboundKind.TEXT, message.text)
    if (media := _media(message)) is not None:
        return Content(InboundKind.MEDIA, caption, media=(media,))
    if message.venue is not None:
        venue = message.venue
        place = Location(
            venue.location.latitude, venue.location.longitude, venue.title, venue.address
        )
        return Content(InboundKind.LOCATION, location=place)
    if message.location is not None:
        place = Location(message.location.latitude, message.location.longitude)
        return Content(InboundKind.LOCATION, location=place)
    if message.contact is not None:
        card = message.contact
        name = " ".join(p for p in (card.first_name, card.last_name) if p) or card.phone_number
        shared = SharedContact(name=name, phones=(card.phone_number,))
        return Content(InboundKind.CONTACTS, contacts=(shared,))
    return Content(InboundKind.UNSUPPORTED, caption, provider_type=_provider_type(raw_message))


def _details(raw_message: dict[str, Any]) -> dict[str, Any]:
    forwarded = any(k in raw_message for k in ("forward_origin", "forward_from", "forward_date"))
    return {"forwarded": True} if forwarded else {}


def inbound_message(
    message: tg.Message, raw_message: dict[str, Any], raw: dict[str, Any]
) -> InboundMessage:
    found = content(message, raw_message)
    reply = message.reply_to_message
    return InboundMessage(
        provider_message_id=message.key,
        sender=profile(message.from_user, message.chat),
        kind=found.kind,
        text=found.text,
        media=found.media,
        location=found.location,
        contacts=found.contacts,
        reply_to_provider_id=tg.message_key(message.chat.id, reply.message_id) if reply else None,
        sent_at=when(message.date),
        provider_type=found.provider_type,
        details=_details(raw_message),
        raw=raw,
    )


async def _record_edit(
    uow: UnitOfWork,
    channel: Channel,
    message: tg.Message,
    raw_message: dict[str, Any],
    raw: dict[str, Any],
) -> Recorded:
    text = message.text if message.text is not None else message.caption
    if text is None:
        return Recorded("ignored")  # a live location moving, or media swapped: nothing to show
    edited_at = when(message.edit_date) or when(message.date) or uow.now()
    edit = MessageEdit(
        provider_message_id=f"edit:{message.key}:{message.edit_date or 0}",
        target_provider_id=message.key,
        sender=profile(message.from_user, message.chat),
        text=text,
        edited_at=edited_at,
        raw=raw,
    )
    if await find_provider_message(uow, channel, message.key) is not None:
        return await common.record_edit(uow, channel, edit)
    # The edit came first (or the original was never delivered): record the message as it
    # now reads, marked edited; the original, if it arrives later, is then a duplicate.
    recorded = await common.record_message(uow, channel, inbound_message(message, raw_message, raw))
    await common.record_edit(uow, channel, edit)
    return recorded


async def _choice(uow: UnitOfWork, channel: Channel, query: tg.CallbackQuery) -> Choice:
    """The button pressed: its id and label, from the message we sent it on when we can."""
    data = query.data or ""
    if query.message is not None:
        ours = await find_provider_message(uow, channel, query.message.key)
        interactive = ((ours.payload or {}) if ours else {}).get("interactive") or {}
        choices = [
            *(interactive.get("buttons") or []),
            *(
                row
                for section in interactive.get("sections") or []
                for row in section.get("rows") or []
            ),
        ]
        for choice in choices:
            if callback_data(str(choice.get("id", ""))) == data:
                return Choice(
                    str(choice["id"]), str(choice.get("title") or data), choice.get("description")
                )
        for row in (query.message.reply_markup or {}).get("inline_keyboard") or []:
            for button in row:
                if isinstance(button, dict) and button.get("callback_data") == data:
                    return Choice(data, str(button.get("text") or data))
    return Choice(data, data)


async def _record_callback(
    uow: UnitOfWork, channel: Channel, query: tg.CallbackQuery, raw: dict[str, Any]
) -> Recorded:
    chat = query.message.chat if query.message is not None else tg.Chat(id=query.from_user.id)
    if chat.type != PRIVATE:
        return await set_aside(uow, channel, "a button pressed outside a private chat", raw)
    recorded = await common.record_message(
        uow,
        channel,
        InboundMessage(
            provider_message_id=f"callback:{query.id}",
            sender=profile(query.from_user, chat),
            kind=InboundKind.INTERACTIVE_REPLY,
            choice=await _choice(uow, channel, query),
            reply_to_provider_id=query.message.key if query.message is not None else None,
            sent_at=uow.now(),
            provider_type="callback_query",
            raw=raw,
        ),
    )
    if recorded.outcome == "created":
        # The customer's app shows a spinner on the button until the bot answers the press.
        uow.enqueue(
            ANSWER_CALLBACK_JOB,
            {"channel_id": str(channel.id), "callback_query_id": clean_text(query.id)},
            workspace_id=channel.workspace_id,
            max_attempts=3,
        )
    return recorded


async def _record_reaction(
    uow: UnitOfWork, channel: Channel, update: tg.MessageReactionUpdated, raw: dict[str, Any]
) -> Recorded:
    if update.chat.type != PRIVATE:
        return await set_aside(uow, channel, "a reaction outside a private chat", raw)
    emoji = next((r.emoji for r in update.new_reaction if r.type == "emoji" and r.emoji), "")
    target = tg.message_key(update.chat.id, update.message_id)
    return await common.record_message(
        uow,
        channel,
        InboundMessage(
            provider_message_id=f"reaction:{target}:{update.date}",
            sender=profile(update.user, update.chat),
            kind=InboundKind.REACTION,
            reaction=Reaction(target_provider_id=target, emoji=emoji),
            sent_at=when(update.date),
            raw=raw,
        ),
    )


async def _already_quarantined(uow: UnitOfWork, channel: Channel, update_id: Any) -> bool:
    """A redelivered update Frontdesk set aside before (looked for among the channel's latest)."""
    recent = await uow.session.scalars(
        select(QuarantinedPayload.payload)
        .where(
            QuarantinedPayload.workspace_id == channel.workspace_id,
            QuarantinedPayload.channel_id == channel.id,
        )
        .order_by(QuarantinedPayload.created_at.desc())
        .limit(RECENT_QUARANTINE)
    )
    return any(
        isinstance(p, dict) and restored_json(p).get("update_id") == update_id for p in recent
    )


async def set_aside(
    uow: UnitOfWork, channel: Channel, reason: str, raw: dict[str, Any]
) -> Recorded:
    """Keep an update Frontdesk does not show, once, for admins; the webhook still answers 200."""
    if await _already_quarantined(uow, channel, raw.get("update_id")):
        return Recorded("duplicate")
    common.quarantine(uow, channel, reason, raw)
    return Recorded("ignored")


async def record_update(uow: UnitOfWork, channel: Channel, raw: dict[str, Any]) -> Recorded:
    """Store one authentic update (a JSON object with an integer `update_id`)."""
    try:
        update = tg.Update.model_validate(raw)
    except ValidationError as exc:
        kind = next((k for k in raw if k != "update_id"), "unknown")
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return await set_aside(
            uow, channel, f"{kind} could not be read: {where}: {first['msg']}", raw
        )
    if update.message is not None:
        message, raw_message = update.message, raw["message"]
        if message.chat.type != PRIVATE:
            return await set_aside(uow, channel, f"a message from a {message.chat.type} chat", raw)
        return await common.record_message(uow, channel, inbound_message(message, raw_message, raw))
    if update.edited_message is not None:
        message = update.edited_message
        if message.chat.type != PRIVATE:
            return await set_aside(uow, channel, f"an edit in a {message.chat.type} chat", raw)
        return await _record_edit(uow, channel, message, raw["edited_message"], raw)
    if update.callback_query is not None:
        return await _record_callback(uow, channel, update.callback_query, raw)
    if update.message_reaction is not None:
        return await _record_reaction(uow, channel, update.message_reaction, raw)
    return await set_aside(uow, channel, f"update kind {update.kind!r} is not read", raw)
