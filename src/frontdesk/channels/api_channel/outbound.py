"""Sending an agent's reply to the integrator: a signed POST to the channel's callback URL.

The delivery job calls `send_api_message` for each pending reply of an API channel. The
callback's row in the delivery log (`core.channels.api_callbacks`) is created on the first
attempt with the JSON body, so every attempt sends the same bytes under the same `webhook-id`
(an integrator dedupes on it). Each attempt is logged with its answer; the log decides what
follows, which this module turns into the delivery job's outcomes:

- delivered: the message is sent (its provider id is the webhook-id);
- retrying: `RateLimitedByProvider` with the log's own backoff (5s, 10s, 20s ... an hour), so
  the next retry the app shows is when the job really runs again;
- failed (a 4xx other than 408/429, a refused URL, or the attempts ran out): the message fails
  with the reason shown to the agent.

Callback URLs on private, loopback or link-local addresses are refused unless
`FRONTDESK_API_CHANNEL_ALLOW_PRIVATE=1` (a self-hosted integrator on the same network).
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from frontdesk.channels.addresses import blocked_reason
from frontdesk.channels.http_client import http_client
from frontdesk.channels.outbound import (
    Delivery,
    PermanentProviderError,
    RateLimitedByProvider,
)
from frontdesk.core.attachments.signing import with_links
from frontdesk.core.channels.api_callbacks import (
    Attempt,
    CallbackStatus,
    claim_message_callback,
    record_attempt,
)
from frontdesk.core.conversations.delivery import Outgoing
from frontdesk.core.standard_webhooks import body_of, signed_headers

ALLOW_PRIVATE_ENV = "FRONTDESK_API_CHANNEL_ALLOW_PRIVATE"
CALLBACK_SETTING = "webhook_url"
SECRET_NAME = "webhook_secret"  # noqa: S105 - the name of a secret
TIMEOUT_SECONDS = 10.0
USER_AGENT = "Frontdesk-Webhooks/1"
INBOUND_KEY_PREFIX = "in:"
ATTACHMENT_FIELDS = ("id", "name", "content_type", "size")
LINK_TTL_SECONDS = 7 * 24 * 3600


def allow_private() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "").lower() in ("1", "true", "yes")


def message_payload(delivery: Delivery) -> dict[str, Any]:
    """The callback's JSON: Standard Webhooks' `type`, `timestamp` and `data`."""
    outgoing: Outgoing = delivery.outgoing
    reply_to = outgoing.reply_to_provider_id
    data: dict[str, Any] = {
        "channel_id": str(outgoing.channel_id),
        "conversation_id": str(outgoing.conversation_id) if outgoing.conversation_id else None,
        "message_id": str(outgoing.message_id),
        "customer": {"external_id": delivery.recipient},
        "kind": outgoing.kind,
        "text": outgoing.body,
        "attachments": _attachments(delivery),
        "in_reply_to": reply_to.removeprefix(INBOUND_KEY_PREFIX)
        if reply_to and reply_to.startswith(INBOUND_KEY_PREFIX)
        else None,
    }
    interactive = outgoing.payload.get("interactive")
    if isinstance(interactive, dict):
        data["interactive"] = interactive
    created = outgoing.created_at.isoformat() if outgoing.created_at else None
    return {"type": "message.created", "timestamp": created, "data": data}


def _attachments(delivery: Delivery) -> list[dict[str, Any]]:
    """The reply's files: id, name, type, size, and a signed link valid for LINK_TTL_SECONDS
    (the body is fixed on the first attempt, so the link outlives every retry)."""
    described = [
        {k: a.get(k) for k in ATTACHMENT_FIELDS if k in a} for a in delivery.outgoing.attachments
    ]
    if delivery.secret_box is None:
        return described
    linked = with_links(
        delivery.secret_box,
        list(delivery.outgoing.attachments),
        delivery.outgoing.created_at or datetime.now(UTC),
        base_url=delivery.public_url.rstrip("/"),
        ttl_seconds=LINK_TTL_SECONDS,
    )
    return [{**d, "url": link.get("url")} for d, link in zip(described, linked, strict=True)]


async def post_callback(
    url: str, secret: str, webhook_id: str, payload: dict[str, Any], now: int
) -> Attempt:
    """One signed POST; its answer, or why none came."""
    started = time.monotonic()
    blocked = await blocked_reason(url, allow_private=allow_private())
    if blocked:
        return Attempt(None, f"the callback URL is refused: {blocked}", 0, final=True)
    body = body_of(payload)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        **signed_headers(secret, webhook_id, now, body),
    }
    try:
        async with http_client(timeout=TIMEOUT_SECONDS) as http:
            response = await http.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        return Attempt(None, "the callback timed out", _ms(started))
    except httpx.HTTPError as exc:
        return Attempt(None, f"{type(exc).__name__}: {exc}"[:300], _ms(started))
    error = None if response.is_success else f"HTTP {response.status_code}: {response.text[:200]}"
    return Attempt(response.status_code, error, _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


async def send_api_message(delivery: Delivery) -> str:
    """The Sender of API channels: the callback's webhook-id once the integrator took it."""
    url = (delivery.channel.settings or {}).get(CALLBACK_SETTING)
    secret = delivery.secrets.get(SECRET_NAME)
    if delivery.unit_of_work is None:
        raise PermanentProviderError("api_no_log", "The delivery log cannot be written.")
    if not isinstance(url, str) or not url:
        raise PermanentProviderError(
            "api_no_callback_url", "The API channel has no callback URL: set it in Settings."
        )
    if not isinstance(secret, str) or not secret:
        raise PermanentProviderError(
            "api_no_secret", "The API channel has no signing secret: rotate it in Settings."
        )
    outgoing = delivery.outgoing
    async with delivery.unit_of_work() as uow:
        claim = await claim_message_callback(
            uow, outgoing.message_id, outgoing.channel_id, message_payload(delivery)
        )
        now = int(uow.now().timestamp())
        await uow.commit()
    if claim.delivered:
        return claim.webhook_id
    if claim.failed:
        raise PermanentProviderError("api_callback_failed", "The callback failed.")
    if claim.wait_seconds > 0:
        raise RateLimitedByProvider(claim.wait_seconds, "the next callback attempt is not due")
    attempt = await post_callback(url, secret, claim.webhook_id, claim.payload, now)
    async with delivery.unit_of_work() as uow:
        row = await record_attempt(uow, claim.callback_id, attempt)
        status, wait = row.status, row.next_attempt_at
        attempts, error = row.attempts, row.last_error
        await uow.commit()
    if status == CallbackStatus.DELIVERED:
        return claim.webhook_id
    if status == CallbackStatus.RETRYING and wait is not None:
        delay = max((wait - uow.now()).total_seconds(), 0.05)
        raise RateLimitedByProvider(delay, f"attempt {attempts}: {error}")
    code = "api_callback_refused" if attempt.final else "api_callback_failed"
    raise PermanentProviderError(code, f"The integrator did not take the reply ({error}).")
