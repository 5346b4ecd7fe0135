"""The canned responses API: managing shared replies, searching them and rendering variables."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from tests.conftest import Published, QueryCounter, World
from tests.factories import Factory

API = "/api/v1/canned-responses"


async def add_canned(
    runtime: Runtime, workspace_id: uuid.UUID, shortcut: str, body: str, title: str = ""
) -> CannedResponse:
    now = runtime.clock.now()
    async with runtime.database.write_session() as s:
        canned = CannedResponse(
            workspace_id=workspace_id,
            shortcut=shortcut,
            title=title or shortcut.title(),
            body=body,
            created_at=now,
            updated_at=now,
        )
        s.add(canned)
        await s.commit()
        return canned


async def db_canned(runtime: Runtime, canned_id: str | uuid.UUID) -> CannedResponse | None:
    async with runtime.database.read_session() as db:
        return await db.get(CannedResponse, uuid.UUID(str(canned_id)))


async def canned_count(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(CannedResponse)) or 0)


async def audit_actions(runtime: Runtime, workspace_id: uuid.UUID) -> list[str]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(AuditLogEntry.action)
            .where(AuditLogEntry.workspace_id == workspace_id)
            .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
        )
        return list(rows)


async def test_every_member_lists_canned_responses_by_shortcut(
    world: World, runtime: Runtime
) -> None:
    await add_canned(runtime, world.acme.id, "thanks", "Thank you, {{contact.first_name}}!")
    await add_canned(runtime, world.acme.id, "hello", "Hi {{ contact.name }}")
    await add_canned(runtime, world.other.id, "other-only", "Not for acme")
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            r = await client.get(API)
        assert r.status_code == 200, name
        assert [c["shortcut"] for c in r.json()] == ["hello", "thanks"]
    assert r.json()[0]["variables"] == ["contact.name"]


async def test_search_matches_shortcut_title_and_body(world: World, runtime: Runtime) -> None:
    await add_canned(runtime, world.acme.id, "pricing", "Our plans start at 10%", "Price list")
    await add_canned(runtime, world.acme.id, "refund_policy", "Refunds take 5 days", "Refunds")
    await add_canned(runtime, world.acme.id, "hours", "We open at 9", "Opening HOURS")
    async with world.client("bob") as bob:

        async def search(q: str) -> list[str]:
            return [c["shortcut"] for c in (await bob.get(API, params={"q": q})).json()]

        assert await search("refund") == ["refund_policy"]
        assert await search("hours") == ["hours"]
        assert await search("PRICE") == ["pricing"]
        assert await search("open") == ["hours"]
        # % and _ are searched for literally, not as wildcards.
        assert await search("10%") == ["pricing"]
        assert await search("_") == ["refund_policy"]
        assert await search("nothing like this") == []


async def test_list_runs_the_same_queries_whatever_the_number(
    world: World, runtime: Runtime, count_queries: Any
) -> None:
    counter: QueryCounter
    await add_canned(runtime, world.acme.id, "a0", "x")
    await add_canned(runtime, world.acme.id, "a1", "x")
    async with world.client("alice") as alice:
        with count_queries() as counter:
            few = await alice.get(API)
        few_count = counter.count
        for i in range(2, 20):
            await add_canned(runtime, world.acme.id, f"a{i}", "x")
        with count_queries() as counter:
            many = await alice.get(API)
        many_count = counter.count
    assert (len(few.json()), len(many.json())) == (2, 20)
    assert few_count == many_count


async def test_admin_creates_a_canned_response(
    world: World, runtime: Runtime, published: Published
) -> None:
    body = {"shortcut": "welcome", "title": " Welcome ", "body": "Hi {{contact.name}}!"}
    async with world.client("dave") as dave:
        r = await dave.post(API, json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["title"] == "Welcome"
    assert created["variables"] == ["contact.name"]
    assert created["created_by_id"] == str(world.persona("dave").id)
    canned = await db_canned(runtime, created["id"])
    assert canned is not None
    assert (canned.workspace_id, canned.shortcut) == (world.acme.id, "welcome")
    assert published.types() == ["canned_response.changed"]
    assert published.events[0].payload["change"] == "created"
    assert published.events[0].audience == (f"ws:{world.acme.id}",)
    assert await audit_actions(runtime, world.acme.id) == ["canned_response.created"]


async def test_agents_and_viewers_cannot_manage_canned_responses(
    world: World, runtime: Runtime, published: Published
) -> None:
    canned = await add_canned(runtime, world.acme.id, "hello", "Hi")
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            create = await client.post(API, json={"shortcut": "x", "title": "X", "body": "x"})
            update = await client.patch(f"{API}/{canned.id}", json={"body": "Changed"})
            delete = await client.delete(f"{API}/{canned.id}")
        assert [create.status_code, update.status_code, delete.status_code] == [403] * 3, name
    stored = await db_canned(runtime, canned.id)
    assert stored is not None
    assert stored.body == "Hi"
    assert await canned_count(runtime) == 1
    assert published.events == []


async def test_create_validates_the_body(
    world: World, runtime: Runtime, published: Published
) -> None:
    cases = [
        ({"shortcut": "Hello", "title": "T", "body": "b"}, "shortcut"),
        ({"shortcut": "-hello", "title": "T", "body": "b"}, "shortcut"),
        ({"shortcut": "a" * 41, "title": "T", "body": "b"}, "shortcut"),
        ({"shortcut": "has space", "title": "T", "body": "b"}, "shortcut"),
        ({"shortcut": "ok", "title": "", "body": "b"}, "title"),
        ({"shortcut": "ok", "title": "T", "body": "  "}, "body"),
        ({"shortcut": "ok", "title": "T", "body": "b", "personal": True}, "personal"),
    ]
    async with world.client("alice") as alice:
        for body, field in cases:
            r = await alice.post(API, json=body)
            assert r.status_code == 422, body
            assert r.json()["error"]["details"]["field"] == field, body
    assert await canned_count(runtime) == 0
    assert published.events == []


async def test_shortcut_is_unique_per_workspace(
    world: World, runtime: Runtime, published: Published
) -> None:
    await add_canned(runtime, world.acme.id, "hello", "Hi")
    await add_canned(runtime, world.other.id, "bye", "Bye")
    async with world.client("alice") as alice:
        taken = await alice.post(API, json={"shortcut": "hello", "title": "T", "body": "b"})
        free = await alice.post(API, json={"shortcut": "bye", "title": "Bye", "body": "b"})
    assert taken.status_code == 409
    assert taken.json()["error"]["details"]["field"] == "shortcut"
    assert free.status_code == 201
    assert await canned_count(runtime) == 3
    assert published.types() == ["canned_response.changed"]


async def test_admin_updates_a_canned_response(
    world: World, runtime: Runtime, published: Published
) -> None:
    canned = await add_canned(runtime, world.acme.id, "hello", "Hi")
    await add_canned(runtime, world.acme.id, "bye", "Bye")
    async with world.client("alice") as alice:
        r = await alice.patch(
            f"{API}/{canned.id}", json={"shortcut": "hi", "body": "Hi {{agent.name}}"}
        )
        clash = await alice.patch(f"{API}/{canned.id}", json={"shortcut": "bye"})
        bad = await alice.patch(f"{API}/{canned.id}", json={"shortcut": "BYE"})
    assert r.status_code == 200
    assert r.json()["variables"] == ["agent.name"]
    assert clash.status_code == 409
    assert clash.json()["error"]["details"]["field"] == "shortcut"
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "shortcut"
    stored = await db_canned(runtime, canned.id)
    assert stored is not None
    assert (stored.shortcut, stored.body) == ("hi", "Hi {{agent.name}}")
    assert published.types() == ["canned_response.changed"]
    assert published.events[0].payload["change"] == "updated"
    assert await audit_actions(runtime, world.acme.id) == ["canned_response.updated"]


async def test_admin_deletes_a_canned_response(
    world: World, runtime: Runtime, published: Published
) -> None:
    canned = await add_canned(runtime, world.acme.id, "hello", "Hi")
    async with world.client("dave") as dave:
        r = await dave.delete(f"{API}/{canned.id}")
        again = await dave.delete(f"{API}/{canned.id}")
    assert r.status_code == 204
    assert again.status_code == 404
    assert await db_canned(runtime, canned.id) is None
    assert published.types() == ["canned_response.changed"]
    assert published.events[0].payload["change"] == "deleted"
    assert published.events[0].payload["id"] == str(canned.id)
    assert await audit_actions(runtime, world.acme.id) == ["canned_response.deleted"]


async def _maria_conversation(runtime: Runtime, world: World) -> Conversation:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        contact = await f.contact(
            world.acme.workspace,
            "Maria da Silva",
            phone="+5511900000001",
            email="maria@example.com",
        )
        conversation = await f.conversation(
            world.acme.workspace, world.acme.channels["whatsapp"], contact
        )
        await s.commit()
        return conversation


async def test_render_fills_in_every_variable(world: World, runtime: Runtime) -> None:
    conversation = await _maria_conversation(runtime, world)
    body = (
        "Hi {{contact.first_name}} ({{ contact.name }}, {{contact.email}}, {{contact.phone}}), "
        "{{agent.first_name}} / {{agent.name}} from {{workspace.name}} "
        "[{{conversation.id}}] {{contact.shoe_size}} {{ order.number }} {{contact.shoe_size}}"
    )
    canned = await add_canned(runtime, world.acme.id, "full", body)
    async with world.client("bob") as bob:
        r = await bob.post(
            f"{API}/{canned.id}/render", json={"conversation_id": str(conversation.id)}
        )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "body": (
            "Hi Maria (Maria da Silva, maria@example.com, +5511900000001), "
            f"Bob / Bob from Acme Clients [{conversation.id}] "
            "{{contact.shoe_size}} {{ order.number }} {{contact.shoe_size}}"
        ),
        "unknown_variables": ["contact.shoe_size", "order.number"],
    }


async def test_render_leaves_missing_values_empty(world: World, runtime: Runtime) -> None:
    canned = await add_canned(runtime, world.acme.id, "reach", "Phone: [{{contact.phone}}]")
    frank = world.acme.conversations["frank_unassigned"]
    async with world.client("alice") as alice:
        r = await alice.post(f"{API}/{canned.id}/render", json={"conversation_id": str(frank.id)})
    assert r.json() == {"body": "Phone: []", "unknown_variables": []}


async def test_render_only_for_conversations_the_caller_can_see(
    world: World, runtime: Runtime
) -> None:
    canned = await add_canned(runtime, world.acme.id, "hello", "Hi {{contact.name}}")
    url = f"{API}/{canned.id}/render"
    erin_sales = {"conversation_id": str(world.acme.conversations["erin_sales"].id)}
    async with world.client("bob") as bob, world.client("carol") as carol:
        hidden = await bob.post(url, json=erin_sales)
        foreign = await bob.post(
            url, json={"conversation_id": str(world.other.conversations["olga"].id)}
        )
        missing = await bob.post(url, json={"conversation_id": str(uuid.uuid4())})
        own_team = await carol.post(url, json=erin_sales)
        no_id = await carol.post(url, json={})
    async with world.client("vera") as vera:
        supervisor = await vera.post(url, json=erin_sales)
    for r in (hidden, foreign, missing):
        assert r.status_code == 404
        assert r.json()["error"]["message"] == "conversation not found"
    assert own_team.json()["body"] == "Hi Erin"
    assert supervisor.json()["body"] == "Hi Erin"
    assert no_id.status_code == 422
    assert no_id.json()["error"]["details"]["field"] == "conversation_id"


async def test_other_workspace_cannot_reach_acme_canned_responses(
    world: World, runtime: Runtime, published: Published
) -> None:
    canned = await add_canned(runtime, world.acme.id, "hello", "Hi {{contact.name}}")
    olga = world.other.conversations["olga"]
    async with world.client("oscar") as oscar:
        read = await oscar.get(f"{API}/{canned.id}")
        update = await oscar.patch(f"{API}/{canned.id}", json={"body": "Hijacked"})
        delete = await oscar.delete(f"{API}/{canned.id}")
        render = await oscar.post(
            f"{API}/{canned.id}/render", json={"conversation_id": str(olga.id)}
        )
        listed = await oscar.get(API)
    assert [r.status_code for r in (read, update, delete, render)] == [404] * 4
    assert listed.json() == []
    stored = await db_canned(runtime, canned.id)
    assert stored is not None
    assert stored.body == "Hi {{contact.name}}"
    assert published.events == []
