"""Workspaces: the caller's list, the current one, its settings, and opening new ones."""

from __future__ import annotations

from sqlalchemy import func, select, update

from frontdesk.core.accounts.models import User
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Membership, Workspace
from tests.conftest import Published, World
from tests.factories import Factory

API = "/api/v1/workspaces"


async def db_workspace(runtime: Runtime, world: World) -> Workspace:
    async with runtime.database.read_session() as db:
        return await db.get_one(Workspace, world.acme.id)


async def make_org_admin(runtime: Runtime, world: World, name: str) -> None:
    async with runtime.database.write_session() as s:
        await s.execute(
            update(User)
            .where(User.id == world.persona(name).id)
            .values(is_org_admin=True, organisation_id=world.acme.workspace.organisation_id)
        )
        await s.commit()


async def audit_actions(runtime: Runtime, world: World) -> list[str]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(AuditLogEntry.action).where(AuditLogEntry.workspace_id == world.acme.id)
        )
        return list(rows)


async def test_list_shows_only_the_callers_workspaces(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice, world.client("oscar") as oscar:
        mine = (await alice.get(API)).json()
        theirs = (await oscar.get(API)).json()
    assert mine == [
        {
            "id": str(world.acme.id),
            "name": "Acme Clients",
            "slug": "acme",
            "role": "owner",
            "client_access": False,
            "requires_two_factor": False,
        }
    ]
    assert [w["slug"] for w in theirs] == ["other"]


async def test_current_workspace_carries_the_callers_role(world: World, runtime: Runtime) -> None:
    for name, role in (
        ("alice", "owner"),
        ("dave", "manager"),
        ("bob", "agent"),
        ("vera", "viewer"),
    ):
        async with world.client(name) as client:
            response = await client.get(f"{API}/current")
        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["slug"], body["role"]) == (str(world.acme.id), "acme", role)
        assert body["timezone"] == "UTC"
        assert body["organisation_id"] == str(world.acme.workspace.organisation_id)
    async with runtime.database.write_session() as s:
        raw = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "viewer")
        await s.commit()
    async with world.bearer(raw) as token_client:
        by_token = await token_client.get(f"{API}/current")
    assert by_token.status_code == 200
    assert by_token.json()["role"] == "viewer"


async def test_owner_updates_name_and_timezone(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice:
        response = await alice.patch(
            f"{API}/current", json={"name": "Acme Talent", "timezone": "Asia/Kuala_Lumpur"}
        )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Acme Talent"
    assert response.json()["timezone"] == "Asia/Kuala_Lumpur"
    stored = await db_workspace(runtime, world)
    assert (stored.name, stored.timezone, stored.slug) == (
        "Acme Talent",
        "Asia/Kuala_Lumpur",
        "acme",
    )
    assert await audit_actions(runtime, world) == ["workspace.updated"]


async def test_only_owners_update_the_workspace(world: World, runtime: Runtime) -> None:
    for name in ("dave", "bob", "vera"):
        async with world.client(name) as client:
            response = await client.patch(f"{API}/current", json={"name": "Hijacked"})
        assert response.status_code == 403, name
        assert response.json()["error"]["code"] == "forbidden"
    assert (await db_workspace(runtime, world)).name == "Acme Clients"
    assert await audit_actions(runtime, world) == []


async def test_a_bad_timezone_is_422_and_writes_nothing(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice:
        unknown = await alice.patch(
            f"{API}/current", json={"name": "Renamed", "timezone": "Mars/Olympus_Mons"}
        )
        malformed = await alice.patch(f"{API}/current", json={"timezone": "../../etc/passwd"})
        extra = await alice.patch(f"{API}/current", json={"slug": "new-slug"})
    for response, field in ((unknown, "timezone"), (malformed, "timezone"), (extra, "slug")):
        assert response.status_code == 422
        assert response.json()["error"]["details"]["field"] == field
    stored = await db_workspace(runtime, world)
    assert (stored.name, stored.timezone, stored.slug) == ("Acme Clients", "UTC", "acme")
    assert await audit_actions(runtime, world) == []


async def test_the_other_owner_changes_only_their_own_workspace(
    world: World, runtime: Runtime
) -> None:
    async with world.client("oscar") as oscar:
        response = await oscar.patch(f"{API}/current", json={"name": "Oscar's place"})
        foreign = await oscar.patch(
            f"{API}/current", headers={"X-Workspace-Id": str(world.acme.id)}, json={"name": "Taken"}
        )
    assert response.status_code == 200
    assert response.json()["id"] == str(world.other.id)
    assert foreign.status_code == 404
    assert (await db_workspace(runtime, world)).name == "Acme Clients"


async def test_only_organisation_admins_create_workspaces(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice:
        refused = await alice.post(API, json={"name": "Acme Asia", "slug": "acme-asia"})
    assert refused.status_code == 403
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(Workspace)) == 2


async def test_an_organisation_admin_creates_and_owns_a_workspace(
    world: World, runtime: Runtime
) -> None:
    await make_org_admin(runtime, world, "alice")
    alice = world.acme.members["alice"]
    async with world.client("alice") as client:
        response = await client.post(
            API, json={"name": "Acme Asia", "slug": "acme-asia", "timezone": "Asia/Singapore"}
        )
        assert response.status_code == 201, response.text
        created = response.json()
        listed = (await client.get(API)).json()
    assert created["slug"] == "acme-asia"
    assert created["role"] == "owner"
    assert {w["slug"]: w["role"] for w in listed} == {"acme": "owner", "acme-asia": "owner"}
    async with runtime.database.read_session() as db:
        ws = await db.scalar(select(Workspace).where(Workspace.slug == "acme-asia"))
        assert ws is not None
        assert str(ws.id) == created["id"]
        assert ws.organisation_id == world.acme.workspace.organisation_id
        assert ws.timezone == "Asia/Singapore"
        roles = (
            await db.execute(
                select(Membership.user_id, Membership.role).where(Membership.workspace_id == ws.id)
            )
        ).all()
    assert [(u, r) for u, r in roles] == [(alice.id, "owner")]
    assert await audit_actions(runtime, world) == ["workspace.created"]


async def test_creating_a_workspace_checks_slug_and_timezone(
    world: World, runtime: Runtime
) -> None:
    await make_org_admin(runtime, world, "alice")
    async with world.client("alice") as alice:
        taken = await alice.post(API, json={"name": "Again", "slug": "other"})
        bad_tz = await alice.post(
            API, json={"name": "Zoned", "slug": "zoned", "timezone": "Nowhere"}
        )
        bad_slug = await alice.post(API, json={"name": "Spaces", "slug": "Has Spaces"})
    assert taken.status_code == 409
    assert taken.json()["error"]["details"]["field"] == "slug"
    assert bad_tz.status_code == 422
    assert bad_tz.json()["error"]["details"]["field"] == "timezone"
    assert bad_slug.status_code == 422
    assert bad_slug.json()["error"]["details"]["field"] == "slug"
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(Workspace)) == 2


async def test_api_tokens_cannot_create_workspaces(world: World, runtime: Runtime) -> None:
    async with runtime.database.write_session() as s:
        raw = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    async with world.bearer(raw) as client:
        response = await client.post(API, json={"name": "Bot space", "slug": "bot-space"})
    assert response.status_code == 403


async def test_owner_sets_default_language_and_reopen_window(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("alice") as alice:
        before = (await alice.get(f"{API}/current")).json()
        response = await alice.patch(
            f"{API}/current", json={"default_language": "vi", "reopen_within_hours": 0}
        )
        name_only = await alice.patch(f"{API}/current", json={"name": "Acme Talent"})
    assert (before["default_language"], before["reopen_within_hours"]) == ("en", 24)
    assert response.status_code == 200, response.text
    assert (response.json()["default_language"], response.json()["reopen_within_hours"]) == (
        "vi",
        0,
    )
    # Changing something else keeps them.
    assert name_only.json()["default_language"] == "vi"
    assert name_only.json()["reopen_within_hours"] == 0
    stored = await db_workspace(runtime, world)
    assert stored.settings["default_language"] == "vi"
    assert stored.settings["reopen_within_hours"] == 0
    assert published.types() == ["workspace.updated", "workspace.updated"]
    assert published.events[0].payload == {
        "change": {"default_language": "vi", "reopen_within_hours": 0}
    }
    assert published.events[0].audience == (f"ws:{world.acme.id}",)


async def test_language_and_reopen_settings_refuse_bad_values_and_non_owners(
    world: World, runtime: Runtime
) -> None:
    async with world.client("alice") as alice:
        bad = [
            await alice.patch(f"{API}/current", json=body)
            for body in (
                {"default_language": "fr"},
                {"reopen_within_hours": -1},
                {"reopen_within_hours": 24 * 30 + 1},
                {"reopen_within_hours": "soon"},
            )
        ]
    async with world.client("dave") as dave:
        by_manager = await dave.patch(f"{API}/current", json={"reopen_within_hours": 2})
    assert [r.status_code for r in bad] == [422, 422, 422, 422]
    assert by_manager.status_code == 403
    stored = await db_workspace(runtime, world)
    assert "default_language" not in stored.settings
    assert "reopen_within_hours" not in stored.settings
