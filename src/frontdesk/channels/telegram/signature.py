"""Telegram's webhook authenticity: a secret token, not a signature.

setWebhook registers a `secret_token`; Telegram then sends it back in the
`X-Telegram-Bot-Api-Secret-Token` header of every update. There is no HMAC over the body, so
the token is compared in constant time, before the body is read.
"""

from __future__ import annotations

import hmac
import re
import secrets

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
# Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and -.
SECRET_ALPHABET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
SECRET_BYTES = 48  # 64 URL-safe characters


def new_secret_token() -> str:
    token = secrets.token_urlsafe(SECRET_BYTES)
    assert SECRET_ALPHABET.match(token)  # noqa: S101 - token_urlsafe's alphabet is Telegram's
    return token


def secret_token_matches(expected: str | None, presented: str | None) -> bool:
    """True only when a secret is configured and the request presents exactly it."""
    if not expected or presented is None:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())
