"""Workspace API tokens: shown once, stored hashed, acting with their role until revoked."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.core.accounts.models import ApiToken
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_token
from tests.conftest import World
from tests.factories import Factory

API = "/api/v1/api-tokens"


async def create_token(world: World, name: str, role: str, by: str = "alice") -> dict[str, Any]:
    async with world.client(by) as client:
        response = await client.post(API, json={"name": name, "role": role})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def stored_token(runtime: Runtime, token_id: str) -> ApiToken:
    async with runtime.database.read_session() as db:
        return await db.get_one(ApiToken, uuid.UUID(token_id))


async def test_create_shows_the_token_once_and_keeps_only_its_hash(
    world: World, runtime: Runtime
) -> None:
    created = await create_token(world, "Zapier", "agent", by="dave")
    raw = created["token"]
    assert raw.startswith("fd_")
    assert created["prefix"] == raw[:10]
    assert (created["name"], created["role"]) == ("Zapier", "agent")
    async with world.client("alice") as alice:
        listed = (await alice.get(API)).json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0]
    assert raw not in str(listed)
    stored = await stored_token(runtime, created["id"])
    assert stored.token_hash == hash_token(raw)
    assert raw not in (stored.token_hash, stored.prefix, stored.name)
    assert stored.workspace_id == world.acme.id
    assert stored.created_by_id == world.acme.members["dave"].id
    async with runtime.database.read_session() as db:
        audit = (await db.execute(select(AuditLogEntry.action, AuditLogEntry.details))).all()
    assert [(a, d) for a, d in audit] == [
        ("api_token.created", {"name": "Zapier", "role": "agent"})
    ]


async def test_a_token_acts_with_its_role(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    agent = await create_token(world, "Agent bot", "agent")
    viewer = await create_token(world, "Read-only bot", "viewer")
    manager = await create_token(world, "Admin bot", "manager")
    bob = world.acme.members["bob"].id
    clock.advance(minutes=10)
    async with world.bearer(agent["token"]) as client:
        current = await client.get("/api/v1/workspaces/current")
        agent_write = await client.patch(f"/api/v1/members/{bob}", json={"role": "viewer"})
        members = await client.get("/api/v1/members")
    assert current.status_code == 200
    assert (current.json()["id"], current.json()["role"]) == (str(world.acme.id), "agent")
    assert agent_write.status_code == 403
    assert members.status_code == 200
    async with world.bearer(viewer["token"]) as client:
        assert (await client.get("/api/v1/workspaces/current")).json()["role"] == "viewer"
        viewer_invite = await client.post(
            "/api/v1/invitations", json={"email": "zoe@example.com", "role": "agent"}
        )
    assert viewer_invite.status_code == 403
    async with world.bearer(manager["token"]) as client:
        # No CSRF header: bearer requests carry no ambient credentials.
        manager_write = await client.patch(f"/api/v1/members/{bob}", json={"role": "viewer"})
    assert manager_write.status_code == 200
    assert (await stored_token(runtime, agent["id"])).last_used_at == clock.now()


async def test_tokens_only_reach_their_own_workspace(world: World) -> None:
    created = await create_token(world, "Zapier", "manager")
    async with world.bearer(created["token"]) as client:
        foreign_header = await client.get(
            "/api/v1/workspaces/current", headers={"X-Workspace-Id": str(world.other.id)}
        )
        olive = await client.get(f"/api/v1/members/{world.other.members['olive'].id}")
        me = await client.get("/api/v1/me")
    # The token's workspace is fixed: a header asking for another is not obeyed.
    assert foreign_header.status_code == 200
    assert foreign_header.json()["id"] == str(world.acme.id)
    assert olive.status_code == 404
    # Personal endpoints need a person, not a token.
    assert me.status_code == 401


async def test_revoked_tokens_stop_working(world: World, runtime: Runtime) -> None:
    created = await create_token(world, "Zapier", "agent")
    async with world.bearer(created["token"]) as client:
        assert (await client.get("/api/v1/workspaces/current")).status_code == 200
        async with world.client("dave") as dave:
            revoked = await dave.delete(f"{API}/{created['id']}")
            listed = (await dave.get(API)).json()
        refused = await client.get("/api/v1/workspaces/current")
    assert revoked.status_code == 204
    assert listed == []
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
    assert (await stored_token(runtime, created["id"])).revoked_at is not None
    async with world.bearer("fd_made-up") as client:
        assert (await client.get("/api/v1/workspaces/current")).status_code == 401


async def test_agents_and_viewers_cannot_manage_tokens(world: World, runtime: Runtime) -> None:
    created = await create_token(world, "Zapier", "agent")
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            create = await client.post(API, json={"name": "Mine", "role": "agent"})
            listing = await client.get(API)
            revoke = await client.delete(f"{API}/{created['id']}")
        assert (create.status_code, listing.status_code, revoke.status_code) == (403, 403, 403)
    async with runtime.database.read_session() as db:
        tokens = (await db.scalars(select(ApiToken))).all()
    assert [(t.name, t.revoked_at) for t in tokens] == [("Zapier", None)]


async def test_bad_token_requests_are_422(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice:
        owner = await alice.post(API, json={"name": "Root", "role": "owner"})
        nameless = await alice.post(API, json={"name": "  ", "role": "agent"})
    assert owner.status_code == nameless.status_code == 422
    assert owner.json()["error"]["details"]["field"] == "role"
    assert nameless.json()["error"]["details"]["field"] == "name"
    async with runtime.database.read_session() as db:
        assert (await db.scalars(select(ApiToken))).all() == []


async def test_other_workspace_tokens_are_not_found(world: World, runtime: Runtime) -> None:
    async with runtime.database.write_session() as s:
        raw = await Factory(s, runtime.clock.now()).api_token(world.other.workspace, "manager")
        await s.commit()
    async with runtime.database.read_session() as db:
        other_id = await db.scalar(
            select(ApiToken.id).where(ApiToken.token_hash == hash_token(raw))
        )
    async with world.client("alice") as alice:
        revoke = await alice.delete(f"{API}/{other_id}")
        listed = (await alice.get(API)).json()
    assert revoke.status_code == 404
    assert listed == []
    async with world.bearer(raw) as client:
        assert (await client.get("/api/v1/workspaces/current")).json()["id"] == str(world.other.id)
