"""Twilio's error codes, sorted the way the delivery job needs them.

The REST API answers an error as `{"code", "message", "more_info", "status"}`. Throttling
(HTTP 429, 20429 too many concurrent requests, 63018 WhatsApp sender rate) waits and tries
again; a 5xx, a network fault or a queue overflow (30001) retries with backoff; everything
else is permanent and shown to the agent with Twilio's reason: bad credentials (20003), an
invalid or unreachable number (21211, 21614, 63024), a customer who replied STOP (21610), a
WhatsApp window that closed (63016)...
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from frontdesk.channels.outbound import (
    PermanentProviderError,
    ProviderError,
    RateLimitedByProvider,
    TemporaryProviderError,
)

DEFAULT_WAIT_SECONDS = 1.0
THROTTLE_SECONDS = {20429: 1.0, 63018: 10.0, 63017: 1.0}
TRANSIENT = frozenset({20500, 20503, 30001, 30008})
# Why a message failed, in words an agent understands, by Twilio code.
TEXTS = {
    "20003": "Twilio refused the account's credentials: check the Account SID and Auth Token.",
    "21211": "The number is not a valid phone number.",
    "21408": "Sending to this region is not enabled on the Twilio account.",
    "21606": "The channel's number cannot send SMS.",
    "21610": "The customer replied STOP: they opted out of messages from this number.",
    "21614": "The number is not a mobile number.",
    "21617": "The message is longer than 1,600 characters.",
    "30003": "The phone is unreachable (switched off or out of coverage).",
    "30004": "The message was blocked by the recipient.",
    "30005": "The number is unknown or no longer exists.",
    "30006": "The number is a landline or its carrier cannot receive messages.",
    "30007": "The carrier filtered the message.",
    "30008": "The carrier reported an unknown error.",
    "30034": "The number is not registered for US A2P 10DLC messaging.",
    "63016": "More than 24 hours since the customer last wrote: only a template can be sent.",
    "63024": "The recipient is not a valid WhatsApp user.",
}
CODE_NAMES = {21610: "opted_out", 63016: "window_closed", 20003: "credentials_rejected"}


def error_text(code: str | None) -> str | None:
    return TEXTS.get(code) if code else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _retry_after(header: str | None, code: int | None) -> float:
    try:
        return max(float(header or ""), 0.05)
    except ValueError:
        return THROTTLE_SECONDS.get(code or 0, DEFAULT_WAIT_SECONDS)


def provider_error(status: int, body: Any, retry_after: str | None = None) -> ProviderError:
    """The error to raise for a REST answer that is not a success."""
    found = body if isinstance(body, dict) else {}
    code = _int(found.get("code"))
    text = error_text(str(code) if code else None) or str(
        found.get("message") or f"HTTP {status} from Twilio"
    )
    name = CODE_NAMES.get(code or 0) or (f"twilio_{code}" if code else f"http_{status}")
    if status == HTTPStatus.TOO_MANY_REQUESTS or (code in THROTTLE_SECONDS):
        return RateLimitedByProvider(_retry_after(retry_after, code), text)
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR or code in TRANSIENT:
        return TemporaryProviderError(name, text)
    return PermanentProviderError(name, text)
