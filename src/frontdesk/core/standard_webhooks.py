"""Standard Webhooks signatures (https://www.standardwebhooks.com), shared by every sender.

Each signed POST carries `webhook-id`, `webhook-timestamp` (Unix seconds) and
`webhook-signature`: `v1,` then the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed with
the base64-decoded part of a `whsec_...` secret. Several space-separated signatures may be sent
(during a rotation); a receiver accepts any one that matches. The API channel's callbacks and
the outbound webhook subscriptions both sign this way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
SECRET_BYTES = 32
TOLERANCE_SECONDS = 5 * 60


def new_signing_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for one message."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, webhook_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers of one message."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id, timestamp, body),
    }


def body_of(payload: dict[str, Any]) -> bytes:
    """The same bytes on every attempt, however the database kept the JSON (keys sorted)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def verify(
    secret: str, headers: dict[str, str], body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """What a receiver does: the timestamp is recent and one `v1` signature matches."""
    webhook_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    if not webhook_id or not stamp.isdigit() or abs(now - int(stamp)) > tolerance:
        return False
    expected = sign(secret, webhook_id, int(stamp), body).split(",", 1)[1]
    for candidate in headers.get("webhook-signature", "").split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False
