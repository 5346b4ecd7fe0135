"""`frontdesk demo --fake-providers`: the demo bot connected to the fake Bot API, and its
driver's customers reaching the app over real HTTP."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import func, select

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.demo.telegram_demo import BOT_USERNAME, drive_telegram, start_telegram
from frontdesk.settings import Settings
from tests.demo_snapshot import DemoSnapshot, play_demo
from tests.realtime.conftest import Live, live, realtime_settings

__all__ = ["live", "realtime_settings"]


async def _telegram_channels(runtime: Runtime) -> list[Channel]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(Channel).where(Channel.type == "telegram")))


async def _inbound(runtime: Runtime, channel_id: object) -> int:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.channel_id == channel_id, Message.direction == "inbound")
        )
    return int(found or 0)


async def test_the_demo_bot_connects_once_and_its_customers_write_in(
    live: Live, runtime: Runtime, settings: Settings, demo_snapshot: DemoSnapshot
) -> None:
    await play_demo(runtime, demo_snapshot)
    first = await start_telegram(runtime, settings, live.http_url)
    assert first is not None
    await first.close()
    demo = await start_telegram(runtime, settings, live.http_url)  # a second run reconnects
    assert demo is not None
    try:
        [channel] = await _telegram_channels(runtime)
        assert channel.settings["bot_username"] == BOT_USERNAME
        assert channel.secrets_encrypted
        secrets = runtime.secrets.open(channel.secrets_encrypted)
        assert secrets["bot_token"] == demo.bot.token
        assert secrets["webhook_secret"] == demo.bot.secret_token
        assert demo.bot.webhook_url == f"{live.http_url}/webhooks/telegram/{channel.id}"
        assert runtime.provider_urls["telegram"] == settings.telegram_api_url

        driver = asyncio.create_task(drive_telegram(demo, every=0.05, rng=random.Random(3)))
        try:
            for _ in range(200):
                if await _inbound(runtime, channel.id) >= 3:
                    break
                await asyncio.sleep(0.05)
        finally:
            driver.cancel()
        assert await _inbound(runtime, channel.id) >= 3
    finally:
        await demo.close()
