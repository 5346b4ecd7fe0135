"""Unread markers: each member's read cursor per conversation, moved by opening it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.read_cursors.models import ReadCursor
from frontdesk.core.runtime import Runtime
from tests.conftest import Published, QueryCounter, World
from tests.factories import Factory

API = "/api/v1/conversations"
WIDGET = "/api/widget/v1"


def conv(world: World, name: str) -> str:
    return str(world.acme.conversations[name].id)


async def reads(client: httpx.AsyncClient, **query: Any) -> dict[str, dict[str, Any]]:
    r = await client.get(API, params=query)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body["reads"]) <= {c["id"] for c in body["items"]}
    return dict(body["reads"])


async def cursors(runtime: Runtime) -> list[ReadCursor]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(ReadCursor)))


async def first_message(runtime: Runtime, conversation_id: str) -> Message:
    async with runtime.database.read_session() as db:
        query = select(Message).where(Message.conversation_id == uuid.UUID(conversation_id))
        return (await db.scalars(query)).one()


@pytest.fixture
async def visitor(world: World, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """A website visitor of acme's Support team, already in a conversation."""
    async with runtime.database.write_session() as s:
        site = await Factory(s, runtime.clock.now()).channel(
            world.acme.workspace, "webchat", "Site"
        )
        site.team_id = world.acme.teams["support"].id
        await s.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as client:
        session = await client.post(f"{WIDGET}/channels/{site.id}/sessions", json={"name": "Ana"})
        client.headers["X-Visitor-Token"] = session.json()["visitor_token"]
        yield client


async def write(visitor: httpx.AsyncClient, clock: FrozenClock, body: str) -> dict[str, Any]:
    clock.advance(seconds=30)
    client_id = uuid.uuid4().hex
    r = await visitor.post(
        f"{WIDGET}/messages", json={"body": body, "client_message_id": client_id}
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_a_conversation_never_opened_is_unread(world: World, runtime: Runtime) -> None:
    message = await first_message(runtime, conv(world, "erin_support"))
    async with world.client("bob") as bob:
        state = await reads(bob)
    assert state == {
        conv(world, "erin_support"): {
            "last_read_at": None,
            "last_read_message_id": None,
            "unread_count": 1,
        },
        conv(world, "frank_unassigned"): {
            "last_read_at": None,
            "last_read_message_id": None,
            "unread_count": 1,
        },
    }
    assert message.direction == "inbound"


async def test_opening_a_conversation_marks_it_read_for_the_caller_alone(
    world: World, runtime: Runtime, published: Published
) -> None:
    cid = conv(world, "erin_support")
    message = await first_message(runtime, cid)
    bob = world.persona("bob")
    async with world.client("bob") as client:
        r = await client.post(f"{API}/{cid}/read")
        after = await reads(client)
    async with world.client("alice") as alice:
        for_alice = await reads(alice)
    assert r.status_code == 200
    assert r.json() == {"marked_read": 1}  # and the customer sees the read tick
    assert after[cid] == {
        "last_read_at": "2026-01-05T09:00:00Z",
        "last_read_message_id": str(message.id),
        "unread_count": 0,
    }
    assert for_alice[cid] == {"last_read_at": None, "last_read_message_id": None, "unread_count": 1}
    [cursor] = await cursors(runtime)
    assert (cursor.user_id, cursor.conversation_id) == (bob.id, uuid.UUID(cid))
    assert (cursor.last_read_message_id, cursor.last_read_at) == (message.id, message.created_at)
    moved = [e for e in published.events if e.type == "read_cursor.moved"]
    assert len(moved) == 1
    assert moved[0].audience == (f"user:{bob.id}",)
    assert moved[0].workspace_id == world.acme.id
    assert moved[0].payload == {
        "read_cursor": {
            "conversation_id": cid,
            "user_id": str(bob.id),
            "last_read_message_id": str(message.id),
            "last_read_at": "2026-01-05T09:00:00Z",
        }
    }


async def test_marking_read_again_changes_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    cid = conv(world, "erin_support")
    async with world.client("bob") as bob:
        await bob.post(f"{API}/{cid}/read")
        published.events.clear()
        again = await bob.post(f"{API}/{cid}/read")
    assert again.json() == {"marked_read": 0}
    assert published.events == []
    assert len(await cursors(runtime)) == 1


async def test_a_new_customer_message_makes_it_unread_again_until_opened(
    world: World, runtime: Runtime, clock: FrozenClock, visitor: httpx.AsyncClient
) -> None:
    first = await write(visitor, clock, "hello")
    cid = first["conversation_id"]
    async with world.client("bob") as bob, world.client("dave") as dave:
        assert (await reads(bob))[cid] == {
            "last_read_at": None,
            "last_read_message_id": None,
            "unread_count": 1,
        }
        await bob.post(f"{API}/{cid}/read")
        read = (await reads(bob))[cid]
        read_at = read["last_read_at"]
        assert read["last_read_message_id"] == first["id"]
        clock.advance(seconds=5)
        reply = await bob.post(
            f"{API}/{cid}/messages", json={"body": "Hi Ana", "client_message_id": "r1"}
        )
        assert reply.status_code == 201, reply.text
        # Bob's own reply is nothing new for him to read.
        assert (await reads(bob))[cid] == {**read, "unread_count": 0}
        await write(visitor, clock, "are you there")
        await write(visitor, clock, "hello?")
        assert (await reads(bob))[cid] == {**read, "unread_count": 2}
        assert (await reads(dave))[cid] == {
            "last_read_at": None,
            "last_read_message_id": None,
            "unread_count": 3,
        }
        await bob.post(f"{API}/{cid}/read")
        state = (await reads(bob))[cid]
    assert state["unread_count"] == 0
    assert state["last_read_at"] > read_at


async def test_messages_written_in_the_same_instant_are_told_apart_by_id(
    world: World, runtime: Runtime, clock: FrozenClock, visitor: httpx.AsyncClient
) -> None:
    """The state names the message the cursor is on, so a client can order messages of one
    instant the way the server counts them."""
    first = await write(visitor, clock, "hello")
    cid = first["conversation_id"]
    async with world.client("bob") as bob:
        await bob.post(f"{API}/{cid}/read")
        clock.advance(seconds=-30)  # the next message is written in the very same instant
        second = await write(visitor, clock, "still there?")
        assert second["created_at"] == first["created_at"]
        state = (await reads(bob))[cid]
        assert state["last_read_message_id"] == first["id"]
        assert state["unread_count"] == 1
        await bob.post(f"{API}/{cid}/read")
        state = (await reads(bob))[cid]
    assert state["last_read_message_id"] == second["id"]
    assert state["last_read_at"] == first["created_at"]
    assert state["unread_count"] == 0


async def test_the_cursor_never_moves_back(
    world: World, runtime: Runtime, clock: FrozenClock, published: Published
) -> None:
    cid = conv(world, "erin_support")
    bob = world.persona("bob")
    later = clock.now() + timedelta(days=1)
    async with runtime.database.write_session() as s:
        s.add(
            ReadCursor(
                workspace_id=world.acme.id,
                conversation_id=uuid.UUID(cid),
                user_id=bob.id,
                last_read_message_id=None,
                last_read_at=later,
                updated_at=later,
            )
        )
        await s.commit()
    async with world.client("bob") as client:
        r = await client.post(f"{API}/{cid}/read")
        state = (await reads(client))[cid]
    assert r.status_code == 200
    [cursor] = await cursors(runtime)
    assert cursor.last_read_at == later
    assert state == {
        "last_read_at": later.isoformat().replace("+00:00", "Z"),
        "last_read_message_id": None,
        "unread_count": 0,
    }
    assert "read_cursor.moved" not in published.types()


async def test_viewers_keep_their_own_cursor_without_sending_read_ticks(
    world: World, runtime: Runtime
) -> None:
    cid = conv(world, "frank_unassigned")
    async with world.client("vera") as vera:
        r = await vera.post(f"{API}/{cid}/read")
        for_vera = await reads(vera)
    async with world.client("bob") as bob:
        for_bob = await reads(bob)
    assert r.json() == {"marked_read": 0}
    assert (await first_message(runtime, cid)).status == "received"
    assert for_vera[cid]["unread_count"] == 0
    assert for_bob[cid]["unread_count"] == 1
    [cursor] = await cursors(runtime)
    assert cursor.user_id == world.persona("vera").id


async def test_api_tokens_have_no_read_cursor(world: World, runtime: Runtime) -> None:
    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    cid = conv(world, "frank_unassigned")
    async with world.bearer(token) as client:
        r = await client.post(f"{API}/{cid}/read")
        state = await reads(client)
    assert r.json() == {"marked_read": 1}
    assert state == {}
    assert await cursors(runtime) == []


async def test_nobody_marks_read_what_they_cannot_see(world: World, runtime: Runtime) -> None:
    async with world.client("carol") as carol:
        hidden = await carol.post(f"{API}/{conv(world, 'erin_support')}/read")
    async with world.client("oscar") as oscar:
        foreign = await oscar.post(f"{API}/{conv(world, 'erin_support')}/read")
    assert (hidden.status_code, foreign.status_code) == (404, 404)
    assert await cursors(runtime) == []


async def test_unread_states_keep_the_list_query_count_constant(
    world: World, runtime: Runtime, clock: FrozenClock, count_queries: Any
) -> None:
    async with runtime.database.write_session() as s:
        f = Factory(s, clock.now())
        for i in range(20):
            contact = await f.contact(world.acme.workspace, f"Candidate {i}")
            await f.conversation(world.acme.workspace, world.acme.channels["whatsapp"], contact)
        await s.commit()
    async with world.client("alice") as alice:
        page = (await alice.get(API, params={"limit": 20})).json()["items"]
        for c in page[::2]:
            await alice.post(f"{API}/{c['id']}/read")
        counter: QueryCounter
        with count_queries() as counter:
            small = await alice.get(API, params={"limit": 2})
        few = counter.count
        with count_queries() as counter:
            large = await alice.get(API, params={"limit": 20})
    assert len(small.json()["reads"]) == 2
    unread = [s["unread_count"] for s in large.json()["reads"].values()]
    assert sorted(unread) == [0] * 10 + [1] * 10
    assert few == counter.count
