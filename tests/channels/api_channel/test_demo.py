"""`frontdesk demo --fake-providers`: the demo's API channel, its fake integrator posting portal
users' messages in over real HTTP, and an agent's reply reaching the integrator signed."""

from __future__ import annotations

import asyncio
import random

import pytest
from sqlalchemy import select

from frontdesk.channels.api_channel.outbound import ALLOW_PRIVATE_ENV
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.messages import send_message
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.conversations.schemas import MessageCreate
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Membership
from frontdesk.demo.api_channel_demo import CHANNEL_NAME, drive_api_channel, start_api_channel
from frontdesk.settings import Settings
from tests.channels.api_channel.conftest import messages_of, run_jobs
from tests.demo_snapshot import DemoSnapshot, play_demo
from tests.realtime.conftest import Live, live, realtime_settings

__all__ = ["live", "realtime_settings"]


async def test_the_demo_api_channel_takes_messages_in_and_its_integrator_verifies_replies(
    live: Live,
    runtime: Runtime,
    settings: Settings,
    demo_snapshot: DemoSnapshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    await play_demo(runtime, demo_snapshot)
    first = await start_api_channel(runtime, live.http_url)
    assert first is not None
    await first.close()
    demo = await start_api_channel(runtime, live.http_url)  # a second run: the same channel
    assert demo is not None
    demo.fake.clock = lambda: runtime.clock.now().timestamp()
    try:
        async with runtime.database.read_session() as db:
            [channel] = list(await db.scalars(select(Channel).where(Channel.type == "api")))
        assert channel.name == CHANNEL_NAME
        assert channel.id == demo.channel_id
        assert channel.settings["webhook_url"] == demo.fake.callback_url

        driver = asyncio.create_task(drive_api_channel(demo, every=0.05, rng=random.Random(5)))
        try:
            for _ in range(200):
                if len(await messages_of(runtime, channel.id)) >= 2:
                    break
                await asyncio.sleep(0.05)
        finally:
            driver.cancel()
        inbound = await messages_of(runtime, channel.id)
        assert len(inbound) >= 2
        await run_jobs(runtime)
        demo.fake.received.clear()

        # The workspace's owner answers the first portal user: the integrator verifies it.
        async with runtime.uow() as uow:
            conversation = await uow.session.get_one(Conversation, inbound[0].conversation_id)
            owner = await uow.session.scalar(
                select(Membership).where(
                    Membership.workspace_id == channel.workspace_id, Membership.role == "owner"
                )
            )
            assert owner is not None
            actor = Actor(workspace_id=channel.workspace_id, role="owner", user_id=owner.user_id)
            reply = MessageCreate(body="Olá! Já vimos sua candidatura.", client_message_id="d-1")
            sent = await send_message(uow, actor, conversation, reply)
            await uow.commit()
        await run_jobs(runtime)
        [callback] = await demo.fake.wait_for(1)
        assert callback.verified
        assert callback.answered == 200
        assert callback.payload["data"]["message_id"] == str(sent.id)
        assert callback.payload["data"]["customer"]["external_id"].startswith("portal-")
        async with runtime.database.read_session() as db:
            stored = await db.get_one(Message, sent.id)
        assert stored.status == "sent"
    finally:
        await demo.close()
