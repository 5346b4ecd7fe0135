"""State before + events = state after, over every action that changes conversations.

A client that loaded a snapshot and applied the events it was sent must hold exactly what a
fresh snapshot shows: events carry whole entities with versions, so order and repeats are
harmless.
"""

from __future__ import annotations

import json
import os
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import Tag
from frontdesk.db.uow import StoredEvent
from tests.conftest import Published, World
from tests.factories import Factory

API = "/api/v1/conversations"


class Replica:
    """What a supervisor's screen holds: conversations and messages by id, newest version."""

    def __init__(self) -> None:
        self.conversations: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}

    def put(self, table: dict[str, dict[str, Any]], entity: dict[str, Any]) -> None:
        current = table.get(entity["id"])
        if current is None or entity["version"] >= current["version"]:
            table[entity["id"]] = entity

    def apply(self, event: StoredEvent) -> None:
        if "conversation" in event.payload:
            self.put(self.conversations, event.payload["conversation"])
        if "message" in event.payload and event.type.startswith("message."):
            self.put(self.messages, event.payload["message"])


async def snapshot(client: httpx.AsyncClient) -> Replica:
    replica = Replica()
    conversations = (await client.get(API, params={"limit": 100})).json()["items"]
    for conv in conversations:
        replica.put(replica.conversations, conv)
        page = (await client.get(f"{API}/{conv['id']}/messages", params={"limit": 100})).json()
        for message in page["items"]:
            replica.put(replica.messages, message)
    return replica


async def act(world: World, runtime: Runtime, clock: FrozenClock) -> None:
    """Every kind of change agents and supervisors make, plus customers writing in."""
    acme = world.acme
    erin, frank, sales = (
        str(acme.conversations[n].id) for n in ("erin_support", "frank_unassigned", "erin_sales")
    )
    carol, bob = world.persona("carol"), world.persona("bob")
    async with runtime.database.write_session() as s:
        tag = Tag(workspace_id=acme.id, name="hired", is_outcome=True, created_at=clock.now())
        site = await Factory(s, clock.now()).channel(acme.workspace, "webchat", "Site")
        s.add(tag)
        await s.commit()
    async with world.client("alice") as alice, world.client("bob") as b:
        steps = [
            alice.post(f"{API}/{frank}/assign", json={"assignee_id": str(carol.id)}),
            b.post(f"{API}/{erin}/messages", json={"body": "Hi Erin", "client_message_id": "c1"}),
            b.post(
                f"{API}/{erin}/notes", json={"body": "@carol", "mention_user_ids": [str(carol.id)]}
            ),
            alice.patch(f"{API}/{sales}", json={"priority": "urgent", "subject": "Opening"}),
            alice.put(f"{API}/{sales}/tags", json={"tag_ids": [str(tag.id)]}),
            b.post(f"{API}/{erin}/status", json={"status": "pending"}),
            b.post(
                f"{API}/{erin}/snooze",
                json={"until": (clock.now() + timedelta(hours=1)).isoformat()},
            ),
            alice.post(f"{API}/{frank}/transfer", json={"team_id": str(acme.teams["support"].id)}),
            alice.post(f"{API}/{frank}/assign", json={"assignee_id": str(bob.id)}),
            alice.post(f"{API}/{frank}/unassign"),
            alice.post(f"{API}/{sales}/close", json={"outcome": "hired"}),
            alice.post(f"{API}/{sales}/reopen"),
            alice.post(f"{API}/{sales}/close", json={"outcome": "not selected"}),
            b.post(f"{API}/{erin}/read"),
        ]
        for step in steps:
            clock.advance(seconds=7)
            response = await step
            assert response.status_code < 300, response.text
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as visitor:
        token = (await visitor.post(f"/api/widget/v1/channels/{site.id}/sessions", json={})).json()
        visitor.headers["X-Visitor-Token"] = token["visitor_token"]
        for i in range(3):
            clock.advance(seconds=3)
            r = await visitor.post(
                "/api/widget/v1/messages", json={"body": f"v{i}", "client_message_id": f"v{i}"}
            )
            assert r.status_code == 201


async def test_snapshot_plus_events_equals_a_fresh_snapshot(
    world: World, runtime: Runtime, clock: FrozenClock, published: Published
) -> None:
    async with world.client("alice") as alice:
        replica = await snapshot(alice)
        published.events.clear()
        await act(world, runtime, clock)
        for event in published.events:
            replica.apply(event)
        fresh = await snapshot(alice)
    assert replica.conversations == fresh.conversations
    assert replica.messages == fresh.messages


async def test_events_applied_twice_and_out_of_order_converge_too(
    world: World, runtime: Runtime, clock: FrozenClock, published: Published
) -> None:
    async with world.client("alice") as alice:
        replica = await snapshot(alice)
        published.events.clear()
        await act(world, runtime, clock)
        events = list(published.events) * 2
        random.Random(4).shuffle(events)
        for event in events:
            replica.apply(event)
        fresh = await snapshot(alice)
    assert replica.conversations == fresh.conversations
    assert replica.messages == fresh.messages


GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "events.json"


def _frame(event: StoredEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "at": event.created_at.isoformat(),
        "data": event.payload,
    }


async def test_golden_events_for_the_app_match_today_s_shapes(
    world: World, runtime: Runtime, clock: FrozenClock, published: Published
) -> None:
    """The app's reducer tests replay tests/golden/events.json; it must look like real frames.

    Set FRONTDESK_WRITE_GOLDEN=1 to write it afresh from this run.
    """
    async with world.client("alice") as alice:
        replica = await snapshot(alice)
        published.events.clear()
        await act(world, runtime, clock)
        frames = [_frame(e) for e in published.events]
        for event in published.events:
            replica.apply(event)
    touched = {
        kind: {f["data"][kind]["id"] for f in frames if kind in f["data"]}
        for kind in ("conversation", "message")
    }
    current = {
        "frames": frames,
        "final": {  # the versions a client that saw only these frames must end with
            "conversations": {
                k: {"version": v["version"]}
                for k, v in replica.conversations.items()
                if k in touched["conversation"]
            },
            "messages": {
                k: {"version": v["version"]}
                for k, v in replica.messages.items()
                if k in touched["message"]
            },
        },
    }
    if os.environ.get("FRONTDESK_WRITE_GOLDEN") == "1" or not GOLDEN.exists():
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [f["type"] for f in golden["frames"]] == [f["type"] for f in frames]
    for old, new in zip(golden["frames"], frames, strict=True):
        for entity in ("conversation", "message"):
            if entity in new["data"]:
                assert sorted(old["data"][entity]) == sorted(new["data"][entity]), entity
