"""REST API v1: connecting Telegram bots (the token is write-only and never returned)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, RuntimeDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.channels.telegram import setup
from frontdesk.channels.telegram.setup import TelegramConnect, TelegramReconnect
from frontdesk.core.channels.schemas import ChannelRead

router = APIRouter()


@router.post("/telegram", status_code=201, responses=error_responses(409))
async def connect_telegram_bot(
    data: TelegramConnect, actor: ActorDep, runtime: RuntimeDep
) -> ChannelRead:
    """Test the bot token with Telegram (getMe), store it encrypted, and register this server's
    webhook with a new secret token (setWebhook). A token or webhook Telegram refuses answers
    422 with Telegram's own description, and nothing is kept."""
    return await setup.connect_bot(runtime, actor, data)


@router.post("/{channel_id}/telegram/webhook", responses=error_responses(409))
async def reconnect_telegram_bot(
    channel_id: uuid.UUID, data: TelegramReconnect, actor: ActorDep, runtime: RuntimeDep
) -> ChannelRead:
    """Test the token again (a new one, if sent) and register the webhook anew with a fresh
    secret: after revoking the token in BotFather, or when the server's public URL changed."""
    return await setup.reconnect_bot(runtime, actor, channel_id, data)
