"""Sending through the WhatsApp Cloud API: text, files, quotes, templates, buttons and lists,
plus read receipts. Registered in `channels.outbound.SENDERS` and
`channels.common.READ_RECEIPT_SENDERS` when the package is imported.

Each number has its own throughput limit (80 messages per second by default); past it a send
waits (`RateLimitedByProvider`) instead of earning Meta's 130429.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from frontdesk.channels.common import ReadReceipt
from frontdesk.channels.outbound import Delivery, PermanentProviderError, RateLimitedByProvider
from frontdesk.channels.whatsapp.graph import Graph, graph_url
from frontdesk.core.conversations.models import MessageKind

WHATSAPP = "whatsapp"
DEFAULT_MESSAGES_PER_SECOND = 80.0
# A business-scoped user id ("US.13491208655302741918"): sent as `recipient`, not `to`.
USER_ID = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9.]+$")
URL = re.compile(r"https?://", re.IGNORECASE)
CAPTIONED = frozenset({"image", "video", "document"})
MAX_CAPTION = 1024


@dataclass
class TokenBucket:
    """`rate` sends per second with bursts of up to `rate`; `take` says how long to wait."""

    rate: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        self.tokens = min(self.rate, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


_buckets: dict[str, TokenBucket] = {}


def throttle(number_id: str, rate: float = DEFAULT_MESSAGES_PER_SECOND) -> None:
    """Take one send from the number's budget in this process, or ask to wait."""
    now = time.monotonic()
    bucket = _buckets.setdefault(number_id, TokenBucket(rate, rate, now))
    bucket.rate = rate
    wait = bucket.take(now)
    if wait > 0:
        raise RateLimitedByProvider(
            max(wait, 0.05), f"the number's limit of {rate:g} messages per second"
        )


def recipient_fields(recipient: str) -> dict[str, str]:
    return {"recipient": recipient} if USER_ID.match(recipient) else {"to": recipient}


def media_type(content_type: str) -> str:
    if content_type in ("image/jpeg", "image/png"):
        return "image"
    if content_type.startswith("video/"):
        return "video"
    if content_type.startswith("audio/"):
        return "audio"
    return "document"


def template_body(payload: dict[str, Any]) -> dict[str, Any]:
    template = payload.get("template") or {}
    body: dict[str, Any] = {
        "name": template.get("name"),
        "language": {"code": template.get("language")},
    }
    parameters = template.get("parameters") or []
    if parameters:
        body["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}
        ]
    return {"type": "template", "template": body}


def interactive_body(payload: dict[str, Any], text: str) -> dict[str, Any]:
    spec = payload.get("interactive") or {}
    if spec.get("type") == "list":
        sections = [
            {
                **({"title": s["title"]} if s.get("title") else {}),
                "rows": [
                    {k: row[k] for k in ("id", "title", "description") if row.get(k)}
                    for row in s.get("rows", [])
                ],
            }
            for s in spec.get("sections", [])
        ]
        action: dict[str, Any] = {"button": spec.get("button_label"), "sections": sections}
        kind = "list"
    else:
        buttons = [
            {"type": "reply", "reply": {"id": b["id"], "title": b["title"]}}
            for b in spec.get("buttons", [])
        ]
        action, kind = {"buttons": buttons}, "button"
    return {
        "type": "interactive",
        "interactive": {"type": kind, "body": {"text": text}, "action": action},
    }


def text_body(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"preview_url": bool(URL.search(text)), "body": text}}


def envelope(delivery: Delivery, content: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        **recipient_fields(delivery.recipient),
        **content,
    }
    if delivery.outgoing.reply_to_provider_id:
        body["context"] = {"message_id": delivery.outgoing.reply_to_provider_id}
    return body


@dataclass(frozen=True)
class _Number:
    graph: Graph
    number_id: str


def _number(delivery: Delivery) -> _Number:
    number_id = str(delivery.channel.settings.get("phone_number_id") or "")
    token = str(delivery.secrets.get("access_token") or "")
    if not number_id or not token:
        raise PermanentProviderError(
            "channel_not_connected",
            "This WhatsApp channel has no phone number id or access token: finish its set-up.",
        )
    return _Number(Graph(graph_url(delivery.provider_urls), token), number_id)


async def _post(number: _Number, body: dict[str, Any]) -> str:
    answer = await number.graph.call("POST", f"{number.number_id}/messages", json=body)
    messages = answer.get("messages")
    if not isinstance(messages, list) or not messages or "id" not in messages[0]:
        raise PermanentProviderError("unexpected_answer", "WhatsApp accepted no message")
    return str(messages[0]["id"])


async def _upload(number: _Number, delivery: Delivery, attachment: dict[str, Any]) -> str:
    if delivery.read_attachment is None:
        raise PermanentProviderError("no_storage", "the file cannot be read to send it")
    data, content_type, name = await delivery.read_attachment(str(attachment["id"]))
    answer = await number.graph.call(
        "POST",
        f"{number.number_id}/media",
        files={"file": (name, data, content_type)},
        data={"messaging_product": "whatsapp", "type": content_type},
    )
    if "id" not in answer:
        raise PermanentProviderError("unexpected_answer", "WhatsApp kept no uploaded file")
    return str(answer["id"])


async def _send_files(number: _Number, delivery: Delivery) -> str:
    """One WhatsApp message per file; the text rides as the first file's caption if it can."""
    outgoing = delivery.outgoing
    text, first_id = outgoing.body.strip(), None
    files = outgoing.attachments
    if text and (
        media_type(str(files[0]["content_type"])) not in CAPTIONED or len(text) > MAX_CAPTION
    ):
        first_id = await _post(number, envelope(delivery, text_body(text)))
        text = ""
    for attachment in files:
        kind = media_type(str(attachment["content_type"]))
        media: dict[str, Any] = {"id": await _upload(number, delivery, attachment)}
        if text and kind in CAPTIONED:
            media["caption"], text = text, ""
        if kind == "document":
            media["filename"] = attachment.get("name") or "file"
        sent = await _post(number, envelope(delivery, {"type": kind, kind: media}))
        first_id = first_id or sent
    return first_id or ""


async def send_whatsapp(delivery: Delivery) -> str:
    """Send one message; returns the wamid its statuses will name."""
    number = _number(delivery)
    rate = delivery.channel.settings.get("messages_per_second")
    if not isinstance(rate, int | float) or isinstance(rate, bool) or rate <= 0:
        rate = DEFAULT_MESSAGES_PER_SECOND
    throttle(number.number_id, float(rate))
    outgoing = delivery.outgoing
    if outgoing.kind == MessageKind.TEMPLATE:
        return await _post(number, envelope(delivery, template_body(outgoing.payload)))
    if outgoing.kind == MessageKind.INTERACTIVE:
        content = interactive_body(outgoing.payload, outgoing.body)
        return await _post(number, envelope(delivery, content))
    if outgoing.attachments:
        return await _send_files(number, delivery)
    return await _post(number, envelope(delivery, text_body(outgoing.body)))


async def send_read_receipt(receipt: ReadReceipt) -> None:
    number_id = str(receipt.channel.settings.get("phone_number_id") or "")
    token = str(receipt.secrets.get("access_token") or "")
    if not number_id or not token:
        return
    graph = Graph(graph_url(receipt.provider_urls), token)
    await graph.call(
        "POST",
        f"{number_id}/messages",
        json={
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": receipt.provider_message_id,
        },
    )
