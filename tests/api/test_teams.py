"""The teams API: listing with members, creating, renaming, deleting and changing members."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Team, TeamMember
from tests.conftest import Published, QueryCounter, World
from tests.factories import Factory

API = "/api/v1/teams"


def team_url(world: World, name: str, suffix: str = "") -> str:
    return f"{API}/{world.acme.teams[name].id}{suffix}"


def uid(world: World, name: str) -> str:
    return str(world.persona(name).id)


async def db_team(runtime: Runtime, team_id: str | uuid.UUID) -> Team | None:
    async with runtime.database.read_session() as db:
        return await db.get(Team, uuid.UUID(str(team_id)))


async def member_ids(runtime: Runtime, team_id: str | uuid.UUID) -> set[uuid.UUID]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(TeamMember.user_id).where(TeamMember.team_id == uuid.UUID(str(team_id)))
        )
        return set(rows)


async def count_rows(runtime: Runtime, model: Any) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def audit_actions(runtime: Runtime, workspace_id: uuid.UUID) -> list[AuditLogEntry]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(AuditLogEntry)
            .where(AuditLogEntry.workspace_id == workspace_id)
            .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
        )
        return list(rows)


async def test_every_member_lists_teams_with_members_and_counts(world: World) -> None:
    for name in ("alice", "bob", "vera"):
        async with world.client(name) as client:
            r = await client.get(API)
        assert r.status_code == 200, name
        teams = {t["name"]: t for t in r.json()}
        assert set(teams) == {"Sales", "Support"}, name
    support = teams["Support"]
    assert support["id"] == str(world.acme.teams["support"].id)
    assert support["members"] == [
        {"user_id": uid(world, "bob"), "name": "Bob", "is_supervisor": False}
    ]
    assert support["member_count"] == 1
    assert support["open_conversation_count"] == 1
    assert support["channel_count"] == 0
    assert teams["Sales"]["members"] == [
        {"user_id": uid(world, "carol"), "name": "Carol", "is_supervisor": False}
    ]


async def _many_teams(runtime: Runtime, world: World, count: int) -> None:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        members = [world.persona(n) for n in ("bob", "carol", "dave")]
        for i in range(count):
            await f.team(world.acme.workspace, f"Team {i:02d}", members[: i % 4])
        await s.commit()


async def test_team_list_runs_the_same_queries_whatever_the_number_of_teams(
    world: World, runtime: Runtime, count_queries: Any
) -> None:
    counter: QueryCounter
    async with world.client("alice") as alice:
        with count_queries() as counter:
            few = await alice.get(API)
        few_count = counter.count
        await _many_teams(runtime, world, 18)
        with count_queries() as counter:
            many = await alice.get(API)
        many_count = counter.count
    assert len(few.json()) == 2
    assert len(many.json()) == 20
    assert sum(t["member_count"] for t in many.json()) == 2 + sum(i % 4 for i in range(18))
    assert few_count == many_count


async def test_read_one_team_and_not_another_workspaces(world: World) -> None:
    async with world.client("bob") as bob:
        own = await bob.get(team_url(world, "sales"))
        other = await bob.get(f"{API}/{world.other.teams['desk'].id}")
        missing = await bob.get(f"{API}/{uuid.uuid4()}")
    assert own.status_code == 200
    assert own.json()["name"] == "Sales"
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "not_found"
    assert missing.status_code == 404


async def test_admin_creates_a_team_with_members(
    world: World, runtime: Runtime, published: Published
) -> None:
    body = {"name": " Billing ", "description": "Invoices", "user_ids": [uid(world, "bob")] * 2}
    async with world.client("dave") as dave:
        r = await dave.post(API, json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["name"] == "Billing"
    assert created["description"] == "Invoices"
    assert created["members"] == [
        {"user_id": uid(world, "bob"), "name": "Bob", "is_supervisor": False}
    ]
    team = await db_team(runtime, created["id"])
    assert team is not None
    assert team.workspace_id == world.acme.id
    assert await member_ids(runtime, created["id"]) == {world.persona("bob").id}
    assert published.types() == ["team.changed"]
    assert published.events[0].payload["change"] == "created"
    assert published.events[0].payload["id"] == created["id"]
    assert published.events[0].audience == (f"ws:{world.acme.id}",)
    audit = await audit_actions(runtime, world.acme.id)
    assert [a.action for a in audit] == ["team.created"]
    assert audit[0].target_id == created["id"]
    assert audit[0].actor_user_id == world.persona("dave").id


async def test_agents_and_viewers_cannot_create_teams(
    world: World, runtime: Runtime, published: Published
) -> None:
    before = await count_rows(runtime, Team)
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            r = await client.post(API, json={"name": "Rogue"})
        assert r.status_code == 403, name
    assert await count_rows(runtime, Team) == before
    assert published.events == []


async def test_create_refuses_a_taken_name_whatever_its_case(
    world: World, runtime: Runtime, published: Published
) -> None:
    before = await count_rows(runtime, Team)
    async with world.client("alice") as alice:
        r = await alice.post(API, json={"name": "support"})
        # The other workspace's team name is free here.
        free = await alice.post(API, json={"name": "Desk"})
    assert r.status_code == 409
    assert r.json()["error"]["details"]["field"] == "name"
    assert free.status_code == 201
    assert await count_rows(runtime, Team) == before + 1


async def test_create_refuses_members_of_another_workspace(
    world: World, runtime: Runtime, published: Published
) -> None:
    before = (await count_rows(runtime, Team), await count_rows(runtime, TeamMember))
    async with world.client("alice") as alice:
        foreign = await alice.post(
            API, json={"name": "Mixed", "user_ids": [uid(world, "bob"), uid(world, "olive")]}
        )
        unknown = await alice.post(API, json={"name": "Ghosts", "user_ids": [str(uuid.uuid4())]})
    for r in (foreign, unknown):
        assert r.status_code == 422
        assert r.json()["error"]["details"]["field"] == "user_ids"
    assert uid(world, "olive") not in foreign.text
    assert (await count_rows(runtime, Team), await count_rows(runtime, TeamMember)) == before
    assert published.events == []


async def test_create_validates_the_body(world: World, runtime: Runtime) -> None:
    before = await count_rows(runtime, Team)
    async with world.client("alice") as alice:
        blank = await alice.post(API, json={"name": "   "})
        long_name = await alice.post(API, json={"name": "x" * 121})
        bad_id = await alice.post(API, json={"name": "Ok", "user_ids": ["nope"]})
        extra = await alice.post(API, json={"name": "Ok", "colour": "red"})
    assert blank.json()["error"]["details"]["field"] == "name"
    assert long_name.json()["error"]["details"]["field"] == "name"
    assert bad_id.json()["error"]["details"]["field"] == "user_ids.0"
    assert extra.json()["error"]["details"]["field"] == "colour"
    for r in (blank, long_name, bad_id, extra):
        assert r.status_code == 422
    assert await count_rows(runtime, Team) == before


async def test_admin_renames_a_team(world: World, runtime: Runtime, published: Published) -> None:
    async with world.client("dave") as dave:
        r = await dave.patch(
            team_url(world, "support"), json={"name": "Customer care", "description": "Tier 1"}
        )
        clash = await dave.patch(team_url(world, "support"), json={"name": "SALES"})
        unchanged = await dave.patch(team_url(world, "support"), json={})
    assert r.status_code == 200
    assert r.json()["name"] == "Customer care"
    assert r.json()["members"] == [
        {"user_id": uid(world, "bob"), "name": "Bob", "is_supervisor": False}
    ]
    team = await db_team(runtime, world.acme.teams["support"].id)
    assert team is not None
    assert (team.name, team.description) == ("Customer care", "Tier 1")
    assert clash.status_code == 409
    assert clash.json()["error"]["details"]["field"] == "name"
    assert unchanged.status_code == 200
    assert published.types() == ["team.changed"]
    assert published.events[0].payload["name"] == "Customer care"
    assert published.events[0].payload["change"] == "updated"
    audit = await audit_actions(runtime, world.acme.id)
    assert [a.action for a in audit] == ["team.updated"]
    assert audit[0].details["name"] == {"before": "Support", "after": "Customer care"}


async def test_agents_cannot_change_teams(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("bob") as bob, world.client("vera") as vera:
        rename = await bob.patch(team_url(world, "support"), json={"name": "Mine"})
        delete = await bob.delete(team_url(world, "support"))
        join = await bob.post(
            team_url(world, "sales", "/members"), json={"user_id": uid(world, "bob")}
        )
        replace = await vera.put(team_url(world, "sales", "/members"), json={"user_ids": []})
        leave = await bob.delete(team_url(world, "support", f"/members/{uid(world, 'bob')}"))
    for r in (rename, delete, join, replace, leave):
        assert r.status_code == 403
    team = await db_team(runtime, world.acme.teams["support"].id)
    assert team is not None
    assert team.name == "Support"
    assert await member_ids(runtime, world.acme.teams["sales"].id) == {world.persona("carol").id}
    assert published.events == []


async def test_deleting_a_team_with_channels_or_open_conversations_is_refused(
    world: World, runtime: Runtime, published: Published
) -> None:
    support = world.acme.teams["support"]
    whatsapp = world.acme.channels["whatsapp"]
    async with world.client("alice") as alice:
        await alice.patch(f"/api/v1/channels/{whatsapp.id}", json={"team_id": str(support.id)})
        published.events.clear()
        r = await alice.delete(f"{API}/{support.id}")
        still = await alice.get(f"{API}/{support.id}")
    assert r.status_code == 409
    assert "archive" in r.json()["error"]["message"]
    assert r.json()["error"]["details"] == {"channel_count": 1, "open_conversation_count": 1}
    assert still.status_code == 200
    assert await member_ids(runtime, support.id) == {world.persona("bob").id}
    async with runtime.database.read_session() as db:
        channel = await db.get_one(Channel, whatsapp.id)
        conversation = await db.get_one(Conversation, world.acme.conversations["erin_support"].id)
    assert (channel.team_id, conversation.team_id) == (support.id, support.id)
    assert published.events == []


async def test_deleting_a_team_keeps_its_closed_conversations_without_a_team(
    world: World, runtime: Runtime, published: Published
) -> None:
    support = world.acme.teams["support"]
    erin_support = world.acme.conversations["erin_support"]
    async with world.client("alice") as alice:
        closed = await alice.post(f"/api/v1/conversations/{erin_support.id}/close", json={})
        assert closed.status_code == 200, closed.text
        version = closed.json()["version"]
        published.events.clear()
        r = await alice.delete(f"{API}/{support.id}")
        gone = await alice.get(f"{API}/{support.id}")
    assert r.status_code == 204
    assert gone.status_code == 404
    assert await db_team(runtime, support.id) is None
    assert await member_ids(runtime, support.id) == set()
    async with runtime.database.read_session() as db:
        conversation = await db.get_one(Conversation, erin_support.id)
    assert conversation.team_id is None
    assert conversation.version == version + 1
    assert published.types() == ["team.changed"]
    assert published.events[0].payload["change"] == "deleted"
    assert published.events[0].payload["id"] == str(support.id)
    audit = await audit_actions(runtime, world.acme.id)
    assert audit[-1].action == "team.deleted"
    assert audit[-1].details["conversations_released"] == 1


async def test_an_archived_team_leaves_pickers_and_takes_nothing_new_until_restored(
    world: World, runtime: Runtime, published: Published
) -> None:
    support = world.acme.teams["support"]
    erin_support = world.acme.conversations["erin_support"]
    whatsapp = world.acme.channels["whatsapp"]
    async with world.client("dave") as dave:
        archived = await dave.post(f"{API}/{support.id}/archive")
        again = await dave.post(f"{API}/{support.id}/archive")
        listed = await dave.get(API)
        everything = await dave.get(API, params={"include_archived": True})
        to_channel = await dave.patch(
            f"/api/v1/channels/{whatsapp.id}", json={"team_id": str(support.id)}
        )
        kept = await dave.get(f"/api/v1/conversations/{erin_support.id}")
    assert archived.status_code == 200, archived.text
    assert archived.json()["archived_at"] is not None
    assert again.json()["archived_at"] == archived.json()["archived_at"]
    assert [t["name"] for t in listed.json()] == ["Sales"]
    assert [t["name"] for t in everything.json()] == ["Sales", "Support"]
    assert to_channel.status_code == 422
    assert to_channel.json()["error"]["details"]["field"] == "team_id"
    # Its conversations stay where they are, with the team.
    assert kept.status_code == 200
    assert kept.json()["team"]["id"] == str(support.id)
    sales_conversation = world.acme.conversations["erin_sales"]
    async with world.client("dave") as dave:
        transfer = await dave.post(
            f"/api/v1/conversations/{sales_conversation.id}/transfer",
            json={"team_id": str(support.id)},
        )
        restored = await dave.post(f"{API}/{support.id}/restore")
        listed_again = await dave.get(API)
    assert transfer.status_code == 422
    assert transfer.json()["error"]["details"]["field"] == "team_id"
    assert restored.status_code == 200
    assert restored.json()["archived_at"] is None
    assert [t["name"] for t in listed_again.json()] == ["Sales", "Support"]
    assert published.types() == ["team.changed", "team.changed"]
    assert [e.payload["change"] for e in published.events] == ["archived", "restored"]
    audit = await audit_actions(runtime, world.acme.id)
    assert [a.action for a in audit] == ["team.archived", "team.restored"]


async def test_a_team_that_channels_route_to_cannot_be_archived(
    world: World, runtime: Runtime, published: Published
) -> None:
    support = world.acme.teams["support"]
    whatsapp = world.acme.channels["whatsapp"]
    async with world.client("alice") as alice:
        await alice.patch(f"/api/v1/channels/{whatsapp.id}", json={"team_id": str(support.id)})
        published.events.clear()
        r = await alice.post(f"{API}/{support.id}/archive")
    assert r.status_code == 409
    assert r.json()["error"]["details"] == {"channel_count": 1, "waiting_count": 0}
    team = await db_team(runtime, support.id)
    assert team is not None
    assert team.archived_at is None
    assert published.events == []


async def test_a_team_with_customers_waiting_for_an_agent_cannot_be_archived(
    world: World, runtime: Runtime, published: Published
) -> None:
    sales = world.acme.teams["sales"]  # Erin waits there with no agent
    async with world.client("alice") as alice:
        r = await alice.post(f"{API}/{sales.id}/archive")
    assert r.status_code == 409
    assert r.json()["error"]["details"] == {"channel_count": 0, "waiting_count": 1}
    team = await db_team(runtime, sales.id)
    assert team is not None
    assert team.archived_at is None
    assert published.events == []


async def test_agents_cannot_archive_or_restore_teams(
    world: World, runtime: Runtime, published: Published
) -> None:
    support = world.acme.teams["support"]
    async with world.client("bob") as bob:
        archive = await bob.post(f"{API}/{support.id}/archive")
        restore = await bob.post(f"{API}/{support.id}/restore")
    assert (archive.status_code, restore.status_code) == (403, 403)
    team = await db_team(runtime, support.id)
    assert team is not None
    assert team.archived_at is None
    assert published.events == []


async def test_replacing_members(world: World, runtime: Runtime, published: Published) -> None:
    sales = world.acme.teams["sales"]
    async with world.client("alice") as alice:
        r = await alice.put(
            f"{API}/{sales.id}/members", json={"user_ids": [uid(world, "bob"), uid(world, "dave")]}
        )
    assert r.status_code == 200
    assert [m["name"] for m in r.json()["members"]] == ["Bob", "Dave"]
    assert await member_ids(runtime, sales.id) == {
        world.persona("bob").id,
        world.persona("dave").id,
    }
    assert published.types() == ["team.changed"]
    assert published.events[0].payload["change"] == "members"
    assert published.events[0].payload["member_count"] == 2
    audit = (await audit_actions(runtime, world.acme.id))[-1]
    assert audit.action == "team.members_changed"
    assert sorted(audit.details["added"]) == sorted([uid(world, "bob"), uid(world, "dave")])
    assert audit.details["removed"] == [uid(world, "carol")]


async def test_replacing_members_refuses_another_workspaces_user(
    world: World, runtime: Runtime, published: Published
) -> None:
    sales = world.acme.teams["sales"]
    async with world.client("alice") as alice:
        r = await alice.put(f"{API}/{sales.id}/members", json={"user_ids": [uid(world, "oscar")]})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "user_ids"
    assert await member_ids(runtime, sales.id) == {world.persona("carol").id}
    assert published.events == []


async def test_joining_a_team_shows_its_conversations_at_once(
    world: World, runtime: Runtime, published: Published
) -> None:
    sales = world.acme.teams["sales"]
    erin_sales = f"/api/v1/conversations/{world.acme.conversations['erin_sales'].id}"
    async with world.client("bob") as bob, world.client("alice") as alice:
        before = await bob.get(erin_sales)
        added = await alice.post(f"{API}/{sales.id}/members", json={"user_id": uid(world, "bob")})
        again = await alice.post(f"{API}/{sales.id}/members", json={"user_id": uid(world, "bob")})
        during = await bob.get(erin_sales)
        removed = await alice.delete(f"{API}/{sales.id}/members/{uid(world, 'bob')}")
        twice = await alice.delete(f"{API}/{sales.id}/members/{uid(world, 'bob')}")
        after = await bob.get(erin_sales)
    assert (before.status_code, during.status_code, after.status_code) == (404, 200, 404)
    assert added.status_code == 200
    assert {m["name"] for m in added.json()["members"]} == {"Bob", "Carol"}
    assert again.status_code == 200
    assert again.json()["member_count"] == 2
    assert removed.status_code == 200
    assert [m["name"] for m in removed.json()["members"]] == ["Carol"]
    assert twice.status_code == 404
    assert await member_ids(runtime, sales.id) == {world.persona("carol").id}
    # Adding someone already there changes nothing, so it announces nothing.
    assert [e.payload["change"] for e in published.events] == ["members", "members"]
    actions = [a.action for a in await audit_actions(runtime, world.acme.id)]
    assert actions == ["team.members_changed", "team.members_changed"]


async def test_adding_another_workspaces_user_is_refused(
    world: World, runtime: Runtime, published: Published
) -> None:
    sales = world.acme.teams["sales"]
    async with world.client("alice") as alice:
        r = await alice.post(f"{API}/{sales.id}/members", json={"user_id": uid(world, "olive")})
        bad = await alice.post(f"{API}/{sales.id}/members", json={"user_id": "olive"})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "user_id"
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "user_id"
    assert await member_ids(runtime, sales.id) == {world.persona("carol").id}
    assert published.events == []


async def test_other_workspace_cannot_touch_acme_teams(
    world: World, runtime: Runtime, published: Published
) -> None:
    support = world.acme.teams["support"]
    async with world.client("oscar") as oscar:
        responses = [
            await oscar.get(f"{API}/{support.id}"),
            await oscar.patch(f"{API}/{support.id}", json={"name": "Taken"}),
            await oscar.delete(f"{API}/{support.id}"),
            await oscar.put(f"{API}/{support.id}/members", json={"user_ids": []}),
            await oscar.post(
                f"{API}/{support.id}/members", json={"user_id": str(world.persona("olive").id)}
            ),
            await oscar.delete(f"{API}/{support.id}/members/{uid(world, 'bob')}"),
            await oscar.post(f"{API}/{support.id}/archive"),
            await oscar.post(f"{API}/{support.id}/restore"),
        ]
        listed = await oscar.get(API)
    assert [r.status_code for r in responses] == [404] * 8
    assert [t["name"] for t in listed.json()] == ["Desk"]
    team = await db_team(runtime, support.id)
    assert team is not None
    assert team.name == "Support"
    assert await member_ids(runtime, support.id) == {world.persona("bob").id}
    assert published.events == []
