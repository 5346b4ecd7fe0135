"""A deleted Telegram channel: its bot's webhook is deleted, so Telegram stops posting here.

Only a webhook that still names the channel is deleted: a bot since connected elsewhere (to
another Frontdesk, or another product) keeps its webhook.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from frontdesk.channels.removal import RemovedChannel
from frontdesk.channels.telegram.client import BotApi

log = logging.getLogger("frontdesk.channels.telegram")


async def forget_webhook(removed: RemovedChannel, provider_urls: Mapping[str, str]) -> None:
    token = removed.secrets.get("bot_token")
    if not isinstance(token, str) or not token:
        return
    api = BotApi.for_urls(token, provider_urls)
    current = await api.webhook_url()
    if not current.rstrip("/").endswith(f"/{removed.id}"):
        log.info(
            "Telegram channel %s deleted; its bot's webhook is %s, left as it is",
            removed.id,
            "another address" if current else "not set",
        )
        return
    await api.delete_webhook()
