"""A closed conversation's customer writes again: within the workspace's reopen window the
conversation opens again (back to its agent, or to routing), later a new one begins."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.routing.models import Assignment
from frontdesk.core.runtime import Runtime
from tests.channels.whatsapp import conftest as whatsapp_tests
from tests.channels.whatsapp.conftest import WhatsApp, run_jobs
from tests.conftest import Published, World
from tests.fakes.meta import text_webhook

# The WhatsApp tests' fixtures: a fake Graph API and a number connected to acme.
graph, settings, whatsapp = whatsapp_tests.graph, whatsapp_tests.settings, whatsapp_tests.whatsapp

CUSTOMER = "5511912345678"
W = "/api/widget/v1"


async def writes(whatsapp: WhatsApp, text: str) -> None:
    response = await whatsapp.post(text_webhook(whatsapp.number, CUSTOMER, "Rita", text))
    assert response.status_code == 200, response.text


async def conversations_of(runtime: Runtime, channel_id: uuid.UUID) -> list[Conversation]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Conversation)
            .where(Conversation.channel_id == channel_id)
            .order_by(Conversation.created_at, Conversation.id)
        )
        return list(rows)


async def close(world: World, conversation_id: uuid.UUID) -> None:
    async with world.client("bob") as bob:
        r = await bob.post(f"/api/v1/conversations/{conversation_id}/close", json={})
        assert r.status_code == 200, r.text


async def first_conversation_taken_by_bob(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> Conversation:
    async with world.client("bob") as bob:
        assert (await bob.put("/api/v1/me/state", json={"state": "online"})).status_code == 200
    await writes(whatsapp, "Olá, quero saber da vaga")
    await run_jobs(runtime)
    [conv] = await conversations_of(runtime, whatsapp.channel_id)
    assert conv.assignee_id == world.persona("bob").id
    await close(world, conv.id)
    return conv


async def set_window(world: World, hours: int) -> None:
    async with world.client("alice") as alice:
        r = await alice.patch("/api/v1/workspaces/current", json={"reopen_within_hours": hours})
        assert r.status_code == 200, r.text


async def test_a_message_just_inside_the_window_reopens_the_conversation_with_its_agent(
    whatsapp: WhatsApp, world: World, runtime: Runtime, published: Published
) -> None:
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    await set_window(world, 24)
    conv = await first_conversation_taken_by_bob(whatsapp, world, runtime)
    clock.advance(hours=24)  # exactly 24 hours after the close: still within
    published.events.clear()
    await writes(whatsapp, "Voltei, ainda tenho uma dúvida")
    [again] = await conversations_of(runtime, whatsapp.channel_id)
    assert again.id == conv.id
    assert again.status == "open"
    assert (again.closed_at, again.outcome) == (None, None)
    assert again.assignee_id == world.persona("bob").id
    assert again.waiting_since == clock.now()
    reopened = [e for e in published.events if e.type == "conversation.status_changed"]
    assert len(reopened) == 1
    assert reopened[0].payload["change"] == {
        "status": "open",
        "previous": "closed",
        "by": "contact",
    }
    # Back with Bob, who is online: routing keeps it with him and tells the customer nothing new.
    await run_jobs(runtime)
    async with runtime.database.read_session() as db:
        kept = await db.get_one(Conversation, conv.id)
        open_rows = list(
            await db.scalars(
                select(Assignment.user_id).where(
                    Assignment.conversation_id == conv.id, Assignment.ended_at.is_(None)
                )
            )
        )
    assert kept.assignee_id == world.persona("bob").id
    assert open_rows == [world.persona("bob").id]


async def test_a_message_just_outside_the_window_opens_a_new_conversation(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    await set_window(world, 2)
    conv = await first_conversation_taken_by_bob(whatsapp, world, runtime)
    clock.advance(hours=2, seconds=1)
    await writes(whatsapp, "Oi de novo")
    old, new = await conversations_of(runtime, whatsapp.channel_id)
    assert (old.id, old.status) == (conv.id, "closed")
    assert new.status == "open"
    assert new.id != conv.id


async def test_a_window_of_zero_always_opens_a_new_conversation(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    await set_window(world, 0)
    await first_conversation_taken_by_bob(whatsapp, world, runtime)
    await writes(whatsapp, "Oi de novo")
    old, new = await conversations_of(runtime, whatsapp.channel_id)
    assert (old.status, new.status) == ("closed", "open")


async def test_a_reopened_conversation_without_an_agent_waits_for_routing(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    await writes(whatsapp, "Bom dia")  # nobody online: it waits unassigned
    [conv] = await conversations_of(runtime, whatsapp.channel_id)
    await close(world, conv.id)
    await writes(whatsapp, "Alguém aí?")
    [again] = await conversations_of(runtime, whatsapp.channel_id)
    assert (again.id, again.status, again.assignee_id) == (conv.id, "open", None)
    assert again.queued_at is not None
    async with world.client("bob") as bob:
        assert (await bob.put("/api/v1/me/state", json={"state": "online"})).status_code == 200
    await run_jobs(runtime)
    async with runtime.database.read_session() as db:
        assert (await db.get_one(Conversation, conv.id)).assignee_id == world.persona("bob").id


async def test_a_redelivered_message_reopens_nothing(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    body = text_webhook(whatsapp.number, CUSTOMER, "Rita", "Oi")
    assert (await whatsapp.post(body)).status_code == 200
    [conv] = await conversations_of(runtime, whatsapp.channel_id)
    await close(world, conv.id)
    assert (await whatsapp.post(body)).status_code == 200
    [same] = await conversations_of(runtime, whatsapp.channel_id)
    assert same.status == "closed"


def visitor(world: World) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    )


async def start(client: httpx.AsyncClient, channel_id: str) -> None:
    r = await client.post(f"{W}/channels/{channel_id}/sessions", json={"name": "Visitor"})
    assert r.status_code == 200, r.text
    client.headers["X-Visitor-Token"] = r.json()["visitor_token"]


async def say(client: httpx.AsyncClient, text: str) -> Any:
    r = await client.post(
        f"{W}/messages", json={"body": text, "client_message_id": uuid.uuid4().hex}
    )
    assert r.status_code == 201, r.text
    return r.json()["conversation_id"]


async def test_website_chat_reopens_within_the_window_too(world: World, runtime: Runtime) -> None:
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    async with world.client("alice") as alice:
        created = await alice.post(
            "/api/v1/channels",
            json={
                "type": "webchat",
                "name": "Site",
                "team_id": str(world.acme.teams["support"].id),
            },
        )
        assert created.status_code == 201, created.text
    channel_id = created.json()["id"]
    async with visitor(world) as site:
        await start(site, channel_id)
        first = await say(site, "Hello there")
        await close(world, uuid.UUID(first))
        clock.advance(hours=23, minutes=59)
        second = await say(site, "One more question")
        await close(world, uuid.UUID(second))
        clock.advance(hours=24, seconds=1)
        third = await say(site, "And another")
    assert second == first
    assert third != first
