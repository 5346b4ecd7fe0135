"""Members of a workspace: listing, roles, removal, disabling and enabling accounts."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
from sqlalchemy import select

from frontdesk.core.accounts.models import AuthSession, User
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Membership, Organisation, TeamMember
from tests.conftest import Published, QueryCounter, World
from tests.factories import PASSWORD, Factory

API = "/api/v1/members"


def member_url(world: World, name: str) -> str:
    return f"{API}/{world.persona(name).id}"


async def db_role(runtime: Runtime, world: World, name: str) -> str | None:
    async with runtime.database.read_session() as db:
        return await db.scalar(
            select(Membership.role).where(
                Membership.workspace_id == world.acme.id,
                Membership.user_id == world.persona(name).id,
            )
        )


async def audit_actions(runtime: Runtime, world: World) -> list[str]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(AuditLogEntry.action)
            .where(AuditLogEntry.workspace_id == world.acme.id)
            .order_by(AuditLogEntry.id)
        )
        return list(rows)


async def sign_in(world: World, email: str) -> int:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as client:
        response = await client.post(
            "/api/v1/auth/sign-in", json={"email": email, "password": PASSWORD}
        )
        return response.status_code


async def test_list_members_pages_by_name(world: World) -> None:
    seen: list[str] = []
    cursor: str | None = None
    async with world.client("vera") as vera:
        for _ in range(5):
            params: dict[str, str | int] = {"limit": 2}
            if cursor:
                params["cursor"] = cursor
            page = (await vera.get(API, params=params)).json()
            seen.extend(m["name"] for m in page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        everyone = (await vera.get(API)).json()
    assert seen == ["Alice", "Bob", "Carol", "Dave", "Vera"]
    assert cursor is None
    assert everyone["next_cursor"] is None
    bob = next(m for m in everyone["items"] if m["name"] == "Bob")
    assert bob["user_id"] == str(world.acme.members["bob"].id)
    assert bob["email"] == "bob@acme.test"
    assert bob["role"] == "agent"
    assert bob["is_active"] is True
    assert bob["teams"] == [{"id": str(world.acme.teams["support"].id), "name": "Support"}]
    assert "Oscar" not in {m["name"] for m in everyone["items"]}


async def test_search_and_bad_cursor(world: World) -> None:
    async with world.client("bob") as bob:
        found = (await bob.get(API, params={"q": "CAR"})).json()
        by_email = (await bob.get(API, params={"q": "dave@"})).json()
        foreign = (await bob.get(API, params={"q": "oscar"})).json()
        wildcards = [
            (await bob.get(API, params={"q": q})).json()["items"] for q in ("%", "_", "a%e")
        ]
        bad = await bob.get(API, params={"cursor": "not a cursor"})
        too_many = await bob.get(API, params={"limit": 101})
    assert [m["name"] for m in found["items"]] == ["Carol"]
    assert [m["name"] for m in by_email["items"]] == ["Dave"]
    assert foreign["items"] == []
    # Typed wildcards match themselves only.
    assert wildcards == [[], [], []]
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "cursor"
    assert too_many.status_code == 422
    assert too_many.json()["error"]["details"]["field"] == "limit"


async def test_listing_members_takes_the_same_queries_whatever_the_page_size(
    world: World, runtime: Runtime, count_queries: Callable[[], QueryCounter]
) -> None:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        for i in range(20):
            p = await f.persona(world.acme.workspace, f"temp{i}@acme.test", f"Temp {i:02}", "agent")
            await f.team(world.acme.workspace, f"Team {i:02}", [p])
        await s.commit()
    async with world.client("alice") as alice:
        with count_queries() as small:
            small_page = await alice.get(API, params={"limit": 2})
        with count_queries() as large:
            large_page = await alice.get(API, params={"limit": 20})
    assert len(small_page.json()["items"]) == 2
    assert len(large_page.json()["items"]) == 20
    assert all(m["teams"] for m in large_page.json()["items"] if m["name"].startswith("Temp"))
    assert small.count == large.count > 0


async def test_read_one_member(world: World) -> None:
    async with world.client("bob") as bob:
        carol = await bob.get(member_url(world, "carol"))
        oscar = await bob.get(member_url(world, "oscar"))
        unknown = await bob.get(f"{API}/{uuid.uuid4()}")
    assert carol.status_code == 200
    assert carol.json()["name"] == "Carol"
    assert carol.json()["teams"][0]["name"] == "Sales"
    assert oscar.status_code == unknown.status_code == 404
    assert oscar.json() == unknown.json()


async def test_owner_changes_a_role(world: World, runtime: Runtime, published: Published) -> None:
    bob = world.acme.members["bob"]
    async with world.client("alice") as alice:
        response = await alice.patch(member_url(world, "bob"), json={"role": "manager"})
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "manager"
    assert await db_role(runtime, world, "bob") == "manager"
    assert published.types() == ["member.changed"]
    assert published.events[0].payload == {"user_id": str(bob.id), "change": "role"}
    assert published.events[0].audience == (f"ws:{world.acme.id}",)
    assert await audit_actions(runtime, world) == ["member.role_changed"]
    async with world.client("bob") as client:
        assert (await client.get("/api/v1/workspaces/current")).json()["role"] == "manager"


async def test_managers_change_roles_but_not_to_or_from_owner(
    world: World, runtime: Runtime
) -> None:
    async with world.client("dave") as dave:
        to_viewer = await dave.patch(member_url(world, "bob"), json={"role": "viewer"})
        to_owner = await dave.patch(member_url(world, "carol"), json={"role": "owner"})
        demote_owner = await dave.patch(member_url(world, "alice"), json={"role": "agent"})
        self_promote = await dave.patch(member_url(world, "dave"), json={"role": "owner"})
    assert to_viewer.status_code == 200
    assert to_owner.status_code == demote_owner.status_code == self_promote.status_code == 403
    assert await db_role(runtime, world, "bob") == "viewer"
    assert await db_role(runtime, world, "carol") == "agent"
    assert await db_role(runtime, world, "alice") == "owner"
    assert await db_role(runtime, world, "dave") == "manager"


async def test_agents_and_viewers_cannot_change_members(world: World, runtime: Runtime) -> None:
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            role = await client.patch(member_url(world, "carol"), json={"role": "manager"})
            removed = await client.delete(member_url(world, "carol"))
            disabled = await client.post(f"{member_url(world, 'carol')}/disable")
        assert (role.status_code, removed.status_code, disabled.status_code) == (403, 403, 403)
    assert await db_role(runtime, world, "carol") == "agent"
    assert await audit_actions(runtime, world) == []


async def test_the_last_owner_stays_an_owner(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("alice") as alice:
        demoted = await alice.patch(member_url(world, "alice"), json={"role": "manager"})
        removed = await alice.delete(member_url(world, "alice"))
        assert demoted.status_code == removed.status_code == 409
        assert demoted.json()["error"]["code"] == "conflict"
        assert await db_role(runtime, world, "alice") == "owner"
        assert published.types() == []
        # With a second owner, the first may step down.
        promoted = await alice.patch(member_url(world, "dave"), json={"role": "owner"})
        assert promoted.status_code == 200
        stepped_down = await alice.patch(member_url(world, "alice"), json={"role": "manager"})
        assert stepped_down.status_code == 200
    assert await db_role(runtime, world, "alice") == "manager"
    async with world.client("dave") as dave:
        assert (await dave.delete(member_url(world, "dave"))).status_code == 409


async def test_bad_role_is_422(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice:
        response = await alice.patch(member_url(world, "bob"), json={"role": "admin"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "role"
    assert await db_role(runtime, world, "bob") == "agent"


async def test_remove_a_member(world: World, runtime: Runtime, published: Published) -> None:
    carol = world.acme.members["carol"]
    async with world.client("alice") as alice:
        response = await alice.delete(member_url(world, "carol"))
        listed = (await alice.get(API)).json()
        again = await alice.delete(member_url(world, "carol"))
    assert response.status_code == 204
    assert again.status_code == 404
    assert "Carol" not in [m["name"] for m in listed["items"]]
    assert await db_role(runtime, world, "carol") is None
    async with runtime.database.read_session() as db:
        teams = await db.scalars(select(TeamMember).where(TeamMember.user_id == carol.id))
        assert list(teams) == []
        # The account itself remains; only the membership went.
        assert await db.get(User, carol.id) is not None
    assert published.types() == ["member.changed"]
    assert published.events[0].payload == {"user_id": str(carol.id), "change": "removed"}
    assert await audit_actions(runtime, world) == ["member.removed"]
    async with world.client("carol") as client:
        assert (await client.get("/api/v1/workspaces/current")).status_code == 404


async def test_managers_remove_agents_but_not_owners(world: World, runtime: Runtime) -> None:
    async with world.client("dave") as dave:
        owner = await dave.delete(member_url(world, "alice"))
        agent = await dave.delete(member_url(world, "bob"))
    assert owner.status_code == 403
    assert agent.status_code == 204
    assert await db_role(runtime, world, "alice") == "owner"
    assert await db_role(runtime, world, "bob") is None


async def test_disabling_a_member_ends_their_sessions_at_once(
    world: World, runtime: Runtime, published: Published
) -> None:
    bob = world.acme.members["bob"]
    async with world.client("bob") as bob_client:
        assert (await bob_client.get("/api/v1/me")).status_code == 200
        async with world.client("alice") as alice:
            response = await alice.post(f"{member_url(world, 'bob')}/disable")
        assert response.status_code == 200, response.text
        assert response.json()["is_active"] is False
        refused = await bob_client.get("/api/v1/me")
    assert refused.status_code == 401
    assert published.types() == ["user.sessions_revoked", "member.changed"]
    assert published.events[0].payload["user_id"] == str(bob.id)
    assert published.events[0].audience == (f"user:{bob.id}",)
    assert published.events[1].payload == {"user_id": str(bob.id), "change": "disabled"}
    async with runtime.database.read_session() as db:
        assert (await db.get_one(User, bob.id)).is_active is False
        live = await db.scalars(
            select(AuthSession).where(
                AuthSession.user_id == bob.id, AuthSession.revoked_at.is_(None)
            )
        )
        assert list(live) == []
    assert await sign_in(world, "bob@acme.test") == 401
    assert await audit_actions(runtime, world) == ["member.disabled"]


async def test_enabling_a_member_lets_them_sign_in_again(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("alice") as alice:
        assert (await alice.post(f"{member_url(world, 'bob')}/disable")).status_code == 200
        enabled = await alice.post(f"{member_url(world, 'bob')}/enable")
    assert enabled.status_code == 200
    assert enabled.json()["is_active"] is True
    assert published.types()[-1] == "member.changed"
    assert published.events[-1].payload["change"] == "enabled"
    assert await sign_in(world, "bob@acme.test") == 200
    assert await audit_actions(runtime, world) == ["member.disabled", "member.enabled"]


async def test_only_owners_disable_and_never_themselves(world: World, runtime: Runtime) -> None:
    async with world.client("dave") as dave:
        by_manager = await dave.post(f"{member_url(world, 'bob')}/disable")
    async with world.client("alice") as alice:
        self_disable = await alice.post(f"{member_url(world, 'alice')}/disable")
        foreign = await alice.post(f"{member_url(world, 'olive')}/disable")
    assert by_manager.status_code == 403
    assert self_disable.status_code == 422
    assert self_disable.json()["error"]["details"]["field"] == "user_id"
    assert foreign.status_code == 404
    async with runtime.database.read_session() as db:
        for name in ("bob", "alice", "olive"):
            assert (await db.get_one(User, world.persona(name).id)).is_active is True
    async with world.client("olive") as olive:
        assert (await olive.get("/api/v1/me")).status_code == 200


async def test_other_workspace_members_are_not_found(world: World, runtime: Runtime) -> None:
    olive = world.other.members["olive"]
    async with world.client("alice") as alice:
        answers = [
            await alice.get(member_url(world, "olive")),
            await alice.patch(member_url(world, "olive"), json={"role": "viewer"}),
            await alice.delete(member_url(world, "olive")),
            await alice.post(f"{member_url(world, 'olive')}/enable"),
        ]
    assert [r.status_code for r in answers] == [404, 404, 404, 404]
    async with runtime.database.read_session() as db:
        role = await db.scalar(select(Membership.role).where(Membership.user_id == olive.id))
    assert role == "agent"


async def test_accounts_shared_with_another_organisation_cannot_be_disabled(
    world: World, runtime: Runtime
) -> None:
    """Disabling is account-wide: one tenant must not lock someone out of another's workspace."""
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        await f.member(world.acme.workspace, world.persona("oscar").user, "agent")
        org = await s.get_one(Organisation, world.acme.workspace.organisation_id)
        sister = await f.workspace(org, "Acme Asia", "acme-asia")
        await f.member(sister, world.persona("bob").user, "agent")
        await s.commit()
    async with world.client("alice") as alice:
        shared = await alice.post(f"{member_url(world, 'oscar')}/disable")
        same_org = await alice.post(f"{member_url(world, 'bob')}/disable")
    assert shared.status_code == 403
    assert shared.json()["error"]["code"] == "forbidden"
    assert same_org.status_code == 200
    async with world.client("oscar") as oscar:
        assert (await oscar.get("/api/v1/me")).status_code == 200
    async with runtime.database.read_session() as db:
        assert (await db.get_one(User, world.persona("oscar").id)).is_active is True
    assert await audit_actions(runtime, world) == ["member.disabled"]


async def db_languages(runtime: Runtime, world: World, name: str) -> list[str] | None:
    async with runtime.database.read_session() as db:
        return await db.scalar(
            select(Membership.languages).where(
                Membership.workspace_id == world.acme.id,
                Membership.user_id == world.persona(name).id,
            )
        )


async def test_managers_set_the_languages_a_member_speaks(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("dave") as dave:
        before = (await dave.get(member_url(world, "bob"))).json()
        response = await dave.patch(
            member_url(world, "bob"), json={"languages": ["vi", "PT_br", "en", "es", "vi"]}
        )
        again = await dave.patch(
            member_url(world, "bob"), json={"languages": ["vi", "pt-BR", "en", "es"]}
        )
    assert before["languages"] == []
    assert response.status_code == 200, response.text
    # One spelling per language, in the order given, each once; the role is left alone.
    assert response.json()["languages"] == ["vi", "pt-BR", "en", "es"]
    assert response.json()["role"] == "agent"
    assert again.json()["languages"] == ["vi", "pt-BR", "en", "es"]
    assert await db_languages(runtime, world, "bob") == ["vi", "pt-BR", "en", "es"]
    # The same list again changes nothing and says nothing.
    assert published.types() == ["member.changed"]
    assert published.events[0].payload == {
        "user_id": str(world.persona("bob").id),
        "change": "languages",
    }
    assert await audit_actions(runtime, world) == ["member.languages_changed"]
    async with world.client("bob") as bob:
        listed = (await bob.get(API)).json()["items"]
    assert next(m for m in listed if m["name"] == "Bob")["languages"] == ["vi", "pt-BR", "en", "es"]


async def test_member_languages_refused_for_agents_bad_codes_and_other_workspaces(
    world: World, runtime: Runtime
) -> None:
    async with world.client("bob") as bob:
        by_agent = await bob.patch(member_url(world, "carol"), json={"languages": ["vi"]})
    async with world.client("alice") as alice:
        bad_code = await alice.patch(member_url(world, "bob"), json={"languages": ["vi", "x1"]})
        not_a_list = await alice.patch(member_url(world, "bob"), json={"languages": "vi"})
        too_many = await alice.patch(member_url(world, "bob"), json={"languages": ["en"] * 21})
        empty = await alice.patch(member_url(world, "bob"), json={})
        foreign = await alice.patch(member_url(world, "oscar"), json={"languages": ["vi"]})
        cleared = await alice.patch(member_url(world, "bob"), json={"languages": []})
    assert by_agent.status_code == 403
    assert bad_code.status_code == 422
    assert bad_code.json()["error"]["details"]["field"] == "languages"
    assert not_a_list.status_code == too_many.status_code == empty.status_code == 422
    assert foreign.status_code == 404
    assert cleared.status_code == 200
    assert await db_languages(runtime, world, "bob") == []
    assert await db_languages(runtime, world, "carol") == []
