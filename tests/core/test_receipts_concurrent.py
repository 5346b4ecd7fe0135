"""Reports on one message arriving together reach the furthest status, whatever the interleaving.

Meta and Telegram post a delivery and a read for the same message within milliseconds, often in
separate webhooks handled at once. Each report is its own transaction; a report that read the
message before another one committed must not write back a nearer status over a further one.
"""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Message
from frontdesk.core.conversations.receipts import record_receipt
from frontdesk.core.runtime import Runtime
from tests.conftest import World

MESSAGES = 12


async def sent_messages(world: World, runtime: Runtime) -> tuple[Channel, list[str]]:
    conv = world.acme.conversations["erin_support"]
    mids = [f"wamid.reply-{n}-{uuid.uuid4().hex[:8]}" for n in range(MESSAGES)]
    async with runtime.database.write_session() as s:
        channel = await s.get_one(Channel, conv.channel_id)
        now = runtime.clock.now()
        for mid in mids:
            s.add(
                Message(
                    workspace_id=conv.workspace_id,
                    conversation_id=conv.id,
                    channel_id=conv.channel_id,
                    direction="outbound",
                    sender_type="user",
                    kind="text",
                    body="Olá!",
                    attachments=[],
                    mentions=[],
                    status="sent",
                    provider_message_id=mid,
                    created_at=now,
                    updated_at=now,
                )
            )
        await s.commit()
        s.expunge(channel)
    return channel, mids


async def report(runtime: Runtime, channel: Channel, mid: str, status: str) -> None:
    async with runtime.uow() as uow:
        await record_receipt(uow, channel, mid, status)
        await uow.commit()


async def test_a_delivery_and_a_read_at_once_end_read(world: World, runtime: Runtime) -> None:
    channel, mids = await sent_messages(world, runtime)
    # For each message its delivery and its read at the same time, half of them read first.
    await asyncio.gather(
        *(
            report(runtime, channel, mid, status)
            for n, mid in enumerate(mids)
            for status in (("delivered", "read") if n % 2 else ("read", "delivered"))
        )
    )
    async with runtime.database.read_session() as db:
        rows = await db.execute(
            select(Message.provider_message_id, Message.status, Message.version).where(
                Message.provider_message_id.in_(mids)
            )
        )
        found = {mid: (status, version) for mid, status, version in rows}
    assert {mid: status for mid, (status, _) in found.items()} == dict.fromkeys(mids, "read")
    # Delivered then read moved it twice (version 3); read first left the delivery stale (2).
    assert all(version in (2, 3) for _, version in found.values())
