"""Sending through the WhatsApp Cloud API: text, files, quotes, templates, buttons and lists,
plus read receipts: the `sender` and `read_receipt_sender` of the WhatsApp spec
(`whatsapp/spec.py`).

Each number has its own throughput limit (80 messages per second by default) and each customer
a pair limit; `send_limits` states both, and the delivery job waits for room in the shared send
budget instead of earning Meta's 130429 / 131056.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from frontdesk.channels.common import ReadReceipt
from frontdesk.channels.outbound import Delivery, PermanentProviderError
from frontdesk.channels.whatsapp.graph import Graph, graph_url
from frontdesk.core.conversations.models import MessageKind
from frontdesk.core.sendbudget import Allowance

WHATSAPP = "whatsapp"
DEFAULT_MESSAGES_PER_SECOND = 80.0
PAIR_SECONDS_PER_MESSAGE = 6.0
PAIR_BURST = 10.0
# A business-scoped user id ("US.13491208655302741918"): sent as `recipient`, not `to`.
USER_ID = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9.]+$")
URL = re.compile(r"https?://", re.IGNORECASE)
CAPTIONED = frozenset({"image", "video", "document"})
MAX_CAPTION = 1024


def send_limits(delivery: Delivery) -> list[Allowance]:
    """The number's throughput (80 per second unless set otherwise) and Meta's pair limit of
    about one message every 6 seconds to the same person, with short bursts tolerated."""
    number_id = str(delivery.channel.settings.get("phone_number_id") or delivery.channel.id)
    rate = delivery.channel.settings.get("messages_per_second")
    if not isinstance(rate, int | float) or isinstance(rate, bool) or rate <= 0:
        rate = DEFAULT_MESSAGES_PER_SECOND
    return [
        Allowance(f"whatsapp:number:{number_id}", float(rate), max(float(rate), 1.0)),
        Allowance(
            f"whatsapp:pair:{number_id}:{delivery.recipient}",
            1 / PAIR_SECONDS_PER_MESSAGE,
            PAIR_BURST,
        ),
    ]


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
        # Echoed in the message's status webhooks: they find the message even when the send's
        # answer was never recorded (core/conversations/receipts.py).
        "biz_opaque_callback_data": str(delivery.outgoing.message_id),
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
        body = envelope(delivery, text_body(text))
        first_id = await delivery.part(0, lambda: _post(number, body))
        text = ""
    for index, attachment in enumerate(files, start=1):
        kind = media_type(str(attachment["content_type"]))
        caption = text if text and kind in CAPTIONED else ""
        text = "" if caption else text
        sent = await delivery.part(
            index, partial(_send_file, number, delivery, attachment, kind, caption)
        )
        first_id = first_id or sent
    return first_id or ""


async def _send_file(
    number: _Number, delivery: Delivery, attachment: dict[str, Any], kind: str, caption: str
) -> str:
    media: dict[str, Any] = {"id": await _upload(number, delivery, attachment)}
    if caption:
        media["caption"] = caption
    if kind == "document":
        media["filename"] = attachment.get("name") or "file"
    return await _post(number, envelope(delivery, {"type": kind, kind: media}))


async def send_whatsapp(delivery: Delivery) -> str:
    """Send one message; returns the wamid its statuses will name."""
    number = _number(delivery)
    outgoing = delivery.outgoing
    if outgoing.attachments and outgoing.kind not in (
        MessageKind.TEMPLATE,
        MessageKind.INTERACTIVE,
    ):
        return await _send_files(number, delivery)
    if outgoing.kind == MessageKind.TEMPLATE:
        content = template_body(outgoing.payload)
    elif outgoing.kind == MessageKind.INTERACTIVE:
        content = interactive_body(outgoing.payload, outgoing.body)
    else:
        content = text_body(outgoing.body)
    body = envelope(delivery, content)
    return await delivery.part(0, lambda: _post(number, body))


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
