"""The conversations API: views, filters, pagination, counts and every change agents make."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ConversationTag, Tag
from frontdesk.db.outbox import Job
from frontdesk.jobs.conversations import wake_snoozed_conversation
from tests.conftest import Published, QueryCounter, World
from tests.factories import Factory

API = "/api/v1/conversations"


def ids(body: dict[str, Any]) -> set[str]:
    return {c["id"] for c in body["items"]}


def conv_id(world: World, name: str) -> str:
    return str(world.acme.conversations[name].id)


async def db_conversation(runtime: Runtime, conversation_id: str) -> Conversation:
    async with runtime.database.read_session() as db:
        return await db.get_one(Conversation, uuid.UUID(conversation_id))


async def add_tag(runtime: Runtime, workspace_id: uuid.UUID, name: str, **kw: Any) -> Tag:
    async with runtime.database.write_session() as s:
        tag = Tag(workspace_id=workspace_id, name=name, created_at=runtime.clock.now(), **kw)
        s.add(tag)
        await s.commit()
        return tag


async def test_agents_see_their_own_their_teams_and_teamless_conversations(world: World) -> None:
    async with world.client("bob") as bob, world.client("carol") as carol:
        seen_by_bob = ids((await bob.get(API)).json())
        seen_by_carol = ids((await carol.get(API)).json())
        hidden = await bob.get(f"{API}/{conv_id(world, 'erin_sales')}")
    assert seen_by_bob == {conv_id(world, "erin_support"), conv_id(world, "frank_unassigned")}
    assert seen_by_carol == {conv_id(world, "erin_sales"), conv_id(world, "frank_unassigned")}
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"


async def test_supervisors_and_viewers_see_every_conversation(world: World) -> None:
    every = {conv_id(world, n) for n in world.acme.conversations}
    for name in ("alice", "dave", "vera"):
        async with world.client(name) as client:
            assert ids((await client.get(API)).json()) == every, name


async def test_views_mine_unassigned_and_team(world: World) -> None:
    support = world.acme.teams["support"].id
    async with world.client("bob") as bob, world.client("alice") as alice:
        mine = ids((await bob.get(API, params={"view": "mine"})).json())
        my_teams = ids((await bob.get(API, params={"view": "team"})).json())
        unassigned = ids((await alice.get(API, params={"view": "unassigned"})).json())
        support_queue = ids(
            (await alice.get(API, params={"view": "team", "team_id": support})).json()
        )
        alice_mine = ids((await alice.get(API, params={"view": "mine"})).json())
    assert mine == {conv_id(world, "erin_support")}
    assert my_teams == {conv_id(world, "erin_support")}
    assert unassigned == {conv_id(world, "frank_unassigned"), conv_id(world, "erin_sales")}
    assert support_queue == {conv_id(world, "erin_support")}
    assert alice_mine == set()


async def test_filters_by_status_channel_tag_and_assignee(world: World, runtime: Runtime) -> None:
    vip = await add_tag(runtime, world.acme.id, "vip")
    async with world.client("alice") as alice:
        await alice.put(
            f"{API}/{conv_id(world, 'erin_sales')}/tags", json={"tag_ids": [str(vip.id)]}
        )
        await alice.post(f"{API}/{conv_id(world, 'frank_unassigned')}/close", json={})
        by_tag = ids((await alice.get(API, params={"tag_id": str(vip.id)})).json())
        closed = ids((await alice.get(API, params={"status": "closed"})).json())
        open_or_pending = ids(
            (await alice.get(API, params=[("status", "open"), ("status", "pending")])).json()
        )
        email = ids(
            (
                await alice.get(API, params={"channel_id": str(world.acme.channels["email"].id)})
            ).json()
        )
        bobs = ids(
            (await alice.get(API, params={"assignee_id": str(world.persona("bob").id)})).json()
        )
        bad = await alice.get(API, params={"status": "archived"})
    assert by_tag == {conv_id(world, "erin_sales")}
    assert closed == {conv_id(world, "frank_unassigned")}
    assert open_or_pending == {conv_id(world, "erin_support"), conv_id(world, "erin_sales")}
    assert email == {conv_id(world, "frank_unassigned"), conv_id(world, "erin_sales")}
    assert bobs == {conv_id(world, "erin_support")}
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"].startswith("status")


async def _many_conversations(runtime: Runtime, world: World, count: int) -> None:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        ws, channel = world.acme.workspace, world.acme.channels["whatsapp"]
        for i in range(count):
            contact = await f.contact(ws, f"Candidate {i}", phone=f"+5511900000{i:03d}")
            # Several share a timestamp so the id must break ties.
            at = runtime.clock.now() - timedelta(minutes=i // 3)
            await f.conversation(ws, channel, contact, at=at, body=f"message {i}")
        await s.commit()


async def test_pages_cover_every_conversation_once_in_order(world: World, runtime: Runtime) -> None:
    await _many_conversations(runtime, world, 23)
    for sort in ("last_activity", "waiting"):
        seen: list[dict[str, Any]] = []
        cursor = None
        async with world.client("alice") as alice:
            while True:
                params: dict[str, Any] = {"limit": 7, "sort": sort}
                if cursor:
                    params["cursor"] = cursor
                body = (await alice.get(API, params=params)).json()
                seen.extend(body["items"])
                cursor = body["next_cursor"]
                if not cursor:
                    break
        assert len(seen) == 26
        assert len({c["id"] for c in seen}) == 26
        key = "last_activity_at" if sort == "last_activity" else "waiting_since"
        pairs = [(c[key], c["id"]) for c in seen]
        assert pairs == sorted(pairs, reverse=(sort == "last_activity")), sort


async def test_bad_cursor_is_a_clear_422(world: World) -> None:
    async with world.client("alice") as alice:
        r = await alice.get(API, params={"cursor": "not-a-cursor"})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "cursor"


async def test_list_runs_the_same_queries_whatever_the_page_size(
    world: World, runtime: Runtime, count_queries: Any
) -> None:
    await _many_conversations(runtime, world, 25)
    tag = await add_tag(runtime, world.acme.id, "hot")
    async with world.client("alice") as alice:
        for conversation in (await alice.get(API, params={"limit": 30})).json()["items"][:10]:
            await alice.put(f"{API}/{conversation['id']}/tags", json={"tag_ids": [str(tag.id)]})
        counter: QueryCounter
        with count_queries() as counter:
            small = await alice.get(API, params={"limit": 2})
        small_count = counter.count
        with count_queries() as counter:
            large = await alice.get(API, params={"limit": 20})
        large_count = counter.count
    assert len(small.json()["items"]) == 2
    assert len(large.json()["items"]) == 20
    assert small_count == large_count


async def test_counts_per_view(world: World) -> None:
    async with world.client("bob") as bob, world.client("alice") as alice:
        bobs = (await bob.get(f"{API}/counts")).json()
        alices = (await alice.get(f"{API}/counts")).json()
    assert bobs["mine"] == 1
    assert bobs["unassigned"] == 1  # frank's; erin_sales is not bob's to see
    assert bobs["all"] == 2
    assert alices == {
        "mine": 0,
        "unassigned": 2,
        "all": 3,
        "teams": {
            str(world.acme.teams["support"].id): 1,
            str(world.acme.teams["sales"].id): 1,
        },
    }


async def test_assign_changes_the_conversation_and_tells_the_new_assignee(
    world: World, runtime: Runtime, published: Published
) -> None:
    carol = world.persona("carol")
    cid = conv_id(world, "frank_unassigned")
    async with world.client("alice") as alice:
        r = await alice.post(f"{API}/{cid}/assign", json={"assignee_id": str(carol.id)})
    assert r.status_code == 200
    body = r.json()
    assert body["assignee"]["id"] == str(carol.id)
    assert body["version"] == 2
    stored = await db_conversation(runtime, cid)
    assert stored.assignee_id == carol.id
    assert published.types()[-2:] == ["conversation.assigned", "notification.created"]
    event = published.events[-2]
    assert f"user:{carol.id}" in event.audience
    assert f"ws:{world.acme.id}:supervisors" in event.audience
    assert event.payload["conversation"]["version"] == 2
    assert event.payload["change"]["source"] == "manual"


async def test_assigning_to_someone_who_cannot_take_it_writes_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    cid = conv_id(world, "frank_unassigned")
    async with world.client("alice") as alice:
        to_viewer = await alice.post(
            f"{API}/{cid}/assign", json={"assignee_id": str(world.persona("vera").id)}
        )
        to_stranger = await alice.post(
            f"{API}/{cid}/assign", json={"assignee_id": str(world.persona("oscar").id)}
        )
        malformed = await alice.post(f"{API}/{cid}/assign", json={"assignee_id": "bob"})
    for r in (to_viewer, to_stranger, malformed):
        assert r.status_code == 422
        assert r.json()["error"]["details"]["field"] == "assignee_id"
    stored = await db_conversation(runtime, cid)
    assert stored.assignee_id is None
    assert stored.version == 1
    assert published.events == []


async def test_viewers_cannot_change_conversations(world: World, runtime: Runtime) -> None:
    cid = conv_id(world, "frank_unassigned")
    async with world.client("vera") as vera:
        results = [
            await vera.post(
                f"{API}/{cid}/assign", json={"assignee_id": str(world.persona("bob").id)}
            ),
            await vera.post(f"{API}/{cid}/close", json={}),
            await vera.post(
                f"{API}/{cid}/messages", json={"body": "hi", "client_message_id": "v1"}
            ),
            await vera.patch(f"{API}/{cid}", json={"priority": "high"}),
        ]
    assert [r.status_code for r in results] == [403, 403, 403, 403]
    assert (await db_conversation(runtime, cid)).version == 1


async def test_an_agent_takes_a_teamless_conversation(world: World) -> None:
    bob = world.persona("bob")
    cid = conv_id(world, "frank_unassigned")
    async with world.client("bob") as client:
        r = await client.post(f"{API}/{cid}/assign", json={"assignee_id": str(bob.id)})
        mine = ids((await client.get(API, params={"view": "mine"})).json())
    assert r.status_code == 200
    assert cid in mine


async def test_unassign(world: World, published: Published) -> None:
    cid = conv_id(world, "erin_support")
    async with world.client("bob") as bob:
        r = await bob.post(f"{API}/{cid}/unassign")
    assert r.status_code == 200
    assert r.json()["assignee"] is None
    assert published.types() == ["conversation.unassigned"]
    assert f"user:{world.persona('bob').id}" in published.events[0].audience


async def test_transfer_moves_it_to_the_other_team_queue(
    world: World, runtime: Runtime, published: Published
) -> None:
    cid = conv_id(world, "erin_support")
    sales, support = world.acme.teams["sales"], world.acme.teams["support"]
    async with world.client("bob") as bob, world.client("carol") as carol:
        r = await bob.post(f"{API}/{cid}/transfer", json={"team_id": str(sales.id)})
        after_for_bob = await bob.get(f"{API}/{cid}")
        carol_queue = ids((await carol.get(API, params={"view": "team"})).json())
        bad = await bob.post(
            f"{API}/{conv_id(world, 'frank_unassigned')}/transfer",
            json={"team_id": str(world.other.teams["desk"].id)},
        )
    assert r.status_code == 200
    assert r.json()["team"]["id"] == str(sales.id)
    assert r.json()["assignee"] is None
    assert after_for_bob.status_code == 404  # no longer his team's nor his
    assert cid in carol_queue
    event = published.events[0]
    assert event.type == "conversation.transferred"
    assert f"team:{support.id}" in event.audience
    assert f"team:{sales.id}" in event.audience
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "team_id"
    assert (await db_conversation(runtime, conv_id(world, "frank_unassigned"))).team_id is None


async def test_status_pending_and_back(world: World) -> None:
    cid = conv_id(world, "erin_support")
    async with world.client("bob") as bob:
        pending = await bob.post(f"{API}/{cid}/status", json={"status": "pending"})
        reopened = await bob.post(f"{API}/{cid}/status", json={"status": "open"})
        closed_via_status = await bob.post(f"{API}/{cid}/status", json={"status": "closed"})
    assert pending.json()["status"] == "pending"
    assert reopened.json()["status"] == "open"
    assert closed_via_status.status_code == 422


async def test_snooze_until_then_wake(world: World, runtime: Runtime, clock: FrozenClock) -> None:
    cid = conv_id(world, "erin_support")
    until = clock.now() + timedelta(hours=2)
    async with world.client("bob") as bob:
        past = await bob.post(
            f"{API}/{cid}/snooze", json={"until": (clock.now() - timedelta(minutes=1)).isoformat()}
        )
        r = await bob.post(f"{API}/{cid}/snooze", json={"until": until.isoformat()})
    assert past.status_code == 422
    assert past.json()["error"]["details"]["field"] == "until"
    assert r.json()["status"] == "snoozed"
    async with runtime.database.read_session() as db:
        job = await db.scalar(select(Job).where(Job.kind == "wake_conversation"))
    assert job is not None
    assert job.run_at == until
    await wake_snoozed_conversation(runtime, job.payload)
    assert (await db_conversation(runtime, cid)).status == "snoozed"  # not yet time
    clock.advance(hours=2)
    await wake_snoozed_conversation(runtime, job.payload)
    stored = await db_conversation(runtime, cid)
    assert stored.status == "open"
    assert stored.snoozed_until is None


async def test_close_with_an_outcome_tags_it_and_reopen(
    world: World, runtime: Runtime, published: Published
) -> None:
    hired = await add_tag(runtime, world.acme.id, "hired", is_outcome=True)
    cid = conv_id(world, "erin_support")
    async with world.client("bob") as bob:
        closed = await bob.post(
            f"{API}/{cid}/close", json={"outcome": "hired", "note": "Starts Monday"}
        )
        again = await bob.post(f"{API}/{cid}/close", json={})
        reply = await bob.post(
            f"{API}/{cid}/messages", json={"body": "hi", "client_message_id": "c1"}
        )
        reopened = await bob.post(f"{API}/{cid}/reopen")
    body = closed.json()
    assert body["status"] == "closed"
    assert body["outcome"] == "hired"
    assert body["closed_at"] is not None
    assert body["waiting_since"] is None
    assert [t["id"] for t in body["tags"]] == [str(hired.id)]
    assert again.status_code == 409
    assert reply.status_code == 409
    assert reopened.json()["status"] == "open"
    assert reopened.json()["outcome"] is None
    assert "conversation.closed" in published.types()
    stored = await db_conversation(runtime, cid)
    assert stored.closed_by_id is None
    assert stored.status == "open"


async def test_priority_and_subject(world: World, runtime: Runtime) -> None:
    cid = conv_id(world, "erin_support")
    async with world.client("bob") as bob:
        r = await bob.patch(f"{API}/{cid}", json={"priority": "urgent", "subject": "Interview"})
        bad = await bob.patch(f"{API}/{cid}", json={"priority": "whenever"})
        unknown = await bob.patch(f"{API}/{cid}", json={"colour": "red"})
    assert r.json()["priority"] == "urgent"
    assert r.json()["subject"] == "Interview"
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "priority"
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"]["field"] == "colour"
    assert (await db_conversation(runtime, cid)).priority == 3


async def test_tags_only_from_this_workspace(world: World, runtime: Runtime) -> None:
    ours = await add_tag(runtime, world.acme.id, "callback")
    theirs = await add_tag(runtime, world.other.id, "secret")
    cid = conv_id(world, "erin_support")
    async with world.client("bob") as bob:
        bad = await bob.put(f"{API}/{cid}/tags", json={"tag_ids": [str(ours.id), str(theirs.id)]})
        good = await bob.put(f"{API}/{cid}/tags", json={"tag_ids": [str(ours.id)]})
        cleared = await bob.put(f"{API}/{cid}/tags", json={"tag_ids": []})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "tag_ids"
    assert [t["name"] for t in good.json()["tags"]] == ["callback"]
    assert cleared.json()["tags"] == []
    async with runtime.database.read_session() as db:
        left = await db.scalar(select(func.count()).select_from(ConversationTag))
    assert left == 0


async def test_the_row_shows_the_last_message_of_a_person_and_when_it_was_written(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    """Automatic messages ("You're now chatting with…") and notes never take the row's line."""
    cid = conv_id(world, "erin_sales")
    asked_at = clock.now()

    async def row() -> tuple[str, str | None]:
        async with world.client("carol") as carol:
            listed = (await carol.get(API, params={"view": "all"})).json()["items"]
        item = next(c for c in listed if c["id"] == cid)
        return item["last_message_preview"], item["last_message_at"]

    clock.advance(minutes=5)
    async with world.client("carol") as carol:
        r = await carol.post(
            f"{API}/{cid}/assign", json={"assignee_id": str(world.persona("carol").id)}
        )
        assert r.status_code == 200, r.text
        assert r.json()["last_message_preview"] == "Do you have openings in sales?"
    async with runtime.database.read_session() as db:
        automatic = await db.scalar(
            select(func.count()).where(
                Message.conversation_id == uuid.UUID(cid), Message.sender_type == "system"
            )
        )
    assert automatic == 1
    assert await row() == (
        "Do you have openings in sales?",
        asked_at.isoformat().replace("+00:00", "Z"),
    )
    clock.advance(minutes=1)
    replied_at = clock.now()
    async with world.client("carol") as carol:
        r = await carol.post(
            f"{API}/{cid}/messages", json={"body": "Yes:  two openings", "client_message_id": "r1"}
        )
        assert r.status_code == 201, r.text
        clock.advance(minutes=1)
        r = await carol.post(f"{API}/{cid}/notes", json={"body": "internal: check the CV"})
        assert r.status_code == 201, r.text
    assert await row() == ("Yes: two openings", replied_at.isoformat().replace("+00:00", "Z"))
