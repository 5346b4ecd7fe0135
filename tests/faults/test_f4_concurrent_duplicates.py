"""F4 end to end: a new customer's first message delivered 50 times at once to a live server
gives one message, one `message.created` frame per agent socket, one assignment, one automatic
reply and one send to the provider, even with two workers routing at the same time.

(`tests/channels/whatsapp/test_webhook.py` checks the stored rows for 12 concurrent
deliveries; this follows the same message through sockets, routing and the provider.)"""

from __future__ import annotations

import asyncio
import json

import httpx
from sqlalchemy import func, select

from frontdesk.core.conversations.models import Conversation, Message, SenderType
from frontdesk.core.routing.models import Assignment
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.channels.whatsapp import conftest as whatsapp_tests
from tests.channels.whatsapp.conftest import connect
from tests.fakes.meta import sign, text_webhook
from tests.realtime.conftest import Live, live, realtime_settings, settle

# The WhatsApp tests' fake Graph API (every app of these tests sends to it) and the live server.
graph, settings = whatsapp_tests.graph, whatsapp_tests.settings
__all__ = ["graph", "live", "realtime_settings", "settings"]

COPIES = 50


async def work_off(runtime: Runtime, worker: str) -> None:
    runner = JobRunner(runtime, build_registry(), worker_id=worker)
    while await runner.run_once():
        pass


async def test_fifty_concurrent_copies_of_a_first_message_are_handled_once(
    live: Live, runtime: Runtime, graph: whatsapp_tests.FakeGraph
) -> None:
    world = live.world
    whatsapp = await connect(world, graph)
    async with world.client("bob") as bob:
        assert (await bob.put("/api/v1/me/state", json={"state": "online"})).status_code == 200
    sockets = {name: await live.socket(name) for name in ("alice", "bob")}
    for sock in sockets.values():
        await sock.wait_for(lambda s: bool(s.of_type("hello")))

    body = text_webhook(whatsapp.number, "5511912345678", "Ana Souza", "Oi, vi a vaga")
    raw = json.dumps(body, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": sign(raw, whatsapp.number.app_secret),
    }
    url = f"{live.http_url}/webhooks/whatsapp/{world.acme.id}"
    limits = httpx.Limits(max_connections=COPIES)
    async with httpx.AsyncClient(limits=limits, timeout=30) as meta:
        responses = await asyncio.gather(
            *(meta.post(url, content=raw, headers=headers) for _ in range(COPIES))
        )
    assert [r.status_code for r in responses] == [200] * COPIES

    await asyncio.gather(work_off(runtime, "worker-1"), work_off(runtime, "worker-2"))
    await settle(*sockets.values(), quiet=0.3)

    async with runtime.database.read_session() as db:
        inbound = list(
            await db.scalars(
                select(Message).where(
                    Message.channel_id == whatsapp.channel_id, Message.direction == "inbound"
                )
            )
        )
        assert len(inbound) == 1
        conversation_id = inbound[0].conversation_id
        replies = list(
            await db.scalars(
                select(Message).where(
                    Message.conversation_id == conversation_id,
                    Message.sender_type == SenderType.SYSTEM,
                )
            )
        )
        assignments = await db.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.conversation_id == conversation_id)
        )
        assigned_events = await db.scalar(
            select(func.count())
            .select_from(EventLogEntry)
            .where(EventLogEntry.type == "conversation.assigned")
        )
        conversation = await db.get(Conversation, conversation_id)
    assert conversation is not None
    assert conversation.assignee_id == world.persona("bob").id
    assert (assignments, assigned_events) == (1, 1)
    assert len(replies) == 1, [r.body for r in replies]
    sent = [s for s in graph.sent if s.get("_number") == whatsapp.number.phone_number_id]
    assert len(sent) == 1
    assert sent[0]["to"] == "5511912345678"
    assert sent[0]["_wamid"] == replies[0].provider_message_id
    for name, sock in sockets.items():
        created = [
            f["data"]["message"]["id"]
            for f in sock.events("message.created")
            if f["data"]["message"]["direction"] == "inbound"
        ]
        assert created == [str(inbound[0].id)], name
        await sock.close()
