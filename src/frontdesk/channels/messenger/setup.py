"""Connecting a Facebook Page (Messenger) or an Instagram professional account: what to paste
in Meta's console, and checking the credentials.

A Messenger channel is one Page: `settings.page_id` (required), `page_name`; an Instagram
channel one account: `settings.account_id`, `username`. Both keep `secrets.access_token` (the
Page or Instagram access token) and `secrets.app_secret` (signs the webhooks), and
`settings.app_id`, the Meta app. Every Page (or account) of a workspace shares the workspace's
webhook URL, and every one of an app, whatever its workspace, the app's
(`channels/meta_app.py`); each entry is routed by its id.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from frontdesk.channels.messenger.flavor import Flavor
from frontdesk.channels.messenger.graph import SendApi, graph_url
from frontdesk.channels.messenger.signature import verify_token
from frontdesk.channels.meta_app import app_of, app_verify_token, app_webhook_url
from frontdesk.channels.outbound import PermanentProviderError, ProviderError
from frontdesk.core.channels.models import Channel
from frontdesk.core.security import SecretBox

SUBSCRIBE_FIELDS = {
    "messenger": [
        "messages",
        "messaging_postbacks",
        "message_deliveries",
        "message_reads",
        "message_reactions",
        "message_echoes",
    ],
    "instagram": [
        "messages",
        "messaging_postbacks",
        "messaging_seen",
        "message_reactions",
    ],
}


class MetaMessagingSetup(BaseModel):
    """What to paste in Meta's App Dashboard (Webhooks) for a Page or Instagram account."""

    webhook_url: str
    verify_token: str
    subscribe_fields: list[str]
    account_id: str | None = Field(description="The Page id (Messenger) or Instagram account id.")
    has_access_token: bool
    has_app_secret: bool
    app_id: str | None = Field(
        default=None, description="The Meta app the Page or account belongs to (`settings.app_id`)."
    )
    app_webhook_url: str | None = Field(
        default=None,
        description="The app's one URL, for its Pages and accounts in any workspace (with app_id).",
    )
    app_verify_token: str | None = Field(
        default=None, description="The verify token of `app_webhook_url` (with app_id)."
    )


class MetaConnectionCheck(BaseModel):
    ok: bool
    account_id: str | None = None
    name: str | None = None
    error: dict[str, str] | None = Field(
        default=None, description="Meta's `code` and `message` when the check failed."
    )


def webhook_path(flavor: Flavor) -> str:
    return f"/webhooks/{flavor.channel_type}"


def webhook_url(flavor: Flavor, public_url: str, workspace_id: uuid.UUID) -> str:
    return f"{public_url.rstrip('/')}{webhook_path(flavor)}/{workspace_id}"


def setup_info(
    flavor: Flavor,
    channel: Channel,
    secrets: Mapping[str, Any],
    box: SecretBox,
    public_url: str,
) -> MetaMessagingSetup:
    settings = channel.settings or {}
    app_id = app_of(channel)
    return MetaMessagingSetup(
        app_id=app_id,
        app_webhook_url=app_webhook_url(public_url, app_id) if app_id else None,
        app_verify_token=app_verify_token(box, app_id) if app_id else None,
        webhook_url=webhook_url(flavor, public_url, channel.workspace_id),
        verify_token=verify_token(box, flavor, channel.workspace_id),
        subscribe_fields=SUBSCRIBE_FIELDS.get(flavor.channel_type, ["messages"]),
        account_id=settings.get(flavor.id_setting),
        has_access_token=bool(secrets.get("access_token")),
        has_app_secret=bool(secrets.get("app_secret")),
    )


async def check_connection(
    flavor: Flavor, channel: Channel, secrets: Mapping[str, Any], urls: Mapping[str, str]
) -> MetaConnectionCheck:
    """Ask Meta about the Page / account with the stored token: proves both are right."""
    node = str((channel.settings or {}).get(flavor.id_setting) or "")
    token = str(secrets.get("access_token") or "")
    try:
        if not node or not token:
            raise PermanentProviderError(
                "channel_not_connected", f"add the {flavor.id_setting} and the access token first"
            )
        info = await SendApi(graph_url(urls), token, flavor.label).call(
            "GET", node, params={"fields": "id,name,username"}
        )
    except ProviderError as exc:
        return MetaConnectionCheck(ok=False, error={"code": exc.code, "message": exc.message})
    name = info.get("name") or info.get("username")
    return MetaConnectionCheck(
        ok=True, account_id=str(info.get("id") or node), name=str(name) if name else None
    )
