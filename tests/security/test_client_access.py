"""A client viewer sees its client's conversations and reports and nothing else.

Vera, a viewer of acme, is limited to the Support team (team A); the Sales team (team B) and
the team-less conversation are another client's. Every GET route of the API, called by Vera
with the ids of team A's objects and then with team B's, must answer without a trace of team
B (its id, name, conversations, contact and message texts), of the note written in team A, or
of any member's email; every route that writes (other than marking her own reading) is
refused and changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from frontdesk.core.reports.exports.models import ReportExport
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from tests.conftest import World
from tests.security.openapi_samples import request_body
from tests.security.test_tenant_isolation import (
    CAPABILITY_PARAMS,
    PARAM,
    WIDGET,
    _acme_objects,
    _routes,
    _send,
    _snapshot,
)

NOTE = "Internal: reference check failed, keep this from the client"
OUTCOME_NOTE = "Closed: not a fit, salary expectation too high"
B_REPLY = "Sales shortlist sent to the hiring manager"
# Writes that change only the client viewer's own state (what she has read).
OWN_STATE = {
    ("POST", "/api/v1/conversations/{conversation_id}/read"),
    ("POST", "/api/v1/notifications/read-all"),
    ("POST", "/api/v1/notifications/{notification_id}/read"),
    ("POST", "/api/v1/reports/exports"),  # her own export, narrowed: see below
}


async def _scope_vera(world: World, body: dict[str, Any]) -> httpx.Response:
    vera = world.persona("vera")
    async with world.client("alice") as alice:
        return await alice.patch(f"/api/v1/members/{vera.id}", json=body)


async def _client_world(world: World) -> None:
    acme = world.acme
    support = acme.teams["support"]
    response = await _scope_vera(world, {"client_scope": {"team_ids": [str(support.id)]}})
    assert response.status_code == 200, response.text
    assert response.json()["client_scope"]["teams"] == [{"id": str(support.id), "name": "Support"}]
    async with world.client("bob") as bob:
        note = await bob.post(
            f"/api/v1/conversations/{acme.conversations['erin_support'].id}/notes",
            json={"body": NOTE},
        )
        assert note.status_code == 201, note.text
        closed = await bob.post(
            f"/api/v1/conversations/{acme.conversations['erin_support'].id}/close",
            json={"note": OUTCOME_NOTE},
        )
        assert closed.status_code == 200, closed.text
    async with world.client("carol") as carol:
        reply = await carol.post(
            f"/api/v1/conversations/{acme.conversations['erin_sales'].id}/messages",
            json={"body": B_REPLY, "client_message_id": "b-1"},
        )
        assert reply.status_code == 201, reply.text


def _forbidden(world: World) -> list[str]:
    """What no answer to the client viewer may hold."""
    acme = world.acme
    b_ids = [
        acme.teams["sales"].id,
        acme.conversations["erin_sales"].id,
        acme.conversations["frank_unassigned"].id,
        acme.contacts["frank"].id,
        acme.channels["email"].id,
    ]
    emails = [f"{name}@acme.test" for name in ("alice", "bob", "carol", "dave")]
    texts = ["Sales", "Do you have openings in sales?", "My invoice is wrong", "Frank", B_REPLY]
    return [*map(str, b_ids), *emails, *texts, NOTE, OUTCOME_NOTE]


async def test_a_client_viewer_reads_only_its_client(world: World, runtime: Runtime) -> None:
    ids = await _acme_objects(runtime, world)
    await _client_world(world)
    acme = world.acme
    b_ids = {
        **ids,
        "conversation_id": str(acme.conversations["erin_sales"].id),
        "contact_id": str(acme.contacts["frank"].id),
        "team_id": str(acme.teams["sales"].id),
        "channel_id": str(acme.channels["email"].id),
        "user_id": str(acme.members["carol"].id),
        "member_id": str(acme.members["carol"].id),
    }
    forbidden = _forbidden(world)
    leaks: list[str] = []
    swept = 0
    async with world.client("vera") as vera:
        # What she does see: team A's conversation, without its note, and team A's figures.
        listed = (await vera.get("/api/v1/conversations")).json()["items"]
        assert [c["id"] for c in listed] == [str(acme.conversations["erin_support"].id)]
        messages = await vera.get(
            f"/api/v1/conversations/{acme.conversations['erin_support'].id}/messages"
        )
        assert messages.status_code == 200
        assert [m["kind"] for m in messages.json()["items"]] == ["text"]
        for report in ("overview", "agents", "teams", "channels"):
            figures = await vera.get(f"/api/v1/reports/{report}")
            assert figures.status_code == 200, f"{report}: {figures.text}"
        assert (await vera.get("/api/v1/members")).status_code == 403
        assert (await vera.get("/api/v1/audit-log")).status_code == 403
        teams = (await vera.get("/api/v1/teams")).json()
        assert [t["name"] for t in teams] == ["Support"]

        for method, path in _routes(world):
            params = PARAM.findall(path)
            if method != "GET" or path.startswith(WIDGET) or CAPABILITY_PARAMS & set(params):
                continue
            for label, route_ids in (("A", ids), ("B", b_ids)):
                if label == "B" and not params:
                    continue
                # Ids the shared sweep does not make yet: any id (nothing of B to reach).
                filled = {p: str(uuid.uuid4()) for p in params if p not in route_ids}
                response = await _send(vera, method, path, None, {**route_ids, **filled})
                swept += 1
                if response.status_code >= 500:
                    leaks.append(f"{label} {path} -> {response.status_code}")
                text = response.text
                found = [f for f in forbidden if f in text]
                if found:
                    leaks.append(f"{label} {path} -> {response.status_code} holds {found}")
    assert not leaks, "\n".join(leaks)
    assert swept > 40


async def test_a_client_viewer_writes_nothing(world: World, runtime: Runtime) -> None:
    ids = await _acme_objects(runtime, world)
    await _client_world(world)
    async with world.client("alice") as alice:
        spec = (await alice.get("/api/v1/openapi.json")).json()
    before = await _snapshot(runtime)
    async with runtime.database.read_session() as s:
        last_event = await s.scalar(
            select(EventLogEntry.id).order_by(EventLogEntry.id.desc()).limit(1)
        )
    allowed: list[str] = []
    async with world.client("vera") as vera:
        for method, path in _routes(world):
            params = PARAM.findall(path)
            skip = path.startswith((WIDGET, "/api/v1/me", "/api/v1/auth"))
            if method == "GET" or skip or (method, path) in OWN_STATE:
                continue
            if CAPABILITY_PARAMS & set(params):
                continue
            route_ids = {**{p: str(uuid.uuid4()) for p in params}, **ids}
            operation = spec["paths"].get(path, {}).get(method.lower())
            body = request_body(spec, operation, route_ids) if operation else None
            response = await _send(vera, method, path, body, route_ids)
            if response.status_code != 403:
                allowed.append(f"{method} {path} -> {response.status_code} {response.text[:120]}")
    assert not allowed, "\n".join(allowed)
    assert await _snapshot(runtime) == before
    async with runtime.database.read_session() as s:
        new_events = await s.scalar(
            select(EventLogEntry.id).where(EventLogEntry.id > (last_event or 0)).limit(1)
        )
    assert new_events is None


async def test_the_scope_is_set_by_admins_checked_audited_and_lifted(world: World) -> None:
    acme = world.acme
    vera, bob = world.persona("vera"), world.persona("bob")
    whatsapp = str(acme.channels["whatsapp"].id)
    unknown = await _scope_vera(world, {"client_scope": {"team_ids": [str(uuid.uuid4())]}})
    assert unknown.status_code == 422, unknown.text
    other_team = str(world.other.teams["desk"].id)
    foreign = await _scope_vera(world, {"client_scope": {"team_ids": [other_team]}})
    assert foreign.status_code == 422, foreign.text
    empty = await _scope_vera(world, {"client_scope": {}})
    assert empty.status_code == 422
    async with world.client("alice") as alice:
        agent = await alice.patch(
            f"/api/v1/members/{bob.id}", json={"client_scope": {"channel_ids": [whatsapp]}}
        )
        assert agent.status_code == 422, agent.text
    async with world.client("bob") as as_bob:
        refused = await as_bob.patch(
            f"/api/v1/members/{vera.id}", json={"client_scope": {"channel_ids": [whatsapp]}}
        )
        assert refused.status_code == 403
    scoped = await _scope_vera(world, {"client_scope": {"channel_ids": [whatsapp]}})
    assert scoped.status_code == 200, scoped.text
    async with world.client("vera") as as_vera:
        me = (await as_vera.get("/api/v1/me")).json()
        assert me["workspace"]["client_access"] is True
        seen = (await as_vera.get("/api/v1/conversations")).json()["items"]
        assert {c["channel"]["id"] for c in seen} == {whatsapp}
    async with world.client("alice") as alice:
        log = (await alice.get("/api/v1/audit-log")).json()["items"]
        assert any(e["action"] == "member.client_scope_changed" for e in log)
        # Promoted to agent, she is no longer limited to a client (and never will be again).
        promoted = await alice.patch(f"/api/v1/members/{vera.id}", json={"role": "agent"})
        assert promoted.json()["client_scope"] is None
        demoted = await alice.patch(f"/api/v1/members/{vera.id}", json={"role": "viewer"})
        assert demoted.json()["client_scope"] is None
        invited = await alice.post(
            "/api/v1/invitations",
            json={
                "email": "client@example.com",
                "role": "viewer",
                "client_scope": {"team_ids": [str(acme.teams["support"].id)]},
            },
        )
        assert invited.status_code == 201, invited.text
        assert invited.json()["client_access"] is True
        wrong_role = await alice.post(
            "/api/v1/invitations",
            json={
                "email": "agent@example.com",
                "role": "agent",
                "client_scope": {"team_ids": [str(acme.teams["support"].id)]},
            },
        )
        assert wrong_role.status_code == 422


async def test_a_client_viewer_s_export_holds_only_its_client(
    world: World, runtime: Runtime
) -> None:
    await _client_world(world)
    support, sales = world.acme.teams["support"], world.acme.teams["sales"]
    async with world.client("vera") as vera:
        mine = await vera.post("/api/v1/reports/exports", json={"kind": "conversations"})
        assert mine.status_code == 201, mine.text
        outside = await vera.post(
            "/api/v1/reports/exports",
            json={"kind": "conversations", "team_ids": [str(sales.id)]},
        )
        assert outside.status_code == 403, outside.text
    async with runtime.database.read_session() as s:
        stored = await s.scalar(select(ReportExport.filters))
    assert stored is not None
    assert stored["team_ids"] == [str(support.id)]
