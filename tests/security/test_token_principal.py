"""An API token is its own principal: no user, no teams, nobody's assignee.

So an agent token sees exactly what an agent in no team sees, and a token lives only while the
member who made it may still administer the workspace.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.core.accounts.models import ApiToken
from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from tests.conftest import World
from tests.security.openapi_samples import request_body
from tests.security.test_tenant_isolation import _send, _snapshot

TOKENS = "/api/v1/api-tokens"
CONVERSATION_ROUTES = re.compile(r"^/api/v1/conversations/\{conversation_id\}")


async def make_token(world: World, role: str, by: str = "alice") -> dict[str, Any]:
    async with world.client(by) as client:
        response = await client.post(TOKENS, json={"name": f"{role} bot", "role": role})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_an_agent_token_cannot_reach_another_team_s_unassigned_conversation(
    world: World,
) -> None:
    """The defect: `assignee == caller` held for a token (both empty) on any unassigned one."""
    token = (await make_token(world, "agent"))["token"]
    sales = world.acme.conversations["erin_sales"]  # team Sales, nobody assigned
    teamless = world.acme.conversations["frank_unassigned"]
    async with world.bearer(token) as bot, world.client("bob") as bob:
        for caller in (bot, bob):  # bob is an agent in Support, not in Sales
            read = await caller.get(f"/api/v1/conversations/{sales.id}")
            reply = await caller.post(
                f"/api/v1/conversations/{sales.id}/messages",
                json={"body": "hello", "client_message_id": "leak-1"},
            )
            close = await caller.post(f"/api/v1/conversations/{sales.id}/close", json={})
            assert (read.status_code, reply.status_code, close.status_code) == (404, 404, 404)
            assert (await caller.get(f"/api/v1/conversations/{teamless.id}")).status_code == 200
        listed = (await bot.get("/api/v1/conversations", params={"view": "all"})).json()
        mine = (await bot.get("/api/v1/conversations", params={"view": "mine"})).json()
    assert [c["id"] for c in listed["items"]] == [str(teamless.id)]
    # A token is nobody's assignee: "mine" is empty, not "the unassigned ones".
    assert mine["items"] == []


async def test_every_conversation_route_refuses_an_agent_token_outside_its_sight(
    world: World, runtime: Runtime
) -> None:
    """Swept over the app's routes: each conversation route answers an agent token (and an
    agent member outside the team) 404 for a conversation of another team, and writes nothing."""
    token = (await make_token(world, "agent"))["token"]
    sales = world.acme.conversations["erin_sales"]
    async with runtime.database.read_session() as s:
        message_id = await s.scalar(select(Message.id).where(Message.conversation_id == sales.id))
    ids = {
        "conversation_id": str(sales.id),
        "message_id": str(message_id),
        "user_id": str(world.acme.members["bob"].id),
        "assignee_id": str(world.acme.members["bob"].id),
        "team_id": str(world.acme.teams["support"].id),
    }
    async with world.client("alice") as alice:
        spec = (await alice.get("/api/v1/openapi.json")).json()
    before = await _snapshot(runtime)
    swept, failures = 0, []
    for path, operations in spec["paths"].items():
        if not CONVERSATION_ROUTES.match(path):
            continue
        for method, operation in operations.items():
            body = request_body(spec, operation, ids)
            for label, client in (("token", world.bearer(token)), ("bob", world.client("bob"))):
                async with client:
                    response = await _send(client, method.upper(), path, body, ids)
                swept += 1
                if response.status_code != 404:
                    failures.append(f"{label} {method} {path} -> {response.status_code}")
    assert not failures, "\n".join(failures)
    assert swept >= 20
    assert await _snapshot(runtime) == before


async def test_a_token_stops_when_its_maker_is_disabled_and_resumes_when_enabled(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    dave = world.acme.members["dave"]
    token = (await make_token(world, "agent", by="dave"))["token"]
    async with world.bearer(token) as bot, world.client("alice") as alice:
        assert (await bot.get("/api/v1/workspaces/current")).status_code == 200
        assert (await alice.post(f"/api/v1/members/{dave.id}/disable")).status_code == 200
        refused = await bot.get("/api/v1/workspaces/current")
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthenticated"
        assert (await alice.post(f"/api/v1/members/{dave.id}/enable")).status_code == 200
        assert (await bot.get("/api/v1/workspaces/current")).status_code == 200


async def test_a_token_ends_for_good_when_its_maker_leaves_the_workspace(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    dave = world.acme.members["dave"]
    token = (await make_token(world, "viewer", by="dave"))["token"]
    async with world.bearer(token) as bot, world.client("alice") as alice:
        assert (await alice.delete(f"/api/v1/members/{dave.id}")).status_code == 204
        assert (await bot.get("/api/v1/conversations")).status_code == 401
        # Invited back later: the old token does not come back with them.
        clock.advance(minutes=5)
        invited = await alice.post(
            "/api/v1/invitations", json={"email": "dave@acme.test", "role": "manager"}
        )
        assert invited.status_code == 201, invited.text
    mailer = world.app.state.runtime.mailer  # type: ignore[attr-defined]
    link = re.search(r"/invite/([A-Za-z0-9_\-]+)", mailer.sent[-1].get_content())
    assert link is not None
    async with world.client("dave") as again:
        accepted = await again.post(
            f"/api/v1/auth/invitations/{link.group(1)}/accept",
            json={"password": "correct horse battery staple"},
        )
        assert accepted.status_code == 200, accepted.text
    async with world.bearer(token) as bot:
        assert (await bot.get("/api/v1/conversations")).status_code == 401


async def test_a_token_stops_while_its_maker_is_no_longer_a_manager(world: World) -> None:
    dave = world.acme.members["dave"]
    token = (await make_token(world, "manager", by="dave"))["token"]
    async with world.bearer(token) as bot, world.client("alice") as alice:
        demoted = await alice.patch(f"/api/v1/members/{dave.id}", json={"role": "agent"})
        assert demoted.status_code == 200, demoted.text
        # Dave may no longer administer the workspace: neither may what he left behind.
        assert (await bot.get("/api/v1/members")).status_code == 401
        promoted = await alice.patch(f"/api/v1/members/{dave.id}", json={"role": "manager"})
        assert promoted.status_code == 200, promoted.text
        assert (await bot.get("/api/v1/members")).status_code == 200


async def test_a_token_made_by_a_token_stands_on_the_same_member(
    world: World, runtime: Runtime
) -> None:
    dave = world.acme.members["dave"]
    parent = (await make_token(world, "manager", by="dave"))["token"]
    async with world.bearer(parent) as bot:
        child = await bot.post(TOKENS, json={"name": "child", "role": "viewer"})
    assert child.status_code == 201, child.text
    async with runtime.database.read_session() as db:
        made_by = await db.scalar(
            select(ApiToken.created_by_id).where(ApiToken.id == uuid.UUID(child.json()["id"]))
        )
    assert made_by == dave.id
    async with world.bearer(child.json()["token"]) as grandchild:
        assert (await grandchild.get("/api/v1/conversations")).status_code == 200
    async with world.client("alice") as alice:
        assert (await alice.post(f"/api/v1/members/{dave.id}/disable")).status_code == 200
    async with world.bearer(child.json()["token"]) as grandchild:
        assert (await grandchild.get("/api/v1/conversations")).status_code == 401
