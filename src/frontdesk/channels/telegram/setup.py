"""Connecting a Telegram bot: test the token (getMe), store it sealed, register the webhook.

The webhook is registered with setWebhook and a fresh random `secret_token`, which Telegram
then sends with every update; both the token and that secret live only in the channel's sealed
secrets. Telegram is called outside any database transaction, so a slow Bot API never holds
the database's write lock.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy import select

from frontdesk.channels.telegram import TELEGRAM
from frontdesk.channels.telegram.client import BotApi, TelegramApiError, TelegramUnreachable
from frontdesk.channels.telegram.payloads import UPDATE_KINDS, BotUser
from frontdesk.channels.telegram.signature import new_secret_token
from frontdesk.core.actor import Actor
from frontdesk.core.channels import actions
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import access_channel
from frontdesk.core.channels.schemas import ChannelCreate, ChannelRead, ChannelUpdate
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.runtime import Runtime
from frontdesk.core.schemas import Input
from frontdesk.core.workspaces.models import Team

WEBHOOK_PATH = "/webhooks/telegram/{channel_id}"
# BotFather's tokens: the bot's numeric id, a colon, then 35 characters of A-Z a-z 0-9 _ -.
BOT_TOKEN_PATTERN = r"^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$"  # noqa: S105 - a pattern

BotToken = Annotated[str, StringConstraints(pattern=BOT_TOKEN_PATTERN)]


class TelegramConnect(Input):
    name: str = Field(min_length=1, max_length=120)
    bot_token: BotToken = Field(description="The token BotFather gave; stored encrypted.")
    team_id: uuid.UUID | None = None


class TelegramReconnect(Input):
    bot_token: BotToken | None = Field(
        default=None, description="A new token (after /revoke in BotFather); else the stored one."
    )


def webhook_url(public_url: str, channel_id: uuid.UUID) -> str:
    return public_url.rstrip("/") + WEBHOOK_PATH.format(channel_id=channel_id)


def _telegram_said(exc: TelegramApiError | TelegramUnreachable) -> str:
    if isinstance(exc, TelegramApiError):
        return f"Telegram answered {exc.error_code}: {exc.description}"
    return f"Telegram could not be reached ({exc})"


async def check_bot_token(api: BotApi) -> BotUser:
    """getMe with the token: the bot it names, or a refusal that says what Telegram answered."""
    try:
        bot = await api.get_me()
    except (TelegramApiError, TelegramUnreachable) as exc:
        raise Invalid(
            f"The bot token could not be used: {_telegram_said(exc)}", field="bot_token"
        ) from None
    if not bot.is_bot:
        raise Invalid("The token does not belong to a bot", field="bot_token")
    return bot


async def _check_team(runtime: Runtime, actor: Actor, team_id: uuid.UUID | None) -> None:
    if team_id is None:
        return
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(Team.id).where(Team.id == team_id, Team.workspace_id == actor.workspace_id)
        )
    if found is None:
        raise Invalid("no such team in this workspace", field="team_id")


async def _check_not_connected(runtime: Runtime, bot_id: int, except_id: uuid.UUID | None) -> None:
    # A bot has one webhook: connecting it twice would silently steal the first one's updates.
    async with runtime.database.read_session() as db:
        taken = await db.scalars(select(Channel).where(Channel.type == TELEGRAM))
        for channel in taken:
            if channel.id != except_id and (channel.settings or {}).get("bot_id") == bot_id:
                raise Conflict(
                    "This bot is already connected to a channel; a bot delivers its messages "
                    "to one place only. Create another bot with BotFather.",
                    details={"field": "bot_token"},
                )


async def _register_webhook(api: BotApi, url: str, secret: str) -> None:
    try:
        await api.set_webhook(url, secret, UPDATE_KINDS)
    except (TelegramApiError, TelegramUnreachable) as exc:
        raise Invalid(
            f"Telegram did not accept the webhook {url}: {_telegram_said(exc)}",
            field="bot_token",
        ) from None


async def connect_bot(runtime: Runtime, actor: Actor, data: TelegramConnect) -> ChannelRead:
    """Create a Telegram channel for a bot, or refuse (and keep nothing) saying why."""
    actor.require_admin()
    await _check_team(runtime, actor, data.team_id)
    api = BotApi.for_urls(data.bot_token, runtime.provider_urls)
    bot = await check_bot_token(api)
    await _check_not_connected(runtime, bot.id, None)
    secret = new_secret_token()
    async with runtime.uow() as uow:
        read = await actions.create_channel(
            uow,
            actor,
            runtime.secrets,
            ChannelCreate(
                type=TELEGRAM,
                name=data.name,
                settings={"bot_username": bot.username, "bot_id": bot.id},
                secrets={"bot_token": data.bot_token, "webhook_secret": secret},
                team_id=data.team_id,
            ),
        )
        await uow.commit()
    try:
        await _register_webhook(api, webhook_url(runtime.public_url, read.id), secret)
    except Invalid:
        async with runtime.uow() as uow:
            channel = await access_channel(uow.session, actor, read.id, for_update=True)
            await actions.delete_channel(uow, actor, channel)
            await uow.commit()
        raise
    return read


async def reconnect_bot(
    runtime: Runtime, actor: Actor, channel_id: uuid.UUID, data: TelegramReconnect
) -> ChannelRead:
    """Test the (new or stored) token again and register the webhook with a new secret."""
    actor.require_admin()
    async with runtime.database.read_session() as db:
        channel = await access_channel(db, actor, channel_id)
    if channel.type != TELEGRAM:
        raise Invalid("this is not a Telegram channel", field="channel_id")
    stored = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    token = data.bot_token or stored.get("bot_token")
    if not isinstance(token, str) or not token:
        raise Invalid("send the bot token: none is stored", field="bot_token")
    api = BotApi.for_urls(token, runtime.provider_urls)
    bot = await check_bot_token(api)
    await _check_not_connected(runtime, bot.id, channel.id)
    secret = new_secret_token()
    # Telegram first: until the new secret is stored, updates are refused and Telegram retries.
    await _register_webhook(api, webhook_url(runtime.public_url, channel.id), secret)
    async with runtime.uow() as uow:
        current = await access_channel(uow.session, actor, channel.id, for_update=True)
        read = await actions.update_channel(
            uow,
            actor,
            runtime.secrets,
            current,
            ChannelUpdate(
                settings={"bot_username": bot.username, "bot_id": bot.id},
                secrets={**stored, "bot_token": token, "webhook_secret": secret},
            ),
        )
        await uow.commit()
    return read
