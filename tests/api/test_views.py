"""Saved views through the API: private or shared, their live counts, and the inbox filters."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select

from frontdesk.core.accounts.models import User
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import Tag
from frontdesk.core.views.models import SavedView
from tests.conftest import Published, QueryCounter, World
from tests.factories import Factory

API = "/api/v1/views"
CONVERSATIONS = "/api/v1/conversations"


async def stored(runtime: Runtime) -> list[SavedView]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(SavedView).order_by(SavedView.name)))


async def audit_actions(runtime: Runtime) -> list[str]:
    async with runtime.database.read_session() as db:
        query = select(AuditLogEntry.action).where(AuditLogEntry.target_type == "saved_view")
        # What was audited: on the frozen clock the entries share one instant, so their order
        # is not what is checked.
        return sorted(await db.scalars(query))


async def save(world: World, who: str, name: str, filters: dict[str, Any], **kw: Any) -> str:
    async with world.client(who) as client:
        r = await client.post(API, json={"name": name, "filters": filters, **kw})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def names(body: list[dict[str, Any]]) -> list[str]:
    return [v["name"] for v in body]


def conv(world: World, name: str) -> str:
    return str(world.acme.conversations[name].id)


async def test_an_agent_saves_a_private_view_only_they_see(
    world: World, runtime: Runtime, published: Published
) -> None:
    email = str(world.acme.channels["email"].id)
    async with world.client("bob") as bob:
        r = await bob.post(
            API,
            json={"name": "  My email  ", "filters": {"statuses": ["open"], "channel_id": email}},
        )
        listed = await bob.get(API)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["name"] == "My email"
    assert body["is_shared"] is False
    assert body["owner_id"] == str(world.persona("bob").id)
    assert body["filters"] == {
        "statuses": ["open"],
        "channel_id": email,
        "team_id": None,
        "tag_id": None,
        "assignee_id": None,
        "priorities": [],
        "sla": None,
    }
    assert names(listed.json()) == ["My email"]
    [view] = await stored(runtime)
    assert (view.workspace_id, view.owner_id) == (world.acme.id, world.persona("bob").id)
    assert published.types() == ["saved_view.created"]
    assert published.events[0].audience == (f"user:{world.persona('bob').id}",)
    assert published.events[0].payload == {"saved_view": body}
    # Personal, not a workspace setting: nothing in the audit log for admins to read.
    assert await audit_actions(runtime) == []
    for other in ("alice", "carol", "vera"):
        async with world.client(other) as client:
            assert (await client.get(API)).json() == [], other
            hidden = await client.get(f"{API}/{body['id']}")
            assert hidden.status_code == 404, other
            assert hidden.json()["error"]["code"] == "not_found"


async def test_only_owners_and_managers_share_views(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("bob") as bob:
        refused = await bob.post(
            API, json={"name": "Team", "is_shared": True, "filters": {"statuses": ["open"]}}
        )
    assert refused.status_code == 403
    assert await stored(runtime) == []
    assert published.events == []

    shared = await save(world, "dave", "Urgent", {"priorities": ["urgent"]}, is_shared=True)
    assert published.types() == ["saved_view.created"]
    assert published.events[0].audience == (f"ws:{world.acme.id}",)
    assert await audit_actions(runtime) == ["saved_view.created"]
    for member in ("alice", "bob", "carol", "vera"):
        async with world.client(member) as client:
            assert names((await client.get(API)).json()) == ["Urgent"], member
            assert (await client.get(f"{API}/{shared}")).status_code == 200
    async with world.client("oscar") as oscar:
        assert (await oscar.get(API)).json() == []


async def test_counts_follow_each_callers_visibility_and_match_the_list(world: World) -> None:
    bob = world.persona("bob")
    support = str(world.acme.teams["support"].id)
    email = str(world.acme.channels["email"].id)
    views = {
        "everything open": await save(world, "alice", "everything open", {}, is_shared=True),
        "unassigned": await save(
            world, "alice", "unassigned", {"assignee_id": "unassigned"}, is_shared=True
        ),
        "bob's": await save(world, "alice", "bob's", {"assignee_id": str(bob.id)}, is_shared=True),
        "support": await save(world, "alice", "support", {"team_id": support}, is_shared=True),
        "email, any status": await save(
            world,
            "alice",
            "email, any status",
            {"channel_id": email, "statuses": ["open", "pending", "snoozed", "closed"]},
            is_shared=True,
        ),
        "closed": await save(world, "alice", "closed", {"statuses": ["closed"]}, is_shared=True),
    }
    async with world.client("alice") as alice:
        await alice.post(f"{CONVERSATIONS}/{conv(world, 'frank_unassigned')}/close", json={})
        for_alice = (await alice.get(f"{API}/counts")).json()["counts"]
        listed_for_alice = {
            name: len((await alice.get(CONVERSATIONS, params=params(view))).json()["items"])
            for name, view in await filters_by_name(alice)
        }
    async with world.client("bob") as client:
        for_bob = (await client.get(f"{API}/counts")).json()["counts"]
    by_name = {name: for_alice[view_id] for name, view_id in views.items()}
    assert by_name == {
        "everything open": 2,
        "unassigned": 1,  # erin_sales; frank's is closed now
        "bob's": 1,
        "support": 1,
        "email, any status": 2,
        "closed": 1,
    }
    assert listed_for_alice == by_name
    # Bob sees neither Sales' conversation nor, for that matter, anything beyond his own + teams.
    assert {name: for_bob[view_id] for name, view_id in views.items()} == {
        "everything open": 1,
        "unassigned": 0,
        "bob's": 1,
        "support": 1,
        "email, any status": 1,
        "closed": 1,
    }


async def filters_by_name(client: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(v["name"], v["filters"]) for v in (await client.get(API)).json()]


def params(filters: dict[str, Any]) -> list[tuple[str, str]]:
    """The conversation list's query for a saved view's filters, as the app sends it."""
    query = [("status", s) for s in filters["statuses"]]
    query += [("priority", p) for p in filters["priorities"]]
    query += [
        (key, filters[key])
        for key in ("channel_id", "team_id", "tag_id", "assignee_id")
        if filters[key] is not None
    ]
    return query


async def test_counting_takes_two_queries_for_one_view_or_many(
    world: World, runtime: Runtime, count_queries: Any
) -> None:
    async with runtime.database.write_session() as s:
        tag = Tag(workspace_id=world.acme.id, name="vip", created_at=runtime.clock.now())
        s.add(tag)
        await s.commit()
    await save(world, "bob", "one", {"tag_id": str(tag.id)})
    async with world.client("bob") as bob:
        counter: QueryCounter
        with count_queries() as counter:
            one = await bob.get(f"{API}/counts")
        few = counter.count
        for i in range(6):
            await save(world, "bob", f"view {i}", {"tag_id": str(tag.id), "priorities": ["high"]})
        with count_queries() as counter:
            many = await bob.get(f"{API}/counts")
    assert len(one.json()["counts"]) == 1
    assert len(many.json()["counts"]) == 7
    assert few == counter.count


async def test_the_owner_renames_and_refilters_a_private_view(
    world: World, runtime: Runtime, published: Published
) -> None:
    view_id = await save(world, "bob", "Mine", {})
    published.events.clear()
    async with world.client("bob") as bob:
        r = await bob.patch(
            f"{API}/{view_id}",
            json={"name": "Mine, pending", "filters": {"statuses": ["pending"]}},
        )
        again = await bob.patch(f"{API}/{view_id}", json={"name": "Mine, pending"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Mine, pending"
    assert r.json()["filters"]["statuses"] == ["pending"]
    [view] = await stored(runtime)
    assert (view.name, view.filters["statuses"]) == ("Mine, pending", ["pending"])
    assert again.status_code == 200
    assert published.types() == ["saved_view.updated"]  # the repeat changed nothing
    assert published.events[0].audience == (f"user:{world.persona('bob').id}",)
    assert published.events[0].payload["saved_view"]["name"] == "Mine, pending"


async def test_agents_cannot_change_shared_views_and_nobody_sees_anothers_private_one(
    world: World, runtime: Runtime, published: Published
) -> None:
    shared = await save(world, "alice", "Shared", {}, is_shared=True)
    private = await save(world, "bob", "Private", {})
    published.events.clear()
    async with world.client("bob") as bob:
        rename = await bob.patch(f"{API}/{shared}", json={"name": "Hijacked"})
        delete = await bob.delete(f"{API}/{shared}")
        share = await bob.patch(f"{API}/{private}", json={"is_shared": True})
    async with world.client("alice") as alice:
        touch = await alice.patch(f"{API}/{private}", json={"name": "Peeked"})
        remove = await alice.delete(f"{API}/{private}")
    assert [rename.status_code, delete.status_code, share.status_code] == [403, 403, 403]
    assert [touch.status_code, remove.status_code] == [404, 404]
    assert sorted((v.name, v.is_shared) for v in await stored(runtime)) == [
        ("Private", False),
        ("Shared", True),
    ]
    assert published.events == []


async def test_unsharing_removes_the_view_for_everyone_but_its_owner(
    world: World, runtime: Runtime, published: Published
) -> None:
    view_id = await save(world, "dave", "Escalations", {"priorities": ["urgent"]}, is_shared=True)
    published.events.clear()
    async with world.client("alice") as alice:
        r = await alice.patch(f"{API}/{view_id}", json={"is_shared": False})
    assert r.status_code == 200, r.text
    assert r.json()["is_shared"] is False
    assert published.types() == ["saved_view.deleted", "saved_view.updated"]
    gone, changed = published.events
    assert gone.audience == (f"ws:{world.acme.id}",)
    assert gone.payload == {"saved_view_id": view_id, "reason": "unshared"}
    assert changed.audience == (f"user:{world.persona('dave').id}",)
    assert changed.payload["saved_view"]["is_shared"] is False
    assert await audit_actions(runtime) == ["saved_view.created", "saved_view.updated"]
    async with world.client("dave") as dave, world.client("bob") as bob:
        assert names((await dave.get(API)).json()) == ["Escalations"]
        assert (await bob.get(API)).json() == []
        assert (await bob.get(f"{API}/{view_id}")).status_code == 404


async def test_deleting_a_view(world: World, runtime: Runtime, published: Published) -> None:
    private = await save(world, "bob", "Mine", {})
    shared = await save(world, "alice", "Everyone", {}, is_shared=True)
    published.events.clear()
    async with world.client("bob") as bob:
        first = await bob.delete(f"{API}/{private}")
        twice = await bob.delete(f"{API}/{private}")
    async with world.client("dave") as dave:
        by_manager = await dave.delete(f"{API}/{shared}")
    assert (first.status_code, twice.status_code, by_manager.status_code) == (204, 404, 204)
    assert await stored(runtime) == []
    assert published.types() == ["saved_view.deleted", "saved_view.deleted"]
    assert published.events[0].audience == (f"user:{world.persona('bob').id}",)
    assert published.events[0].payload == {"saved_view_id": private, "reason": "deleted"}
    assert published.events[1].audience == (f"ws:{world.acme.id}",)
    assert await audit_actions(runtime) == ["saved_view.created", "saved_view.deleted"]


async def test_filters_must_name_things_of_this_workspace(
    world: World, runtime: Runtime, published: Published
) -> None:
    other = world.other
    async with runtime.database.write_session() as s:
        their_tag = Tag(workspace_id=other.id, name="theirs", created_at=runtime.clock.now())
        s.add(their_tag)
        await s.commit()
    cases = {
        "filters.tag_id": {"tag_id": str(their_tag.id)},
        "filters.channel_id": {"channel_id": str(other.channels["whatsapp"].id)},
        "filters.team_id": {"team_id": str(uuid.uuid4())},
        "filters.assignee_id": {"assignee_id": str(world.persona("oscar").id)},
    }
    async with world.client("alice") as alice:
        for field, filters in cases.items():
            r = await alice.post(API, json={"name": "x", "filters": filters})
            assert r.status_code == 422, (field, r.text)
            assert r.json()["error"]["details"]["field"] == field
        malformed = [
            await alice.post(API, json={"name": "", "filters": {}}),
            await alice.post(API, json={"name": "x", "filters": {"statuses": []}}),
            await alice.post(API, json={"name": "x", "filters": {"statuses": ["archived"]}}),
            await alice.post(API, json={"name": "x", "filters": {"assignee_id": "nobody"}}),
            await alice.post(API, json={"name": "x", "filters": {"colour": "red"}}),
            await alice.post(API, json={"name": "x"}),
        ]
        view_id = await save(world, "alice", "Fine", {})
        bad_update = await alice.patch(
            f"{API}/{view_id}", json={"filters": {"tag_id": str(their_tag.id)}}
        )
        not_a_view = await alice.get(f"{API}/not-an-id")
    assert [r.status_code for r in malformed] == [422] * 6
    assert bad_update.status_code == 422
    assert not_a_view.status_code == 422
    [view] = await stored(runtime)
    assert view.filters["tag_id"] is None
    assert published.types() == ["saved_view.created"]


async def test_api_tokens_read_shared_views_but_save_none(world: World, runtime: Runtime) -> None:
    await save(world, "alice", "Shared", {}, is_shared=True)
    await save(world, "alice", "Alice's own", {})
    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    async with world.bearer(token) as client:
        listed = await client.get(API)
        counts = await client.get(f"{API}/counts")
        refused = await client.post(API, json={"name": "Bot", "filters": {}})
    assert names(listed.json()) == ["Shared"]
    assert list(counts.json()["counts"]) == [listed.json()[0]["id"]]
    assert refused.status_code == 403


async def test_the_inbox_filters_by_assignee_and_priority(world: World) -> None:
    bob = str(world.persona("bob").id)
    async with world.client("alice") as alice:
        await alice.patch(
            f"{CONVERSATIONS}/{conv(world, 'erin_sales')}", json={"priority": "urgent"}
        )

        async def listed(**query: Any) -> set[str]:
            r = await alice.get(CONVERSATIONS, params=query)
            assert r.status_code == 200, r.text
            return {c["id"] for c in r.json()["items"]}

        unassigned = await listed(assignee_id="unassigned")
        bobs = await listed(assignee_id=bob)
        urgent = await listed(priority="urgent")
        urgent_or_normal = await alice.get(
            CONVERSATIONS, params=[("priority", "urgent"), ("priority", "normal")]
        )
        bad_assignee = await alice.get(CONVERSATIONS, params={"assignee_id": "someone"})
        bad_priority = await alice.get(CONVERSATIONS, params={"priority": "critical"})
    assert unassigned == {conv(world, "frank_unassigned"), conv(world, "erin_sales")}
    assert bobs == {conv(world, "erin_support")}
    assert urgent == {conv(world, "erin_sales")}
    assert len(urgent_or_normal.json()["items"]) == 3
    assert bad_assignee.status_code == 422
    assert bad_assignee.json()["error"]["details"]["field"].startswith("assignee_id")
    assert bad_priority.status_code == 422


async def test_a_members_private_views_go_with_their_account(
    world: World, runtime: Runtime
) -> None:
    await save(world, "bob", "Mine", {})
    shared = await save(world, "alice", "Everyone's", {}, is_shared=True)
    async with runtime.database.write_session() as s:
        await s.execute(delete(User).where(User.id == world.persona("bob").id))
        await s.commit()
    assert [str(v.id) for v in await stored(runtime)] == [shared]
