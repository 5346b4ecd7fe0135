"""The audit log: administrative actions, newest first, filtered and paged, per workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from tests.conftest import QueryCounter, World
from tests.factories import Factory

API = "/api/v1/audit-log"


async def admin_actions(world: World, clock: FrozenClock) -> dict[str, str]:
    """A role change, an invitation and a token, a second apart; returns their target ids."""
    bob = world.acme.members["bob"].id
    async with world.client("alice") as alice:
        assert (
            await alice.patch(f"/api/v1/members/{bob}", json={"role": "manager"})
        ).status_code == 200
        clock.advance(seconds=1)
        invitation = await alice.post(
            "/api/v1/invitations", json={"email": "zoe@example.com", "role": "agent"}
        )
        assert invitation.status_code == 201
    clock.advance(seconds=1)
    async with world.client("dave") as dave:
        token = await dave.post("/api/v1/api-tokens", json={"name": "Zapier", "role": "viewer"})
        assert token.status_code == 201
    return {"user": str(bob), "invitation": invitation.json()["id"], "token": token.json()["id"]}


async def all_pages(client: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(50):
        response = await client.get(
            API, params={**params, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.text
        items.extend(response.json()["items"])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursor never ended")


async def test_admin_actions_appear_newest_first_with_their_actor(
    world: World, clock: FrozenClock
) -> None:
    targets = await admin_actions(world, clock)
    async with world.client("dave") as dave:
        response = await dave.get(API)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(e["action"], e["actor_name"], e["target_id"]) for e in items] == [
        ("api_token.created", "Dave", targets["token"]),
        ("invitation.created", "Alice", targets["invitation"]),
        ("member.role_changed", "Alice", targets["user"]),
    ]
    role_change = items[2]
    assert role_change["actor_user_id"] == str(world.acme.members["alice"].id)
    assert role_change["target_type"] == "user"
    assert role_change["details"] == {"before": "agent", "after": "manager"}
    assert role_change["ip_address"] == "127.0.0.1"
    assert items[1]["details"] == {
        "email": "zoe@example.com",
        "role": "agent",
        "client_scope": None,
    }
    assert "token" not in items[0]["details"]
    assert response.json()["next_cursor"] is None


async def test_filters_by_action_and_actor(world: World, clock: FrozenClock) -> None:
    await admin_actions(world, clock)
    dave = world.acme.members["dave"].id
    async with world.client("alice") as alice:
        by_prefix = (await alice.get(API, params={"action": "member"})).json()["items"]
        exact = (await alice.get(API, params={"action": "invitation.created"})).json()["items"]
        by_actor = (await alice.get(API, params={"actor_user_id": str(dave)})).json()["items"]
        by_type = (await alice.get(API, params={"target_type": "api_token"})).json()["items"]
        nothing = (await alice.get(API, params={"action": "member.removed"})).json()["items"]
        wildcard = (await alice.get(API, params={"action": "%"})).json()["items"]
        bad_actor = await alice.get(API, params={"actor_user_id": "dave"})
    assert [e["action"] for e in by_prefix] == ["member.role_changed"]
    assert [e["action"] for e in exact] == ["invitation.created"]
    assert [e["action"] for e in by_actor] == ["api_token.created"]
    assert [e["action"] for e in by_type] == ["api_token.created"]
    assert nothing == []
    assert wildcard == []
    assert bad_actor.status_code == 422
    assert bad_actor.json()["error"]["details"]["field"] == "actor_user_id"


async def test_pages_follow_the_cursor(world: World, clock: FrozenClock) -> None:
    await admin_actions(world, clock)
    async with world.client("alice") as alice:
        first = (await alice.get(API, params={"limit": 2})).json()
        second = (await alice.get(API, params={"limit": 2, "cursor": first["next_cursor"]})).json()
        bad = await alice.get(API, params={"cursor": "garbage"})
    assert [e["action"] for e in first["items"]] == ["api_token.created", "invitation.created"]
    assert [e["action"] for e in second["items"]] == ["member.role_changed"]
    assert second["next_cursor"] is None
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "cursor"


async def test_entries_written_in_the_same_instant_page_without_gaps_or_repeats(
    world: World,
) -> None:
    """With the clock still, only the id orders entries: the cursor must honour it."""
    async with world.client("alice") as alice:
        for i in range(7):
            response = await alice.post(
                "/api/v1/invitations", json={"email": f"p{i}@example.com", "role": "agent"}
            )
            assert response.status_code == 201
        everything = (await alice.get(API)).json()["items"]
        paged = await all_pages(alice, {"limit": 2})
    assert len(everything) == 7
    assert [e["id"] for e in paged] == [e["id"] for e in everything]
    assert [e["id"] for e in everything] == sorted((e["id"] for e in everything), reverse=True)


async def test_listing_takes_the_same_queries_whatever_the_page_size(
    world: World, clock: FrozenClock, count_queries: Callable[[], QueryCounter]
) -> None:
    await admin_actions(world, clock)
    async with world.client("alice") as alice:
        for i in range(20):
            await alice.post("/api/v1/invitations", json={"email": f"p{i}@example.com"})
        with count_queries() as small:
            small_page = await alice.get(API, params={"limit": 2})
        with count_queries() as large:
            large_page = await alice.get(API, params={"limit": 20})
    assert len(small_page.json()["items"]) == 2
    assert len(large_page.json()["items"]) == 20
    assert small.count == large.count > 0


async def test_token_actions_name_the_token(world: World, runtime: Runtime) -> None:
    async with runtime.database.write_session() as s:
        raw = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    async with world.bearer(raw) as client:
        assert (
            await client.post("/api/v1/invitations", json={"email": "zoe@example.com"})
        ).status_code == 201
        entries = (await client.get(API)).json()["items"]
    assert len(entries) == 1
    assert entries[0]["actor_user_id"] is None
    assert entries[0]["actor_name"] is None
    assert entries[0]["actor_token_id"] is not None


async def test_agents_and_viewers_cannot_read_the_log(world: World, clock: FrozenClock) -> None:
    await admin_actions(world, clock)  # bob is a manager now
    for name in ("carol", "vera"):
        async with world.client(name) as client:
            response = await client.get(API)
        assert response.status_code == 403, name
        assert response.json()["error"]["code"] == "forbidden"


async def test_another_workspaces_entries_never_appear(world: World, clock: FrozenClock) -> None:
    await admin_actions(world, clock)
    olive = world.other.members["olive"].id
    async with world.client("oscar") as oscar:
        assert (
            await oscar.patch(f"/api/v1/members/{olive}", json={"role": "manager"})
        ).status_code == 200
        theirs = (await oscar.get(API)).json()["items"]
        by_alice = (
            await oscar.get(API, params={"actor_user_id": str(world.acme.members["alice"].id)})
        ).json()["items"]
    async with world.client("alice") as alice:
        ours = (await alice.get(API)).json()["items"]
    assert [(e["action"], e["actor_name"]) for e in theirs] == [("member.role_changed", "Oscar")]
    assert by_alice == []
    assert len(ours) == 3
    assert str(olive) not in {e["target_id"] for e in ours}


async def test_a_supervisor_setting_an_agents_state_or_capacity_is_audited(
    world: World, clock: FrozenClock
) -> None:
    bob = world.acme.members["bob"].id
    async with world.client("dave") as dave:
        state = await dave.put(f"/api/v1/agents/{bob}/state", json={"state": "offline"})
        assert state.status_code == 200, state.text
        clock.advance(seconds=1)
        capacity = await dave.put(f"/api/v1/agents/{bob}/capacity", json={"capacity": 3})
        assert capacity.status_code == 200, capacity.text
        items = (await dave.get(API, params={"action": "agent"})).json()["items"]
    assert [(e["action"], e["actor_name"], e["target_id"], e["details"]) for e in items] == [
        ("agent.capacity_changed", "Dave", str(bob), {"capacity": 3, "channel_capacity": {}}),
        ("agent.state_set", "Dave", str(bob), {"state": "offline", "reason": None}),
    ]


async def test_an_agent_setting_their_own_state_is_not_an_administrative_action(
    world: World, clock: FrozenClock
) -> None:
    bob = world.acme.members["bob"].id
    async with world.client("bob") as client:
        assert (await client.put("/api/v1/me/state", json={"state": "online"})).status_code == 200
        own = await client.put(f"/api/v1/agents/{bob}/state", json={"state": "offline"})
        assert own.status_code == 200
    async with world.client("dave") as dave:
        assert (await dave.get(API, params={"action": "agent"})).json()["items"] == []


async def test_filters_by_date_range(world: World, clock: FrozenClock) -> None:
    await admin_actions(world, clock)  # three entries, a second apart
    async with world.client("alice") as alice:
        everything = (await alice.get(API)).json()["items"]
        middle = everything[1]["created_at"]
        since = (await alice.get(API, params={"since": middle})).json()["items"]
        until = (await alice.get(API, params={"until": middle})).json()["items"]
        bad = await alice.get(API, params={"since": "yesterday"})
    assert [e["id"] for e in since] == [e["id"] for e in everything[:2]]
    # `until` is exclusive, so consecutive ranges never count an entry twice.
    assert [e["id"] for e in until] == [e["id"] for e in everything[2:]]
    assert bad.status_code == 422
