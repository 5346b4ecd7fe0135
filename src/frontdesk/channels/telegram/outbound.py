"""Sending a reply through the Bot API: sendMessage, or sendPhoto / sendDocument for files.

A quoted message becomes `reply_parameters`, buttons and list rows an inline keyboard whose
`callback_data` comes back in the customer's callback_query. Telegram's errors become the
delivery job's three outcomes: 429 waits `retry_after`, a 5xx or a network failure is retried
with backoff, anything else (400 chat not found, 403 the user blocked the bot, 401 a revoked
token) fails the message with Telegram's own description.
"""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

from frontdesk.channels.outbound import (
    Delivery,
    PermanentProviderError,
    ProviderError,
    RateLimitedByProvider,
    TemporaryProviderError,
)
from frontdesk.channels.telegram.client import BotApi, TelegramApiError, TelegramUnreachable
from frontdesk.channels.telegram.payloads import SentMessage, message_key, split_key
from frontdesk.core.sendbudget import Allowance

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
DEFAULT_RETRY_AFTER = 5.0
BOT_PER_SECOND = 30.0
CHAT_PER_SECOND = 1.0
CHAT_BURST = 3.0
GROUP_PER_MINUTE = 20.0
HTTP_UNAUTHORIZED = 401
HTTP_FORBIDDEN = 403
HTTP_TOO_MANY_REQUESTS = 429
HINTS = {
    HTTP_UNAUTHORIZED: "the bot token was revoked: reconnect the bot in Settings",
    HTTP_FORBIDDEN: "the customer blocked the bot or never started it",
}


def provider_error(exc: TelegramApiError | TelegramUnreachable) -> ProviderError:
    """The delivery outcome of a Bot API failure."""
    if isinstance(exc, TelegramUnreachable):
        return TemporaryProviderError("telegram_unreachable", str(exc))
    if exc.error_code == HTTP_TOO_MANY_REQUESTS:
        return RateLimitedByProvider(
            exc.retry_after or DEFAULT_RETRY_AFTER, f"Telegram: {exc.description}"
        )
    if exc.is_temporary:
        return TemporaryProviderError(f"telegram_{exc.error_code}", exc.description)
    hint = HINTS.get(exc.error_code)
    message = f"{exc.description} ({hint})" if hint else exc.description
    return PermanentProviderError(f"telegram_{exc.error_code}", message)


def callback_data(choice_id: str) -> str:
    """A choice id as `callback_data` (1-64 bytes): itself when it fits, else a digest of it."""
    if 0 < len(choice_id.encode()) <= MAX_CALLBACK_DATA:
        return choice_id
    return "sha256:" + hashlib.sha256(choice_id.encode()).hexdigest()[:48]


def inline_keyboard(payload: dict[str, Any]) -> dict[str, Any] | None:
    """Buttons side by side in one row; list rows one per row (Telegram has no list menu)."""
    interactive = payload.get("interactive")
    if not isinstance(interactive, dict):
        return None
    if interactive.get("type") == "buttons":
        buttons = interactive.get("buttons") or []
        rows = [[_button(b) for b in buttons]] if buttons else []
    else:
        rows = [
            [_button(row)]
            for section in interactive.get("sections") or []
            for row in section.get("rows") or []
        ]
    return {"inline_keyboard": rows} if rows else None


def _button(choice: dict[str, Any]) -> dict[str, str]:
    return {"text": str(choice["title"]), "callback_data": callback_data(str(choice["id"]))}


def _reply_parameters(reply_to_provider_id: str | None) -> dict[str, Any] | None:
    key = split_key(reply_to_provider_id or "")
    if key is None:
        return None
    # The quoted message may be gone on the customer's side: send the reply anyway.
    return {"message_id": key[1], "allow_sending_without_reply": True}


def send_limits(delivery: Delivery) -> list[Allowance]:
    """Telegram's flood limits: about 30 messages a second per bot, one a second per chat
    (short bursts tolerated) and 20 a minute per group."""
    token = str(delivery.secrets.get("bot_token") or "")
    bot = token.split(":", 1)[0] or str(delivery.channel.id)  # the bot's public user id
    chat = delivery.recipient
    if chat.startswith("-"):  # groups and supergroups have negative ids
        per_chat = Allowance(f"telegram:group:{bot}:{chat}", GROUP_PER_MINUTE / 60, CHAT_BURST)
    else:
        per_chat = Allowance(f"telegram:chat:{bot}:{chat}", CHAT_PER_SECOND, CHAT_BURST)
    return [Allowance(f"telegram:bot:{bot}", BOT_PER_SECOND, BOT_PER_SECOND), per_chat]


async def send_telegram_message(delivery: Delivery) -> str:
    """The Sender of Telegram channels: the provider id of the (first) message sent."""
    token = delivery.secrets.get("bot_token")
    if not isinstance(token, str) or not token:
        raise PermanentProviderError(
            "telegram_no_token", "The channel has no bot token: reconnect the bot in Settings."
        )
    if len(delivery.outgoing.body) > MAX_TEXT:
        raise PermanentProviderError(
            "telegram_too_long", f"Telegram takes at most {MAX_TEXT} characters per message."
        )
    api = BotApi.for_urls(token, delivery.provider_urls)
    try:
        return await _send(api, delivery)
    except (TelegramApiError, TelegramUnreachable) as exc:
        raise provider_error(exc) from None


def _key(sent: SentMessage) -> str:
    return message_key(sent.chat.id, sent.message_id)


async def _send(api: BotApi, delivery: Delivery) -> str:
    """Text alone, or each file in turn with the text as the first one's caption if it fits.

    Part 0 is the text sent on its own, part n the n-th file: a retry sends only what is left.
    """
    outgoing, chat = delivery.outgoing, delivery.recipient
    extra: dict[str, Any] = {
        "reply_parameters": _reply_parameters(outgoing.reply_to_provider_id),
        "reply_markup": inline_keyboard(outgoing.payload),
    }
    files = list(outgoing.attachments)
    text = outgoing.body
    first: str | None = None
    if not files or len(text.strip()) > MAX_CAPTION:
        first = await delivery.part(0, lambda: _text(api, chat, text, extra))
        extra, text = {}, ""
    for index, attachment in enumerate(files, start=1):
        attachment_id = str(attachment.get("id", ""))
        sent = await delivery.part(index, partial(_file, api, delivery, attachment_id, text, extra))
        first = first or sent
        extra, text = {}, ""
    if first is None:
        raise PermanentProviderError("telegram_empty", "There is nothing to send.")
    return first


async def _text(api: BotApi, chat: str, text: str, extra: dict[str, Any]) -> str:
    return _key(await api.send_message(chat, text, **extra))


async def _file(
    api: BotApi, delivery: Delivery, attachment_id: str, caption: str, extra: dict[str, Any]
) -> str:
    return _key(await _send_file(api, delivery, attachment_id, caption, extra))


async def _send_file(
    api: BotApi, delivery: Delivery, attachment_id: str, caption: str, extra: dict[str, Any]
) -> SentMessage:
    if delivery.read_attachment is None:
        raise PermanentProviderError("telegram_no_files", "Files cannot be read for sending.")
    try:
        data, content_type, name = await delivery.read_attachment(attachment_id)
    except (KeyError, LookupError, ValueError):
        raise PermanentProviderError(
            "telegram_file_missing", "A file of this message is no longer stored."
        ) from None
    is_photo = content_type in PHOTO_TYPES and len(data) <= MAX_PHOTO_BYTES
    method, field = ("sendPhoto", "photo") if is_photo else ("sendDocument", "document")
    if caption.strip():
        extra = {**extra, "caption": caption}
    return await api.send_file(
        method, field, delivery.recipient, (name, data, content_type), **extra
    )
