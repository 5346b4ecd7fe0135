"""`frontdesk demo --fake-providers`: the demo mailbox on the in-process mail server, read by
the mailbox watchers, its customers writing in over SMTP and their threads going on."""

from __future__ import annotations

import random

from sqlalchemy import select

from frontdesk.channels.email.watcher import MailboxWatchers
from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from frontdesk.demo.email_demo import CHANNEL_NAME, MAILBOX, customer_writes, start_email
from tests.channels.email.conftest import FAST, messages_of, wait_for_messages
from tests.demo_snapshot import DemoSnapshot, play_demo


async def test_the_demo_mailbox_connects_once_and_its_customers_write_in(
    runtime: Runtime, demo_snapshot: DemoSnapshot
) -> None:
    await play_demo(runtime, demo_snapshot)
    first = await start_email(runtime)
    assert first is not None
    await first.close()
    demo = await start_email(runtime)  # a second run points the same channel at the new server
    assert demo is not None
    watchers = MailboxWatchers(runtime, FAST)
    await watchers.start()
    try:
        async with runtime.database.read_session() as db:
            [channel] = await db.scalars(select(Channel).where(Channel.name == CHANNEL_NAME))
        assert channel.id == demo.channel_id
        assert channel.settings["address"] == MAILBOX
        assert channel.settings["imap_port"] == demo.server.imap_port
        rng = random.Random(7)
        for _ in range(3):
            await customer_writes(demo, rng)
        got = await wait_for_messages(runtime, channel.id, 3)
    finally:
        await watchers.stop()
        await demo.close()
    assert all(m.body for m in got)
    assert len(await messages_of(runtime, channel.id)) == 3
