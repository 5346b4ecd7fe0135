"""Tags through the API: owners and managers manage them, everyone reads them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from tests.conftest import Published, QueryCounter, World

API = "/api/v1/tags"


async def rows(runtime: Runtime, model: type, *where: Any) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def audited(runtime: Runtime, action: str, target_id: str) -> int:
    return await rows(
        runtime,
        AuditLogEntry,
        AuditLogEntry.action == action,
        AuditLogEntry.target_id == target_id,
    )


async def load(runtime: Runtime, tag_id: str) -> Tag | None:
    async with runtime.database.read_session() as db:
        return await db.get(Tag, uuid.UUID(tag_id))


async def create(world: World, name: str, **kw: Any) -> str:
    async with world.client("alice") as alice:
        r = await alice.post(API, json={"name": name, **kw})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def test_admins_create_tags(world: World, runtime: Runtime, published: Published) -> None:
    async with world.client("dave") as dave:
        r = await dave.post(API, json={"name": "Hired", "color": "#15803d", "is_outcome": True})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["name"], body["color"], body["is_outcome"]) == ("Hired", "#15803d", True)
    stored = await load(runtime, body["id"])
    assert stored is not None
    assert (stored.workspace_id, stored.name, stored.color) == (world.acme.id, "Hired", "#15803d")
    assert published.types() == ["tag.changed"]
    assert published.events[0].payload == {**body, "change": "created"}
    assert published.events[0].audience == (f"ws:{world.acme.id}",)
    assert await audited(runtime, "tag.created", body["id"]) == 1


async def test_everyone_reads_tags_sorted_and_outcomes_apart(world: World) -> None:
    await create(world, "vip")
    await create(world, "Hired", is_outcome=True)
    await create(world, "applied")
    async with world.client("vera") as vera:
        every = await vera.get(API)
        outcomes = await vera.get(API, params={"outcomes_only": True})
    async with world.client("oscar") as oscar:
        theirs = await oscar.get(API)
    assert [t["name"] for t in every.json()] == ["applied", "Hired", "vip"]
    assert [t["name"] for t in outcomes.json()] == ["Hired"]
    assert theirs.json() == []


async def test_listing_tags_takes_the_same_queries_for_few_or_many(
    world: World, count_queries: Any
) -> None:
    await create(world, "one")
    async with world.client("bob") as bob:
        counter: QueryCounter
        with count_queries() as counter:
            await bob.get(API)
        few = counter.count
        for i in range(8):
            await create(world, f"tag {i}")
        with count_queries() as counter:
            listed = await bob.get(API)
    assert len(listed.json()) == 9
    assert counter.count == few


async def test_only_admins_write_tags(world: World, runtime: Runtime, published: Published) -> None:
    vip = await create(world, "vip")
    published.events.clear()
    refused = []
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            refused += [
                await client.post(API, json={"name": "new"}),
                await client.patch(f"{API}/{vip}", json={"name": "renamed"}),
                await client.delete(f"{API}/{vip}"),
            ]
    assert [r.status_code for r in refused] == [403] * 6
    stored = await load(runtime, vip)
    assert stored is not None
    assert stored.name == "vip"
    assert await rows(runtime, Tag) == 1
    assert published.types() == []


async def test_bad_tags_name_the_field_and_write_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    await create(world, "VIP")
    published.events.clear()
    async with world.client("alice") as alice:
        duplicate = await alice.post(API, json={"name": "vip"})
        cases = {
            "name": {"name": ""},
            "color": {"name": "x", "color": "not a colour!"},
            "is_outcome": {"name": "x", "is_outcome": "perhaps"},
            "scope": {"name": "x", "scope": "contact"},
        }
        invalid = {field: await alice.post(API, json=body) for field, body in cases.items()}
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["details"]["field"] == "name"
    for field, r in invalid.items():
        assert r.status_code == 422, (field, r.text)
        assert r.json()["error"]["details"]["field"] == field
    assert await rows(runtime, Tag) == 1
    assert published.types() == []


async def test_rename_and_recolour(world: World, runtime: Runtime, published: Published) -> None:
    vip, lead = await create(world, "vip"), await create(world, "lead")
    published.events.clear()
    async with world.client("alice") as alice:
        renamed = await alice.patch(f"{API}/{vip}", json={"name": "VIP", "color": "red"})
        taken = await alice.patch(f"{API}/{lead}", json={"name": "vip"})
        unchanged = await alice.patch(f"{API}/{lead}", json={})
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["color"]) == ("VIP", "red")
    assert taken.status_code == 409
    assert taken.json()["error"]["details"]["field"] == "name"
    assert unchanged.json()["name"] == "lead"
    stored = await load(runtime, vip)
    assert stored is not None
    assert (stored.name, stored.color) == ("VIP", "red")
    stored_lead = await load(runtime, lead)
    assert stored_lead is not None
    assert stored_lead.name == "lead"
    assert published.types() == ["tag.changed"]
    assert published.events[0].payload == {**renamed.json(), "change": "updated"}
    assert await audited(runtime, "tag.updated", vip) == 1


async def test_delete_removes_the_tag_from_contacts_and_conversations(
    world: World, runtime: Runtime, published: Published
) -> None:
    vip, keep = await create(world, "vip"), await create(world, "keep")
    erin = world.acme.contacts["erin"]
    conversation = world.acme.conversations["erin_support"]
    async with runtime.database.write_session() as s:
        s.add(
            ConversationTag(
                workspace_id=world.acme.id,
                conversation_id=conversation.id,
                tag_id=uuid.UUID(vip),
                created_at=runtime.clock.now(),
            )
        )
        await s.commit()
    async with world.client("alice") as alice:
        await alice.put(f"/api/v1/contacts/{erin.id}/tags", json={"tag_ids": [vip, keep]})
        published.events.clear()
        deleted = await alice.delete(f"{API}/{vip}")
        contact = (await alice.get(f"/api/v1/contacts/{erin.id}")).json()
        again = await alice.delete(f"{API}/{vip}")
    assert deleted.status_code == 204
    assert again.status_code == 404
    assert [t["name"] for t in contact["tags"]] == ["keep"]
    assert await load(runtime, vip) is None
    assert await rows(runtime, ContactTag, ContactTag.tag_id == uuid.UUID(vip)) == 0
    assert await rows(runtime, ConversationTag, ConversationTag.tag_id == uuid.UUID(vip)) == 0
    assert await rows(runtime, ContactTag, ContactTag.tag_id == uuid.UUID(keep)) == 1
    assert published.types() == ["tag.changed"]
    assert published.events[0].payload["id"] == vip
    assert published.events[0].payload["change"] == "deleted"
    assert await audited(runtime, "tag.deleted", vip) == 1


async def test_other_workspace_tags_are_not_found(
    world: World, runtime: Runtime, published: Published
) -> None:
    vip = await create(world, "vip")
    published.events.clear()
    async with world.client("oscar") as oscar:
        patched = await oscar.patch(f"{API}/{vip}", json={"name": "mine"})
        deleted = await oscar.delete(f"{API}/{vip}")
        same_name = await oscar.post(API, json={"name": "vip"})  # names are per workspace
        tag_olga = await oscar.put(
            f"/api/v1/contacts/{world.other.contacts['olga'].id}/tags", json={"tag_ids": [vip]}
        )
    assert patched.status_code == 404
    assert deleted.status_code == 404
    assert same_name.status_code == 201
    assert tag_olga.status_code == 422
    assert tag_olga.json()["error"]["details"]["field"] == "tag_ids"
    stored = await load(runtime, vip)
    assert stored is not None
    assert stored.name == "vip"
    assert await rows(runtime, ContactTag) == 0
    assert [e.workspace_id for e in published.events] == [world.other.id]


async def test_archived_tags_are_no_longer_offered_and_stay_where_applied(
    world: World, runtime: Runtime, published: Published
) -> None:
    vip, hired = await create(world, "vip"), await create(world, "Hired", is_outcome=True)
    erin = world.acme.contacts["erin"]
    async with world.client("alice") as alice:
        await alice.put(f"/api/v1/contacts/{erin.id}/tags", json={"tag_ids": [vip]})
        published.events.clear()
        archived = await alice.patch(f"{API}/{vip}", json={"is_archived": True})
        await alice.patch(f"{API}/{hired}", json={"is_archived": True})
        again = await alice.patch(f"{API}/{vip}", json={"is_archived": True})
        listed = await alice.get(API)
        outcomes = await alice.get(API, params={"outcomes_only": True})
        everything = await alice.get(API, params={"include_archived": True})
        contact = (await alice.get(f"/api/v1/contacts/{erin.id}")).json()
    assert archived.status_code == 200, archived.text
    assert archived.json()["archived_at"] is not None
    assert again.json()["archived_at"] == archived.json()["archived_at"]
    assert listed.json() == []
    assert outcomes.json() == []
    assert [t["name"] for t in everything.json()] == ["Hired", "vip"]
    assert [t["name"] for t in contact["tags"]] == ["vip"]
    async with world.client("bob") as bob:
        refused = await bob.patch(f"{API}/{vip}", json={"is_archived": False})
    async with world.client("alice") as alice:
        restored = await alice.patch(f"{API}/{vip}", json={"is_archived": False})
    assert refused.status_code == 403
    assert restored.json()["archived_at"] is None
    assert published.types() == ["tag.changed"] * 3
    assert [e.payload["change"] for e in published.events] == ["updated"] * 3
    assert await audited(runtime, "tag.updated", vip) == 2
