"""Telegram in `frontdesk demo --fake-providers`: a demo bot on the fake Bot API.

The fake Bot API runs on a loopback port; the demo workspace gets a Telegram channel for the
bot `@talenta_careers_bot` (created once, reconnected on every run), whose webhook is
registered with the fake through the product's own client, exactly as connecting a bot in
Settings does. A driver then has customers write to the bot now and then, through the webhook.
Most customers have a profile picture on the fake; some, as with Telegram's privacy settings,
show none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass, field

from sqlalchemy import select

from frontdesk.channels.telegram import TELEGRAM
from frontdesk.channels.telegram.client import PROVIDER_URL_KEY, BotApi
from frontdesk.channels.telegram.payloads import UPDATE_KINDS
from frontdesk.channels.telegram.setup import webhook_url
from frontdesk.channels.telegram.signature import new_secret_token
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.demo.fake_telegram import Bot, FakeTelegram, serve
from frontdesk.demo.pictures import photo, portrait
from frontdesk.demo.spec import DEMO_SLUG
from frontdesk.settings import Settings

log = logging.getLogger("frontdesk.demo")

BOT_TOKEN = "7000000042:demo-talenta-careers-bot-token-0000"  # noqa: S105 - the fake's only
BOT_USERNAME = "talenta_careers_bot"
CHANNEL_NAME = "Talenta Careers (Telegram)"
RETURNING_SHARE = 0.6
PHOTO_SHARE = 0.15
PICTURE_SHARE = 0.7  # customers whose profile picture the bot may see
PEOPLE = (("Lucas", "Pereira"), ("Mai", "Nguyen"), ("Sofia", "Almeida"), ("Tom", "Baker"))
QUESTIONS = (
    "Oi! Vi a vaga de repositor no Telegram. Ainda está aberta?",
    "Hello, can I apply for the weekend shift here?",
    "Chào bạn, cửa hàng có tuyển nhân viên bán thời gian không?",
    "Qual documento preciso levar para a entrevista?",
    "Is there a night shift at the warehouse?",
)


@dataclass
class TelegramDemo:
    fake: FakeTelegram
    bot: Bot
    customers: list[tuple[int, str, str]] = field(default_factory=list)
    stack: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    async def close(self) -> None:
        await self.stack.aclose()


async def _demo_channel(
    runtime: Runtime, bot: Bot, secret: str
) -> tuple[Channel, list[tuple[int, str, str]]] | None:
    """The demo workspace's Telegram channel, created on the first run, holding this bot."""
    async with runtime.uow() as uow:
        db = uow.session
        workspace = await db.scalar(select(Workspace).where(Workspace.slug == DEMO_SLUG))
        if workspace is None:
            return None
        channel = await db.scalar(
            select(Channel).where(Channel.workspace_id == workspace.id, Channel.type == TELEGRAM)
        )
        now = uow.now()
        if channel is None:
            # Answered by the team of the demo's first channel, like its website chat.
            team_id = await db.scalar(
                select(Channel.team_id)
                .where(Channel.workspace_id == workspace.id, Channel.team_id.is_not(None))
                .order_by(Channel.created_at)
                .limit(1)
            )
            channel = Channel(
                workspace_id=workspace.id,
                type=TELEGRAM,
                name=CHANNEL_NAME,
                settings={},
                team_id=team_id,
                is_active=True,
                created_at=now,
                updated_at=now,
            )
            db.add(channel)
        channel.settings = {"bot_username": bot.username, "bot_id": bot.id}
        channel.secrets_encrypted = runtime.secrets.seal(
            {"bot_token": bot.token, "webhook_secret": secret}
        )
        channel.updated_at = now
        await db.flush()
        identities = await db.scalars(
            select(ContactIdentity).where(ContactIdentity.channel_id == channel.id).limit(30)
        )
        customers = []
        for identity in identities:
            first, _, last = (identity.profile_name or "Cliente").partition(" ")
            if identity.provider_id.isdigit():
                customers.append((int(identity.provider_id), first, last))
        await uow.commit()
    return channel, customers


async def start_telegram(runtime: Runtime, settings: Settings, app_url: str) -> TelegramDemo | None:
    """Serve the fake Bot API and connect the demo bot to it; None without the demo workspace."""
    fake = FakeTelegram()
    demo = TelegramDemo(fake=fake, bot=fake.add_bot(BOT_USERNAME, "Talenta Careers", BOT_TOKEN))
    api_url = await demo.stack.enter_async_context(serve(fake))
    settings.telegram_api_url = api_url
    runtime.provider_urls[PROVIDER_URL_KEY] = api_url
    secret = new_secret_token()
    found = await _demo_channel(runtime, demo.bot, secret)
    if found is None:
        await demo.close()
        return None
    channel, demo.customers = found
    rng = random.Random()
    for chat_id, _first, _last in demo.customers:
        _maybe_picture(demo.fake, chat_id, rng)
    await BotApi(demo.bot.token, api_url).set_webhook(
        webhook_url(app_url, channel.id), secret, UPDATE_KINDS
    )
    log.info("demo: Telegram bot @%s on the fake Bot API at %s", demo.bot.username, api_url)
    return demo


def _maybe_picture(fake: FakeTelegram, chat_id: int, rng: random.Random) -> None:
    if rng.random() < PICTURE_SHARE:
        fake.add_profile_photo(chat_id, portrait(rng))


async def drive_telegram(
    demo: TelegramDemo, *, every: float, rng: random.Random | None = None
) -> None:
    """A customer writes to the demo bot every `every` seconds or so."""
    rng = rng or random.Random()
    while True:
        await asyncio.sleep(every * rng.uniform(0.5, 1.5))
        if demo.customers and rng.random() < RETURNING_SHARE:
            chat_id, first, last = rng.choice(demo.customers)
        else:
            first, last = rng.choice(PEOPLE)
            chat_id = rng.randrange(100_000_000, 999_999_999)
            demo.customers.append((chat_id, first, last))
            _maybe_picture(demo.fake, chat_id, rng)
        if rng.random() < PHOTO_SHARE:
            update = demo.fake.photo_update(chat_id, photo(rng), "Meu currículo", first, last)
        else:
            update = demo.fake.text_update(chat_id, rng.choice(QUESTIONS), first, last)
        try:
            response = await demo.fake.post_update(demo.bot, update)
            log.info("demo customer %s %s wrote to the bot: %s", first, last, response.status_code)
        except Exception:  # the app may be starting or stopping
            log.warning("demo driver could not reach the app", exc_info=True)
