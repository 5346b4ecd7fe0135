"""`frontdesk demo --fake-providers`: the demo Page and Instagram account connected to the fake
Graph API, their customers reaching the app over real HTTP, and an agent's reply sent to the
fake, which reports it delivered and read."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, DeliveryReceipt, Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.demo import DEMO_PASSWORD, DEMO_SLUG, OWNER_EMAIL
from frontdesk.demo.meta_messaging_demo import (
    ACCOUNTS,
    PEOPLE,
    MetaMessagingDemo,
    connect_meta_messaging,
    drive_meta_messaging,
)
from tests.channels.messenger.conftest import run_jobs
from tests.demo_snapshot import DemoSnapshot, play_demo
from tests.fakes.messenger import FakeGraph
from tests.realtime.conftest import Live, live, realtime_settings

__all__ = ["live", "realtime_settings"]


async def _demo_channels(runtime: Runtime) -> list[Channel]:
    async with runtime.database.read_session() as db:
        workspace_id = await db.scalar(select(Workspace.id).where(Workspace.slug == DEMO_SLUG))
        found = await db.scalars(
            select(Channel)
            .where(
                Channel.workspace_id == workspace_id,
                Channel.type.in_(["messenger", "instagram"]),
            )
            .order_by(Channel.type)
        )
        return list(found)


async def _inbound(runtime: Runtime, channel_id: uuid.UUID) -> list[Message]:
    async with runtime.database.read_session() as db:
        found = await db.scalars(
            select(Message)
            .where(Message.channel_id == channel_id, Message.direction == "inbound")
            .order_by(Message.created_at, Message.id)
        )
        return list(found)


async def _until(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)


@asynccontextmanager
async def _demo_owner(live: Live, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with runtime.database.read_session() as db:
        workspace_id = await db.scalar(select(Workspace.id).where(Workspace.slug == DEMO_SLUG))
    async with httpx.AsyncClient(base_url=live.http_url) as client:
        signed = await client.post(
            "/api/v1/auth/sign-in", json={"email": OWNER_EMAIL, "password": DEMO_PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        client.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
        client.headers["X-Workspace-Id"] = str(workspace_id)
        yield client


async def test_the_demo_page_and_account_connect_once_and_their_customers_write_in(
    live: Live, runtime: Runtime, graph: FakeGraph, demo_snapshot: DemoSnapshot
) -> None:
    await play_demo(runtime, demo_snapshot)
    graph.auto_statuses = True
    graph.status_delays = (0.01, 0.1, 0.1)
    await connect_meta_messaging(runtime, FakeGraph(), live.http_url)
    demos = await connect_meta_messaging(runtime, graph, live.http_url)  # a rerun reconnects
    instagram_channel, messenger_channel = await _demo_channels(runtime)  # one of each
    assert (messenger_channel.type, instagram_channel.type) == ("messenger", "instagram")
    by_type = {c.type: c for c in (messenger_channel, instagram_channel)}
    for account, demo in zip(ACCOUNTS, demos, strict=True):
        channel = by_type[account.flavor.channel_type]
        assert demo.channel_id == channel.id
        assert channel.settings[account.flavor.id_setting] == account.account_id
        assert channel.team_id is not None
        assert channel.is_active
        secrets = runtime.secrets.open(channel.secrets_encrypted or "")
        assert secrets == {
            "access_token": demo.page.access_token,
            "app_secret": demo.page.app_secret,
        }
        kind = account.flavor.channel_type
        assert demo.page.webhook_url == (f"{live.http_url}/webhooks/{kind}/{channel.workspace_id}")

    driver = asyncio.create_task(
        drive_meta_messaging(graph, demos, every=0.05, rng=random.Random(11))
    )

    async def both_written_to() -> bool:
        return all([await _inbound(runtime, d.channel_id) for d in demos])

    try:
        await _until(both_written_to)
    finally:
        driver.cancel()
    assert await both_written_to()
    # The webhooks name senders only by id, as Meta's do: names come from the profile lookup.
    assert not any("name" in e["sender"] for e in _sent_events(graph))

    async def customers() -> list[Any]:
        async with runtime.database.read_session() as db:
            rows = await db.execute(
                select(ContactIdentity.profile_name, Contact.name, Contact.avatar_url)
                .join(Contact, Contact.id == ContactIdentity.contact_id)
                .where(ContactIdentity.channel_id.in_([d.channel_id for d in demos]))
            )
            return list(rows.all())

    async def looked_up() -> bool:
        await run_jobs(runtime)  # a webhook still on its way when the driver stopped comes late
        return all(profile_name is not None for profile_name, _, _ in await customers())

    await _until(looked_up)
    found = await customers()
    assert found
    people = {name for name, _ in PEOPLE}
    for profile_name, contact_name, avatar_url in found:
        assert profile_name in people
        assert contact_name == profile_name
        assert avatar_url is not None
        assert avatar_url.startswith("/api/v1/attachments/")

    for demo in demos:
        await _reply_and_see_it_read(live, runtime, graph, demo)


def _sent_events(graph: FakeGraph) -> list[dict[str, Any]]:
    events = []
    for _, raw, _ in graph.webhooks_posted:
        for entry in json.loads(raw)["entry"]:
            events.extend(entry.get("messaging", []))
    return events


async def _reply_and_see_it_read(
    live: Live, runtime: Runtime, graph: FakeGraph, demo: MetaMessagingDemo
) -> None:
    customer = (await _inbound(runtime, demo.channel_id))[-1]
    async with _demo_owner(live, runtime) as owner:
        sent = await owner.post(
            f"/api/v1/conversations/{customer.conversation_id}/messages",
            json={"client_message_id": uuid.uuid4().hex, "body": "Olá! Pode sim."},
        )
    assert sent.status_code == 201, sent.text
    await run_jobs(runtime)
    [to_fake] = [
        s
        for s in graph.send_api_sent
        if s["message"].get("text") == "Olá! Pode sim." and s["_page"] == demo.page.id
    ]
    graph.send_api_sent.remove(to_fake)
    reply_id = uuid.UUID(sent.json()["id"])

    async def receipts() -> set[str]:
        async with runtime.database.read_session() as db:
            found = await db.scalars(
                select(DeliveryReceipt.status).where(
                    DeliveryReceipt.provider_message_id == to_fake["_mid"]
                )
            )
            return set(found)

    async def reported() -> bool:
        # A read watermark for an earlier message (the greeting) can mark this reply read
        # before its own delivery report arrives: wait for the reports this reply gets.
        seen = await receipts()
        return "read" in seen and (demo.instagram or "delivered" in seen)

    await _until(reported)
    async with runtime.database.read_session() as db:
        reply = await db.get_one(Message, reply_id)
    assert reply.status == "read"
    reported_statuses = await receipts()
    assert reply.provider_message_id == to_fake["_mid"]
    assert to_fake["recipient"] == {"id": (await _identity(runtime, customer))}
    # Messenger reports the delivery, then a read watermark; Instagram only "seen".
    assert "read" in reported_statuses
    assert ("delivered" in reported_statuses) is (not demo.instagram)


async def _identity(runtime: Runtime, message: Message) -> str:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(ContactIdentity.provider_id)
            .join(Conversation, Conversation.contact_id == ContactIdentity.contact_id)
            .where(
                Conversation.id == message.conversation_id,
                ContactIdentity.channel_id == message.channel_id,
            )
        )
    assert found
    return found
