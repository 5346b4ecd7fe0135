"""Cost budgets of the hot paths (docs/subsystems/hot-path-budgets.md), on both databases.

Each bound is the cost measured today: a change that makes a path send more statements or
commit more often fails here. Lower a bound when a path gets cheaper; raising one is a decision
to write down in the budget document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.routing import route_conversation
from frontdesk.realtime import hub as hub_module
from tests.channels.whatsapp.conftest import connect, messages_of
from tests.conftest import Published, World
from tests.factories import Factory
from tests.fakes.meta import FakeGraph, text_webhook
from tests.performance.conftest import Cost, assert_within
from tests.realtime.conftest import Live, Socket, settle

# (statements, commits) per database, measured on 7 December 2026: a message into a new
# conversation, then one into an open conversation; an agent's first response, then a reply.
BUDGETS: dict[str, dict[str, tuple[int, int]]] = {
    "inbound webhook, new conversation": {"sqlite": (26, 1), "postgresql": (25, 1)},
    "inbound webhook, open conversation": {"sqlite": (14, 1), "postgresql": (13, 1)},
    "widget message, new conversation": {"sqlite": (19, 1), "postgresql": (18, 1)},
    "widget message, open conversation": {"sqlite": (17, 1), "postgresql": (15, 1)},
    "agent reply, first response": {"sqlite": (18, 1), "postgresql": (18, 1)},
    "agent reply": {"sqlite": (17, 1), "postgresql": (17, 1)},
    "routing decision": {"sqlite": (31, 1), "postgresql": (28, 1)},
}
# Fanning one event out to any number of sockets: no statement, one serialisation per event.
FAN_OUT_STATEMENTS = 0


def within(cost: Cost, runtime: Runtime, path: str) -> None:
    """The path's cost on this run's database is within its budget."""
    statements, commits = BUDGETS[path]["sqlite" if runtime.database.is_sqlite else "postgresql"]
    assert_within(cost, statements, commits, path)


W = "/api/widget/v1"


def once_each(*published: list[str]) -> None:
    """One event per change: no kind of event twice for one message, the message once."""
    print("events:", *published)
    for types in published:
        assert types.count("message.created") == 1, types
        assert len(types) == len(set(types)), types


async def test_inbound_whatsapp_message(
    world: World,
    graph: FakeGraph,
    runtime: Runtime,
    published: Published,
    cost: Callable[[], Cost],
) -> None:
    whatsapp = await connect(world, graph)
    published.events.clear()
    with cost() as first:
        r = await whatsapp.post(text_webhook(whatsapp.number, "972500000001", "Dana", "Hello"))
    assert r.status_code == 200, r.text
    new_types = published.types()
    published.events.clear()
    with cost() as second:
        r = await whatsapp.post(
            text_webhook(whatsapp.number, "972500000001", "Dana", "Still there?")
        )
    assert r.status_code == 200, r.text
    stored = sorted(m.body for m in await messages_of(runtime, whatsapp.channel_id))
    assert stored == ["Hello", "Still there?"]
    # One event per change: each kind of change once, the message once.
    once_each(new_types, published.types())
    assert "conversation.created" in new_types
    within(first, runtime, "inbound webhook, new conversation")
    within(second, runtime, "inbound webhook, open conversation")


async def test_widget_visitor_message(
    world: World, runtime: Runtime, published: Published, cost: Callable[[], Cost]
) -> None:
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            world.acme.workspace, "webchat", "Careers site"
        )
        channel.team_id = world.acme.teams["support"].id
        await s.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as visitor:
        r = await visitor.post(f"{W}/channels/{channel.id}/sessions", json={"name": "Nina"})
        assert r.status_code == 200, r.text
        visitor.headers["X-Visitor-Token"] = r.json()["visitor_token"]
        published.events.clear()
        with cost() as first:
            r = await visitor.post(f"{W}/messages", json={"body": "Hi", "client_message_id": "v1"})
        assert r.status_code == 201, r.text
        new_types = published.types()
        published.events.clear()
        with cost() as second:
            r = await visitor.post(
                f"{W}/messages", json={"body": "Anyone?", "client_message_id": "v2"}
            )
        assert r.status_code == 201, r.text
    once_each(new_types, published.types())
    assert "conversation.created" in new_types
    assert "visitor.message_created" in new_types
    within(first, runtime, "widget message, new conversation")
    within(second, runtime, "widget message, open conversation")


async def test_agent_reply(
    world: World, runtime: Runtime, published: Published, cost: Callable[[], Cost]
) -> None:
    url = f"/api/v1/conversations/{world.acme.conversations['erin_support'].id}/messages"
    async with world.client("bob") as bob:
        with cost() as first:
            r = await bob.post(url, json={"body": "Hello Erin", "client_message_id": "a1"})
        assert r.status_code == 201, r.text
        published.events.clear()
        with cost() as second:
            r = await bob.post(url, json={"body": "Monday 9:00?", "client_message_id": "a2"})
        assert r.status_code == 201, r.text
    assert published.types() == ["conversation.updated", "message.created"]
    within(first, runtime, "agent reply, first response")
    within(second, runtime, "agent reply")


async def test_one_routing_decision(
    world: World, runtime: Runtime, published: Published, cost: Callable[[], Cost]
) -> None:
    acme = world.acme
    async with world.client("bob") as bob:
        r = await bob.put("/api/v1/me/state", json={"state": "online"})
        assert r.status_code == 200, r.text
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        contact = await f.contact(acme.workspace, "Gil", phone="+60111111111")
        conv = await f.conversation(
            acme.workspace, acme.channels["whatsapp"], contact, team=acme.teams["support"]
        )
        await s.commit()
    published.events.clear()
    payload: dict[str, Any] = {"workspace_id": str(acme.id), "conversation_id": str(conv.id)}
    with cost() as decision:
        await route_conversation(runtime, payload)
    async with runtime.database.read_session() as db:
        routed = await db.get_one(Conversation, conv.id)
    assert routed.assignee_id == acme.members["bob"].id
    assert routed.queued_at is None
    within(decision, runtime, "routing decision")


async def test_one_event_to_many_sockets(
    live: Live, published: Published, cost: Callable[[], Cost], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fanning an event out costs no statement, and its frame is serialised once whatever the
    number of sockets (counted at the one function that turns an event into a frame)."""
    serialised: list[int] = []
    real = hub_module.event_frame  # type: ignore[attr-defined]

    def counting(event: Any, *, client: bool = False) -> str:
        serialised.append(event.id)
        return real(event, client=client)

    monkeypatch.setattr(hub_module, "event_frame", counting)
    world = live.world
    url = f"/api/v1/conversations/{world.acme.conversations['erin_support'].id}/messages"

    async def reply(sockets: list[Socket], n: int) -> tuple[Cost, list[int]]:
        await settle(*sockets)  # what opening the sockets set off (presence) is over
        published.events.clear()
        serialised.clear()
        async with world.client("bob") as bob:
            with cost() as spent:
                r = await bob.post(url, json={"body": f"Reply {n}", "client_message_id": f"f{n}"})
                assert r.status_code == 201, r.text
                ids = [e.id for e in published.events]
                for sock in sockets:
                    await sock.wait_for(lambda s: {f.get("id") for f in s.frames} >= set(ids))
        for sock in sockets:  # every socket has each event exactly once
            got = [f["id"] for f in sock.frames if f.get("id") in ids]
            assert sorted(got) == sorted(ids), sock.name
        return spent, ids

    await reply([], 0)  # the first response is a different path
    one = [await live.socket("bob")]
    await one[0].wait_for(lambda s: bool(s.of_type("hello")))
    alone, ids_alone = await reply(one, 1)
    many = one + [await live.socket(n) for n in ("alice", "dave", "vera", "bob", "bob", "alice")]
    for sock in many:
        await sock.wait_for(lambda s: bool(s.of_type("hello")))
    crowd, ids_crowd = await reply(many, 2)
    assert len(ids_crowd) == len(ids_alone) == 2
    # Once per event, not once per socket.
    assert sorted(serialised) == sorted(ids_crowd)
    # Six more sockets cost nothing in the database: the reply's own statements, no more.
    print(f"fan-out: 1 socket {alone.count}, {len(many)} sockets {crowd.count} statements")
    assert crowd.count - alone.count <= FAN_OUT_STATEMENTS, crowd.show()
    assert crowd.commits <= alone.commits
    for sock in many:
        await sock.close()
