"""The API channel's secrets, and its Standard Webhooks signatures (`core/standard_webhooks.py`).

Every callback carries `webhook-id`, `webhook-timestamp` (Unix seconds) and
`webhook-signature`, keyed with the channel's `whsec_...` secret; the signing itself is shared
with the outbound webhook subscriptions.
"""

from __future__ import annotations

from frontdesk.core.security import hash_token, new_token, tokens_equal
from frontdesk.core.standard_webhooks import (
    SECRET_BYTES,
    SECRET_PREFIX,
    TOLERANCE_SECONDS,
    new_signing_secret,
    sign,
    verify,
)

__all__ = [
    "SECRET_BYTES",
    "SECRET_PREFIX",
    "TOKEN_PREFIX",
    "TOLERANCE_SECONDS",
    "new_inbound_token",
    "new_signing_secret",
    "sign",
    "token_hash",
    "token_matches",
    "verify",
]

TOKEN_PREFIX = "fdch_"  # noqa: S105 - a prefix, not a token


def new_inbound_token() -> str:
    """The channel's bearer token for posting messages in; only its hash is kept."""
    return new_token(TOKEN_PREFIX)


def token_hash(token: str) -> str:
    return hash_token(token)


def token_matches(stored_hash: str | None, presented: str | None) -> bool:
    if not stored_hash or not presented:
        return False
    return tokens_equal(stored_hash, hash_token(presented))
