"""`frontdesk demo --fake-providers`: the demo SMS number on the fake Twilio API, and its
customers texting in over real HTTP, signed as Twilio signs.

Only the demo's workspace is needed (the number joins it), so the test makes that workspace
rather than play the whole demo."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import func, select

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.demo.spec import DEMO_SLUG
from frontdesk.demo.twilio_demo import NUMBER, drive_twilio, start_twilio
from tests.factories import Factory
from tests.realtime.conftest import Live, live, realtime_settings

__all__ = ["live", "realtime_settings"]


async def _inbound(runtime: Runtime, channel_id: object) -> int:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.channel_id == channel_id, Message.direction == "inbound")
        )
    return int(found or 0)


async def test_the_demo_sms_number_connects_once_and_its_customers_text_in(
    live: Live, runtime: Runtime
) -> None:
    async with runtime.database.write_session() as db:
        factory = Factory(db, runtime.clock.now())
        await factory.workspace(await factory.organisation("Talenta"), "Talenta", DEMO_SLUG)
        await db.commit()
    first = await start_twilio(runtime, live.http_url)
    assert first is not None
    await first.close()
    demo = await start_twilio(runtime, live.http_url)  # a second run reconnects
    assert demo is not None
    try:
        async with runtime.database.read_session() as db:
            [channel] = list(await db.scalars(select(Channel).where(Channel.type == "sms")))
        assert channel.settings["phone_number"] == NUMBER
        assert channel.settings["account_sid"] == demo.account.sid
        assert channel.secrets_encrypted
        assert runtime.secrets.open(channel.secrets_encrypted)["auth_token"] == (
            demo.account.auth_token
        )
        assert demo.url == f"{live.http_url}/webhooks/twilio/{channel.workspace_id}/{channel.id}"
        driver = asyncio.create_task(drive_twilio(demo, every=0.05, rng=random.Random(5)))
        try:
            for _ in range(200):
                if await _inbound(runtime, channel.id) >= 3:
                    break
                await asyncio.sleep(0.05)
        finally:
            driver.cancel()
        assert await _inbound(runtime, channel.id) >= 3
        assert all(status == 200 for _, _, status in demo.fake.posted)
    finally:
        await demo.close()
