"""Standard Webhooks signatures (https://www.standardwebhooks.com), and the channel's secrets.

Every callback carries `webhook-id`, `webhook-timestamp` (Unix seconds) and
`webhook-signature`: `v1,` then the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed with
the base64-decoded part of the channel's `whsec_...` secret. Several space-separated
signatures may be sent (during a rotation); a receiver accepts any one that matches.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from frontdesk.core.security import hash_token, new_token, tokens_equal

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
TOKEN_PREFIX = "fdch_"  # noqa: S105 - a prefix, not a token
SECRET_BYTES = 32
TOLERANCE_SECONDS = 5 * 60


def new_signing_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_inbound_token() -> str:
    """The channel's bearer token for posting messages in; only its hash is kept."""
    return new_token(TOKEN_PREFIX)


def token_hash(token: str) -> str:
    return hash_token(token)


def token_matches(stored_hash: str | None, presented: str | None) -> bool:
    if not stored_hash or not presented:
        return False
    return tokens_equal(stored_hash, hash_token(presented))


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(raw)


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for one message."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


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
