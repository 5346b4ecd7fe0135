"""Connecting a WhatsApp number: what to paste in Meta's console, and checking the credentials.

A channel is one business phone number: `settings.phone_number_id` (required),
`business_account_id` (for templates), `display_phone_number`; `secrets.access_token` and
`secrets.app_secret`, and `settings.app_id`, the Meta app. Every number of a workspace shares
the workspace's webhook URL, and every number of an app, whatever its workspace, the app's
(`channels/meta_app.py`); each change is routed by its phone number id.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from frontdesk.channels.meta_app import app_of, app_verify_token, app_webhook_url
from frontdesk.channels.outbound import PermanentProviderError
from frontdesk.channels.whatsapp.graph import Graph, graph_url
from frontdesk.channels.whatsapp.signature import verify_token
from frontdesk.core.channels.models import Channel
from frontdesk.core.security import SecretBox

WEBHOOK_PATH = "/webhooks/whatsapp"
PHONE_FIELDS = "id,display_phone_number,verified_name,quality_rating,name_status"


class WhatsAppSetup(BaseModel):
    """What to paste in Meta's App Dashboard (WhatsApp > Configuration > Webhook)."""

    webhook_url: str
    verify_token: str
    subscribe_fields: list[str] = Field(default_factory=lambda: ["messages"])
    phone_number_id: str | None
    business_account_id: str | None
    has_access_token: bool
    has_app_secret: bool
    app_id: str | None = Field(
        default=None, description="The Meta app the number belongs to (`settings.app_id`)."
    )
    app_webhook_url: str | None = Field(
        default=None,
        description="The app's one URL, for numbers of this app in any workspace (with app_id).",
    )
    app_verify_token: str | None = Field(
        default=None, description="The verify token of `app_webhook_url` (with app_id)."
    )


class ConnectionCheck(BaseModel):
    ok: bool
    display_phone_number: str | None = None
    verified_name: str | None = None
    quality_rating: str | None = None
    error: dict[str, str] | None = Field(
        default=None, description="Meta's `code` and `message` when the check failed."
    )


def webhook_url(public_url: str, workspace_id: uuid.UUID) -> str:
    return f"{public_url.rstrip('/')}{WEBHOOK_PATH}/{workspace_id}"


def setup_info(
    channel: Channel, secrets: Mapping[str, Any], box: SecretBox, public_url: str
) -> WhatsAppSetup:
    settings = channel.settings or {}
    app_id = app_of(channel)
    return WhatsAppSetup(
        app_id=app_id,
        app_webhook_url=app_webhook_url(public_url, app_id) if app_id else None,
        app_verify_token=app_verify_token(box, app_id) if app_id else None,
        webhook_url=webhook_url(public_url, channel.workspace_id),
        verify_token=verify_token(box, channel.workspace_id),
        phone_number_id=settings.get("phone_number_id"),
        business_account_id=settings.get("business_account_id"),
        has_access_token=bool(secrets.get("access_token")),
        has_app_secret=bool(secrets.get("app_secret")),
    )


def graph_for(channel: Channel, secrets: Mapping[str, Any], urls: Mapping[str, str]) -> Graph:
    token = str(secrets.get("access_token") or "")
    if not token:
        raise PermanentProviderError("channel_not_connected", "add the access token first")
    return Graph(graph_url(urls), token)


async def check_connection(
    channel: Channel, secrets: Mapping[str, Any], urls: Mapping[str, str]
) -> ConnectionCheck:
    """Ask Meta about the channel's phone number with its token: proves both are right."""
    number_id = str((channel.settings or {}).get("phone_number_id") or "")
    try:
        if not number_id:
            raise PermanentProviderError("channel_not_connected", "add the phone number id first")
        graph = graph_for(channel, secrets, urls)
        info = await graph.call("GET", number_id, params={"fields": PHONE_FIELDS})
    except PermanentProviderError as exc:
        return ConnectionCheck(ok=False, error={"code": exc.code, "message": exc.message})
    except Exception as exc:  # temporary failures and throttling: say so, do not raise
        code = getattr(exc, "code", "unavailable")
        message = getattr(exc, "message", str(exc))
        return ConnectionCheck(ok=False, error={"code": str(code), "message": str(message)})
    return ConnectionCheck(
        ok=True,
        display_phone_number=info.get("display_phone_number"),
        verified_name=info.get("verified_name"),
        quality_rating=info.get("quality_rating"),
    )
