"""Notifications: mentions and assignments kept for their recipient, listed, read."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.notifications.models import Notification
from frontdesk.core.runtime import Runtime
from tests.api.test_routing import chat_team, run_jobs, set_state, visitor_writes
from tests.conftest import Published, World
from tests.factories import Factory

API = "/api/v1/notifications"


def conv(world: World, name: str) -> str:
    return str(world.acme.conversations[name].id)


async def mention(
    client: httpx.AsyncClient, world: World, conversation: str, *names: str, body: str = "@you"
) -> dict[str, Any]:
    ids = [str(world.persona(n).id) for n in names]
    r = await client.post(
        f"/api/v1/conversations/{conv(world, conversation)}/notes",
        json={"body": body, "mention_user_ids": ids},
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def listing(client: httpx.AsyncClient, **query: Any) -> dict[str, Any]:
    r = await client.get(API, params=query)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def stored(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(Notification)) or 0)


async def test_a_mention_is_kept_for_the_member_mentioned(
    world: World, runtime: Runtime, published: Published
) -> None:
    dave, bob = world.persona("dave"), world.persona("bob")
    async with world.client("bob") as client:
        note = await mention(
            client, world, "erin_support", "dave", "bob", body="@Dave can you  approve this?"
        )
    created = [e for e in published.events if e.type == "notification.created"]
    # Bob mentioned himself too: he wrote it, so only Dave is notified, and only Dave hears.
    assert [e.audience for e in created] == [(f"user:{dave.id}",)]
    async with world.client("dave") as client:
        page = await listing(client)
    assert page["unread_count"] == 1
    [item] = page["items"]
    assert item["kind"] == "mention"
    assert item["actor"] == {"id": str(bob.id), "name": "Bob", "avatar_url": None}
    assert item["conversation"] == {
        "id": conv(world, "erin_support"),
        "contact_name": "Erin",
        "channel_name": "Careers WhatsApp",
        "status": "open",
    }
    assert item["excerpt"] == "@Dave can you approve this?"
    assert item["read_at"] is None
    assert created[0].payload["notification"] == item
    assert note["mentions"] == [str(dave.id), str(bob.id)]
    async with world.client("bob") as client:
        assert (await listing(client))["items"] == []


async def test_assignments_by_someone_else_are_kept_but_taking_one_is_not(
    world: World, runtime: Runtime, published: Published
) -> None:
    carol, alice, dave = world.persona("carol"), world.persona("alice"), world.persona("dave")
    frank = conv(world, "frank_unassigned")
    async with world.client("bob") as bob:
        r = await bob.post(
            f"/api/v1/conversations/{frank}/assign",
            json={"assignee_id": str(world.persona("bob").id)},
        )
        assert r.status_code == 200, r.text
    assert await stored(runtime) == 0
    async with world.client("alice") as client:
        r = await client.post(
            f"/api/v1/conversations/{frank}/assign", json={"assignee_id": str(carol.id)}
        )
        assert r.status_code == 200, r.text
    async with world.client("dave") as client:
        r = await client.post(
            f"/api/v1/conversations/{conv(world, 'erin_support')}/transfer",
            json={"team_id": str(world.acme.teams["sales"].id), "assignee_id": str(carol.id)},
        )
        assert r.status_code == 200, r.text
    created = [e for e in published.events if e.type == "notification.created"]
    assert [e.audience for e in created] == [(f"user:{carol.id}",)] * 2
    async with world.client("carol") as client:
        page = await listing(client)
    assert page["unread_count"] == 2
    assert [(i["kind"], i["actor"]["id"], i["conversation"]["id"]) for i in page["items"]] == [
        ("assigned", str(dave.id), conv(world, "erin_support")),
        ("assigned", str(alice.id), frank),
    ]


async def test_reading_one_and_reading_all(
    world: World, runtime: Runtime, clock: FrozenClock, published: Published
) -> None:
    async with world.client("bob") as bob:
        for i in range(3):
            clock.advance(seconds=10)
            await mention(bob, world, "frank_unassigned", "dave", body=f"note {i}")
    async with world.client("dave") as dave:
        page = await listing(dave)
        assert [i["excerpt"] for i in page["items"]] == ["note 2", "note 1", "note 0"]
        middle = page["items"][1]["id"]
        clock.advance(seconds=10)
        r = await dave.post(f"{API}/{middle}/read")
        assert r.status_code == 200
        assert r.json()["read_at"] is not None
        events = len(published.events)
        again = await dave.post(f"{API}/{middle}/read")
        assert again.json()["read_at"] == r.json()["read_at"]
        assert len(published.events) == events  # reading twice changes and tells nothing
        page = await listing(dave)
        # Unread first, newest first within each group.
        assert [i["excerpt"] for i in page["items"]] == ["note 2", "note 0", "note 1"]
        assert page["unread_count"] == 2
        newest = await listing(dave, order="newest")
        assert [i["excerpt"] for i in newest["items"]] == ["note 2", "note 1", "note 0"]
        r = await dave.post(f"{API}/read-all")
        assert r.json() == {"marked": 2, "unread_count": 0}
        r = await dave.post(f"{API}/read-all")
        assert r.json() == {"marked": 0, "unread_count": 0}
    read = [e for e in published.events if e.type == "notification.read"]
    assert [e.audience for e in read] == [(f"user:{world.persona('dave').id}",)] * 2


async def test_pages_follow_the_order_without_gaps_or_repeats(
    world: World, clock: FrozenClock
) -> None:
    async with world.client("bob") as bob:
        for i in range(7):
            if i % 3:
                clock.advance(seconds=5)  # some share a time: the id breaks the tie
            await mention(bob, world, "frank_unassigned", "dave", body=f"note {i}")
    async with world.client("dave") as dave:
        first = (await listing(dave, order="newest"))["items"]
        for item in first[1:6:2]:
            await dave.post(f"{API}/{item['id']}/read")
        orders: dict[str, list[bool]] = {}
        for order in ("unread_first", "newest"):
            whole = (await listing(dave, order=order, limit=100))["items"]
            orders[order] = [i["read_at"] is None for i in whole]
            seen: list[str] = []
            cursor = None
            while True:
                page = await listing(
                    dave, order=order, limit=2, **({"cursor": cursor} if cursor else {})
                )
                seen += [i["id"] for i in page["items"]]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert seen == [i["id"] for i in whole]
            assert len(seen) == 7
    assert orders == {
        "unread_first": [True] * 4 + [False] * 3,
        "newest": [True, False, True, False, True, False, True],
    }


async def test_nobody_sees_or_reads_another_members_notifications(
    world: World, runtime: Runtime
) -> None:
    async with world.client("bob") as bob:
        await mention(bob, world, "erin_support", "dave")
    async with world.client("dave") as dave:
        [item] = (await listing(dave))["items"]
    for name in ("bob", "alice", "oscar"):
        async with world.client(name) as client:
            assert (await listing(client)) == {"items": [], "next_cursor": None, "unread_count": 0}
            r = await client.post(f"{API}/{item['id']}/read")
            assert r.status_code == 404
            assert (await client.post(f"{API}/read-all")).json()["marked"] == 0
    async with world.client("dave") as dave:
        assert (await listing(dave))["unread_count"] == 1
    async with runtime.database.read_session() as db:
        kept = (await db.scalars(select(Notification))).one()
    assert kept.read_at is None


async def test_a_conversation_out_of_sight_takes_its_notifications_with_it(
    world: World, runtime: Runtime
) -> None:
    async with world.client("dave") as dave:
        await mention(dave, world, "erin_support", "bob")
    async with world.client("bob") as bob:
        page = await listing(bob)
    assert page["unread_count"] == 1
    item_id = page["items"][0]["id"]
    async with world.client("dave") as dave:
        r = await dave.post(
            f"/api/v1/conversations/{conv(world, 'erin_support')}/transfer",
            json={"team_id": str(world.acme.teams["sales"].id)},
        )
        assert r.status_code == 200, r.text
    async with world.client("bob") as bob:
        # Bob is not in Sales: the conversation, and what named it, are gone from his bell.
        assert await listing(bob) == {"items": [], "next_cursor": None, "unread_count": 0}
        assert (await bob.post(f"{API}/{item_id}/read")).status_code == 404


async def test_bad_input_is_refused(world: World) -> None:
    async with world.client("dave") as dave:
        assert (await dave.get(API, params={"order": "oldest"})).status_code == 422
        assert (await dave.get(API, params={"limit": 0})).status_code == 422
        assert (await dave.get(API, params={"cursor": "nonsense"})).status_code == 422
        assert (await dave.post(f"{API}/not-an-id/read")).status_code == 422
        assert (await dave.post(f"{API}/{uuid.uuid4()}/read")).status_code == 404


async def test_api_tokens_have_no_notifications(world: World, runtime: Runtime) -> None:
    async with world.client("bob") as bob:
        await mention(bob, world, "erin_support", "dave")
    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    async with world.bearer(token) as client:
        assert (await listing(client))["items"] == []
        assert (await client.post(f"{API}/read-all")).json() == {"marked": 0, "unread_count": 0}
    assert await stored(runtime) == 1


async def test_a_rule_assigning_a_conversation_leaves_a_notification_with_no_actor(
    world: World, runtime: Runtime
) -> None:
    channel = await chat_team(runtime, world)
    bob = world.client("bob")
    await set_state(bob, "online")
    conversation_id = await visitor_writes(world, channel, "Rita", "Hello there")
    await run_jobs(runtime)
    page = await listing(bob)
    [item] = page["items"]
    assert (item["kind"], item["actor"], item["conversation"]["id"]) == (
        "assigned",
        None,
        conversation_id,
    )
    assert item["conversation"]["contact_name"] == "Rita"
