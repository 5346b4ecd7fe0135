"""Authenticity of Meta's webhooks, and the verify token of the subscription handshake.

`X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`, computed over the exact
bytes received: re-serialising the parsed JSON gives another digest.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from frontdesk.core.security import SecretBox

HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends for `body` (also used by the fake Graph API)."""
    return PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, header: str | None, app_secret: str) -> bool:
    if not header or not header.startswith(PREFIX) or not app_secret:
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len(PREFIX) :].strip().lower())


def verify_token(box: SecretBox, workspace_id: uuid.UUID) -> str:
    """The token to paste in Meta's console: derived from the secret key, nothing to store."""
    return "fd-wa-" + box.sign(f"whatsapp-verify-token:{workspace_id}")[:32]
