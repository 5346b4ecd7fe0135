"""Sending through Meta's Send API to a Messenger PSID or an Instagram IGSID: text, files (by
URL or uploaded) and quick replies.

`POST /{page-id or ig-id}/messages` with the access token. Inside the 24-hour window a reply
goes as `messaging_type: RESPONSE`; core lets a human agent answer up to 7 days after the
customer's last message and marks such a reply `payload.message_tag = HUMAN_AGENT`, sent as
`messaging_type: MESSAGE_TAG` with that tag.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from typing import Any

from frontdesk.channels.messenger.flavor import MESSENGER, Flavor
from frontdesk.channels.messenger.graph import SendApi, graph_url
from frontdesk.channels.outbound import Delivery, PermanentProviderError, Sender, SendLimits
from frontdesk.core.conversations.models import MessageKind
from frontdesk.core.sendbudget import Allowance

MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20
CALLS_PER_SECOND = 300.0
AV_PER_SECOND = 10.0


def attachment_type(content_type: str) -> str:
    for kind in ("image", "video", "audio"):
        if content_type.startswith(f"{kind}/"):
            return kind
    return "file"


def quick_replies(payload: dict[str, Any]) -> list[dict[str, str]]:
    """The buttons or list rows of an interactive message as quick replies."""
    spec = payload.get("interactive") or {}
    choices = list(spec.get("buttons") or [])
    for section in spec.get("sections") or []:
        choices.extend(section.get("rows") or [])
    if len(choices) > MAX_QUICK_REPLIES:
        raise PermanentProviderError(
            "too_many_choices", f"at most {MAX_QUICK_REPLIES} quick replies can be sent"
        )
    return [
        {
            "content_type": "text",
            "title": str(c.get("title") or "")[:MAX_QUICK_REPLY_TITLE],
            "payload": str(c.get("id") or c.get("title") or ""),
        }
        for c in choices
    ]


@dataclass(frozen=True)
class _Account:
    api: SendApi
    node: str
    flavor: Flavor


def _account(delivery: Delivery, flavor: Flavor) -> _Account:
    node = str(delivery.channel.settings.get(flavor.id_setting) or "")
    token = str(delivery.secrets.get("access_token") or "")
    if not node or not token:
        raise PermanentProviderError(
            "channel_not_connected",
            f"This {flavor.label} channel has no {flavor.id_setting} or access token: "
            "finish its set-up.",
        )
    return _Account(SendApi(graph_url(delivery.provider_urls), token, flavor.label), node, flavor)


def envelope(delivery: Delivery, message: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"recipient": {"id": delivery.recipient}}
    tag = (delivery.outgoing.payload or {}).get("message_tag")
    if tag:
        body["messaging_type"], body["tag"] = "MESSAGE_TAG", str(tag)
    else:
        body["messaging_type"] = "RESPONSE"
    body["message"] = message
    return body


def _message_id(answer: dict[str, Any], label: str) -> str:
    mid = answer.get("message_id")
    if not isinstance(mid, str) or not mid:
        raise PermanentProviderError("unexpected_answer", f"{label} accepted no message")
    return mid


async def _post(account: _Account, body: dict[str, Any]) -> str:
    answer = await account.api.call("POST", f"{account.node}/messages", json=body)
    return _message_id(answer, account.flavor.label)


def _check_text(account: _Account, text: str) -> None:
    if len(text) > account.flavor.max_text:
        raise PermanentProviderError(
            "too_long",
            f"{account.flavor.label} takes at most {account.flavor.max_text} characters "
            "in one message",
        )


async def _send_file(account: _Account, delivery: Delivery, attachment: dict[str, Any]) -> str:
    kind = attachment_type(str(attachment.get("content_type") or ""))
    url = attachment.get("url")
    if isinstance(url, str) and url.startswith("https://"):
        message = {"attachment": {"type": kind, "payload": {"url": url, "is_reusable": True}}}
        return await _post(account, envelope(delivery, message))
    if delivery.read_attachment is None:
        raise PermanentProviderError("no_storage", "the file cannot be read to send it")
    data, content_type, name = await delivery.read_attachment(str(attachment["id"]))
    body = envelope(delivery, {"attachment": {"type": kind, "payload": {"is_reusable": True}}})
    form = {
        key: json.dumps(value) if isinstance(value, dict) else value for key, value in body.items()
    }
    answer = await account.api.call(
        "POST",
        f"{account.node}/messages",
        data=form,
        files={"filedata": (name, data, content_type)},
    )
    return _message_id(answer, account.flavor.label)


async def send(delivery: Delivery, flavor: Flavor) -> str:
    """Send one message; returns the mid its delivery and read events will name."""
    account = _account(delivery, flavor)
    outgoing = delivery.outgoing
    text = outgoing.body.strip()
    if outgoing.kind == MessageKind.TEMPLATE:
        raise PermanentProviderError(
            "not_supported", f"{flavor.label} has no message templates: write a reply instead"
        )
    if outgoing.kind == MessageKind.INTERACTIVE:
        _check_text(account, text)
        message = {"text": text, "quick_replies": quick_replies(outgoing.payload)}
        body = envelope(delivery, message)
        return await delivery.part(0, lambda: _post(account, body))
    first: str | None = None
    if text:
        _check_text(account, text)
        body = envelope(delivery, {"text": text})
        first = await delivery.part(0, lambda: _post(account, body))
    for index, attachment in enumerate(outgoing.attachments, start=1):
        sent = await delivery.part(index, partial(_send_file, account, delivery, attachment))
        first = first or sent
    if first is None:
        raise PermanentProviderError("empty", "there is nothing to send")
    return first


def limits_for(flavor: Flavor) -> SendLimits:
    """The Send API's limits per Page / account: 300 calls a second, 10 for audio and video."""

    def send_limits(delivery: Delivery) -> list[Allowance]:
        node = str(delivery.channel.settings.get(flavor.id_setting) or delivery.channel.id)
        prefix = f"{flavor.channel_type}:{node}"
        limits = [Allowance(f"{prefix}:calls", CALLS_PER_SECOND, CALLS_PER_SECOND)]
        kinds = {
            attachment_type(str(a.get("content_type") or "")) for a in delivery.outgoing.attachments
        }
        if kinds & {"audio", "video"}:
            limits.append(Allowance(f"{prefix}:audio-video", AV_PER_SECOND, AV_PER_SECOND))
        return limits

    return send_limits


def sender_for(flavor: Flavor) -> Sender:
    async def send_flavor(delivery: Delivery) -> str:
        return await send(delivery, flavor)

    return send_flavor


send_messenger = sender_for(MESSENGER)
messenger_limits = limits_for(MESSENGER)
