"""`frontdesk demo --fake-providers`: demo numbers connected to the fake Graph API, and its
driver's customers reaching the app over real HTTP."""

from __future__ import annotations

import asyncio
import random
import uuid

from sqlalchemy import func, select

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.templates.models import MessageTemplate
from frontdesk.demo.providers import connect_whatsapp, drive_whatsapp
from tests.demo_snapshot import DemoSnapshot, play_demo
from tests.fakes.meta import FakeGraph, serve
from tests.realtime.conftest import Live, live, realtime_settings

__all__ = ["live", "realtime_settings"]


async def _inbound(runtime: Runtime, channel_ids: list[uuid.UUID]) -> int:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.channel_id.in_(channel_ids), Message.direction == "inbound")
        )
    return int(found or 0)


async def _templates(runtime: Runtime, channel_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    async with runtime.database.read_session() as db:
        rows = await db.execute(
            select(MessageTemplate.channel_id, func.count())
            .where(MessageTemplate.channel_id.in_(channel_ids))
            .group_by(MessageTemplate.channel_id)
        )
    return {channel_id: int(count) for channel_id, count in rows.all()}


async def test_two_demo_numbers_connect_and_their_customers_write_in(
    live: Live, runtime: Runtime, demo_snapshot: DemoSnapshot
) -> None:
    await play_demo(runtime, demo_snapshot)
    fake = FakeGraph(auto_statuses=True, status_delays=(0.01, 0.01, 0.01))
    async with serve(fake) as url:
        runtime.provider_urls["meta_graph"] = url
        hook = f"{live.http_url}/webhooks/whatsapp/{{workspace_id}}"
        numbers = await connect_whatsapp(runtime, fake, hook)
        ids = [n.channel_id for n in numbers]
        synced = await _templates(runtime, ids)
        again = await connect_whatsapp(runtime, FakeGraph(), hook)  # a second run reconnects
        assert len(numbers) == len(again) == 2
        async with runtime.database.read_session() as db:
            channels = list(await db.scalars(select(Channel).where(Channel.id.in_(ids))))
        assert all(c.secrets_encrypted and c.settings["phone_number_id"] for c in channels)
        assert all("placeholder" not in c.settings for c in channels)
        # The fake's three templates on each number (beside any the demo made, such as its
        # broadcast's), not doubled by the second run.
        assert len(synced) == 2, synced
        assert all(count >= 3 for count in synced.values()), synced
        assert await _templates(runtime, ids) == synced
        before = await _inbound(runtime, ids)
        driver = asyncio.create_task(
            drive_whatsapp(fake, numbers, every=0.05, rng=random.Random(7))
        )
        try:
            for _ in range(200):
                if await _inbound(runtime, ids) >= before + 3:
                    break
                await asyncio.sleep(0.05)
        finally:
            driver.cancel()
        assert await _inbound(runtime, ids) >= before + 3
