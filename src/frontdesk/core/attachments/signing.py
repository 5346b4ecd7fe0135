"""Expiring, signed URLs for an attachment's bytes: the signature is the whole credential.

sig = HMAC-SHA256(key derived from the secret key, "<attachment_id>:<variant>:<exp>"), so a URL
works in an <img src> without a cookie, for one attachment, one variant, until `exp`.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from frontdesk.core.attachments.models import Attachment
from frontdesk.core.security import SecretBox

Variant = Literal["content", "thumbnail"]
URL_TTL_SECONDS = 3600
# Expiries are rounded up to this step so the same URL is handed out for a while (browser cache).
EXPIRY_STEP_SECONDS = 300
PATH_PREFIX = "/api/v1/attachments"


@dataclass(frozen=True)
class SignedUrls:
    url: str
    thumbnail_url: str | None


def _message(attachment_id: uuid.UUID, variant: str, exp: int) -> str:
    return f"{attachment_id}:{variant}:{exp}"


def expiry(now: datetime, ttl_seconds: int = URL_TTL_SECONDS) -> int:
    """A unix time at least `ttl_seconds` away, on a step boundary."""
    target = now.timestamp() + ttl_seconds
    return math.ceil(target / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS


def signed_path(secrets: SecretBox, attachment_id: uuid.UUID, variant: Variant, exp: int) -> str:
    sig = secrets.sign(_message(attachment_id, variant, exp))
    return f"{PATH_PREFIX}/{attachment_id}/{variant}?exp={exp}&sig={sig}"


def verify_signature(
    secrets: SecretBox,
    attachment_id: uuid.UUID,
    variant: Variant,
    *,
    exp: int | None,
    sig: str | None,
    now: datetime,
) -> bool:
    """True only for an untampered signature whose expiry is still ahead."""
    if exp is None or not sig or exp < now.timestamp():
        return False
    return secrets.verify(_message(attachment_id, variant, exp), sig)


def signed_urls(
    secrets: SecretBox,
    attachment: Attachment,
    now: datetime,
    *,
    base_url: str = "",
    ttl_seconds: int = URL_TTL_SECONDS,
) -> SignedUrls:
    """Fresh URLs for the file and, for images, its thumbnail (absolute when given a base)."""
    exp = expiry(now, ttl_seconds)
    url = base_url + signed_path(secrets, attachment.id, "content", exp)
    thumbnail = None
    if attachment.thumbnail_key:
        thumbnail = base_url + signed_path(secrets, attachment.id, "thumbnail", exp)
    return SignedUrls(url=url, thumbnail_url=thumbnail)


def with_links(
    secrets: SecretBox,
    attachments: list[dict[str, Any]],
    now: datetime,
    *,
    base_url: str = "",
    ttl_seconds: int = URL_TTL_SECONDS,
) -> list[dict[str, Any]]:
    """A message's attachments with fresh URLs (messages keep ids, never URLs that expire)."""
    exp = expiry(now, ttl_seconds)
    linked = []
    for item in attachments:
        try:
            attachment_id = uuid.UUID(str(item.get("id")))
        except ValueError:
            linked.append(dict(item))
            continue
        url = base_url + signed_path(secrets, attachment_id, "content", exp)
        thumbnail = (
            base_url + signed_path(secrets, attachment_id, "thumbnail", exp)
            if item.get("has_thumbnail")
            else None
        )
        linked.append({**item, "url": url, "thumbnail_url": thumbnail})
    return linked
