"""Authenticity of Messenger and Instagram webhooks: the same `X-Hub-Signature-256` HMAC of
the raw body with the app secret as WhatsApp's, and a verify token for the handshake."""

from __future__ import annotations

import uuid

from frontdesk.channels.messenger.flavor import Flavor
from frontdesk.channels.whatsapp.signature import HEADER, sign, signature_ok
from frontdesk.core.security import SecretBox

__all__ = ["HEADER", "sign", "signature_ok", "verify_token"]


def verify_token(box: SecretBox, flavor: Flavor, workspace_id: uuid.UUID) -> str:
    """The token to paste in Meta's console: derived from the secret key, nothing to store."""
    return (
        flavor.verify_prefix + box.sign(f"{flavor.channel_type}-verify-token:{workspace_id}")[:32]
    )
