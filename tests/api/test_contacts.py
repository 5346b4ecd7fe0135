"""Contacts, tags and custom fields through the API."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ContactTag, Tag
from tests.conftest import Published, QueryCounter, World
from tests.factories import Factory

API = "/api/v1/contacts"


async def rows(runtime: Runtime, model: type, *where: Any) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


async def setup_fields(world: World) -> None:
    async with world.client("alice") as alice:
        for body in (
            {"key": "city", "label": "City", "field_type": "text"},
            {"key": "salary", "label": "Expected salary", "field_type": "number"},
            {"key": "start", "label": "Available from", "field_type": "date"},
            {
                "key": "position",
                "label": "Position",
                "field_type": "select",
                "options": ["Cashier", "Driver"],
            },
        ):
            r = await alice.post("/api/v1/custom-fields", json=body)
            assert r.status_code == 201, r.text


async def tag(world: World, name: str, **kw: Any) -> str:
    async with world.client("alice") as alice:
        r = await alice.post("/api/v1/tags", json={"name": name, **kw})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def test_create_a_contact_with_tags_and_fields(
    world: World, runtime: Runtime, published: Published
) -> None:
    await setup_fields(world)
    vip = await tag(world, "vip", color="#b91c1c")
    published.events.clear()
    async with world.client("bob") as bob:
        r = await bob.post(
            API,
            json={
                "name": "Hana Tran",
                "email": "Hana@Example.com",
                "phone": "+84 (90) 123-4567",
                "language": "vi",
                "lifecycle_stage": "hot_lead",
                "owner_id": str(world.persona("bob").id),
                "tag_ids": [vip],
                "fields": {
                    "city": "Hanoi",
                    "salary": 1200,
                    "start": "2026-02-01",
                    "position": "Driver",
                },
            },
        )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["email"] == "hana@example.com"
    assert body["phone"] == "+84901234567"
    assert body["owner"]["name"] == "Bob"
    assert [t["name"] for t in body["tags"]] == ["vip"]
    assert body["fields"] == {
        "city": "Hanoi",
        "salary": 1200,
        "start": "2026-02-01",
        "position": "Driver",
    }
    assert published.types() == ["contact.created"]
    assert published.events[0].payload["contact"]["id"] == body["id"]


async def test_bad_contacts_are_refused_naming_the_field_and_writing_nothing(
    world: World, runtime: Runtime
) -> None:
    await setup_fields(world)
    theirs = Tag(workspace_id=world.other.id, name="x", created_at=runtime.clock.now())
    async with runtime.database.write_session() as s:
        s.add(theirs)
        await s.commit()
    before = await rows(runtime, Contact)
    cases = {
        "email": {"name": "A", "email": "not-an-email"},
        "phone": {"name": "A", "phone": "call me"},
        "owner_id": {"name": "A", "owner_id": str(world.persona("oscar").id)},
        "tag_ids": {"name": "A", "tag_ids": [str(theirs.id)]},
        "fields.position": {"name": "A", "fields": {"position": "Astronaut"}},
        "fields.salary": {"name": "A", "fields": {"salary": "a lot"}},
        "fields.start": {"name": "A", "fields": {"start": "next week"}},
        "fields.shoe_size": {"name": "A", "fields": {"shoe_size": 42}},
        "name": {"name": ""},
        "lifecycle_stage": {"name": "A", "lifecycle_stage": "maybe"},
    }
    async with world.client("alice") as alice:
        for field, body in cases.items():
            r = await alice.post(API, json=body)
            assert r.status_code == 422, (field, r.text)
            assert r.json()["error"]["details"]["field"] == field, r.text
    assert await rows(runtime, Contact) == before


async def test_search_by_name_email_and_any_phone_format(world: World) -> None:
    async with world.client("bob") as bob:
        await bob.post(API, json={"name": "Lucas Ferreira", "phone": "+55 11 98765-4321"})
        await bob.post(API, json={"name": "Maria", "email": "maria.lima@example.com"})
        found = {
            q: [c["name"] for c in (await bob.get(API, params={"q": q})).json()["items"]]
            for q in ("lucas", "FERREIRA", "98765 4321", "5511987", "lima@", "%", "nobody")
        }
    assert found["lucas"] == ["Lucas Ferreira"]
    assert found["FERREIRA"] == ["Lucas Ferreira"]
    assert found["98765 4321"] == ["Lucas Ferreira"]
    assert found["5511987"] == ["Lucas Ferreira"]
    assert found["lima@"] == ["Maria"]
    assert found["%"] == []
    assert found["nobody"] == []


async def test_pages_without_gaps_and_constant_queries(
    world: World, runtime: Runtime, count_queries: Any
) -> None:
    await setup_fields(world)
    vip = await tag(world, "vip")
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        for i in range(24):
            await f.contact(
                world.acme.workspace,
                f"Person {i % 6}",
                phone=f"+5511900{i:04d}",
                channel=world.acme.channels["whatsapp"],
                provider_id=f"5511900{i:04d}",
            )
        await s.commit()
    async with world.client("alice") as alice:
        ids = [c["id"] for c in (await alice.get(API, params={"limit": 100})).json()["items"]]
        for cid in ids[:12]:
            await alice.put(f"{API}/{cid}/tags", json={"tag_ids": [vip]})
            await alice.put(f"{API}/{cid}/fields", json={"city": "Recife"})
        seen: list[str] = []
        cursor = None
        for sort in ("name", "recent"):
            seen = []
            cursor = None
            while True:
                params: dict[str, Any] = {"limit": 5, "sort": sort}
                if cursor:
                    params["cursor"] = cursor
                page = (await alice.get(API, params=params)).json()
                seen += [c["id"] for c in page["items"]]
                cursor = page["next_cursor"]
                if not cursor:
                    break
            assert sorted(seen) == sorted(ids), sort
            assert len(seen) == len(set(seen)), sort
        counter: QueryCounter
        with count_queries() as counter:
            await alice.get(API, params={"limit": 2})
        small = counter.count
        with count_queries() as counter:
            await alice.get(API, params={"limit": 20})
        assert counter.count == small


async def test_update_with_version_check(world: World, published: Published) -> None:
    erin = world.acme.contacts["erin"]
    async with world.client("bob") as bob:
        ok = await bob.patch(f"{API}/{erin.id}", json={"notes": "Prefers mornings", "version": 1})
        stale = await bob.patch(f"{API}/{erin.id}", json={"notes": "overwrite", "version": 1})
        current = (await bob.get(f"{API}/{erin.id}")).json()
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    assert stale.status_code == 409
    assert current["notes"] == "Prefers mornings"
    assert published.types() == ["contact.updated"]


async def test_viewers_read_agents_write_admins_delete(world: World, runtime: Runtime) -> None:
    frank = world.acme.contacts["frank"]
    async with (
        world.client("vera") as vera,
        world.client("bob") as bob,
        world.client("dave") as dave,
    ):
        assert (await vera.get(f"{API}/{frank.id}")).status_code == 200
        assert (await vera.patch(f"{API}/{frank.id}", json={"name": "X"})).status_code == 403
        assert (await bob.delete(f"{API}/{frank.id}")).status_code == 403
        assert (await bob.post("/api/v1/tags", json={"name": "t"})).status_code == 403
        assert (await dave.delete(f"{API}/{frank.id}")).status_code == 204
        assert (await dave.get(f"{API}/{frank.id}")).status_code == 404
    assert await rows(runtime, Conversation, Conversation.contact_id == frank.id) == 0


async def test_merge_moves_identities_conversations_tags_and_fills_gaps(
    world: World, runtime: Runtime, published: Published
) -> None:
    erin, frank = world.acme.contacts["erin"], world.acme.contacts["frank"]
    vip = await tag(world, "vip")
    async with world.client("bob") as bob:
        await bob.put(f"{API}/{frank.id}/tags", json={"tag_ids": [vip]})
        published.events.clear()
        merged = await bob.post(f"{API}/{erin.id}/merge", json={"other_contact_id": str(frank.id)})
        gone = await bob.get(f"{API}/{frank.id}")
        listed = [c["id"] for c in (await bob.get(API)).json()["items"]]
        self_merge = await bob.post(
            f"{API}/{erin.id}/merge", json={"other_contact_id": str(erin.id)}
        )
        foreign = await bob.post(
            f"{API}/{erin.id}/merge",
            json={"other_contact_id": str(world.other.contacts["olga"].id)},
        )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["email"] == "frank@example.com"  # erin had none
    assert body["phone"] == "+60123456789"  # erin's own kept
    assert {i["channel_type"] for i in body["identities"]} == {"whatsapp", "email"}
    assert [t["name"] for t in body["tags"]] == ["vip"]
    assert gone.status_code == 404
    assert str(frank.id) not in listed
    assert await rows(runtime, Conversation, Conversation.contact_id == erin.id) == 3
    assert await rows(runtime, ContactIdentity, ContactIdentity.contact_id == frank.id) == 0
    assert await rows(runtime, ContactTag, ContactTag.contact_id == frank.id) == 0
    assert published.types() == ["contact.merged"]
    assert self_merge.status_code == 422
    assert self_merge.json()["error"]["details"]["field"] == "other_contact_id"
    assert foreign.status_code == 404


async def test_tags_and_custom_fields_are_managed_by_admins(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("dave") as dave:
        created = await dave.post(
            "/api/v1/tags", json={"name": "Hired", "is_outcome": True, "color": "green"}
        )
        dup = await dave.post("/api/v1/tags", json={"name": "hired"})
        renamed = await dave.patch(f"/api/v1/tags/{created.json()['id']}", json={"name": "Hired!"})
        outcomes = (await dave.get("/api/v1/tags", params={"outcomes_only": True})).json()
        field = await dave.post(
            "/api/v1/custom-fields", json={"key": "shift", "label": "Shift", "field_type": "select"}
        )
        bad_key = await dave.post(
            "/api/v1/custom-fields", json={"key": "Shift Pref", "label": "S", "field_type": "text"}
        )
        ok_field = await dave.post(
            "/api/v1/custom-fields",
            json={
                "key": "shift",
                "label": "Shift",
                "field_type": "select",
                "options": ["day", "night"],
            },
        )
        again = await dave.post(
            "/api/v1/custom-fields", json={"key": "shift", "label": "S", "field_type": "text"}
        )
        deleted = await dave.delete(f"/api/v1/tags/{created.json()['id']}")
    assert created.status_code == 201
    assert dup.status_code == 409
    assert dup.json()["error"]["details"]["field"] == "name"
    assert renamed.json()["name"] == "Hired!"
    assert [t["name"] for t in outcomes] == ["Hired!"]
    assert field.status_code == 422
    assert field.json()["error"]["details"]["field"] == "options"
    assert bad_key.status_code == 422
    assert bad_key.json()["error"]["details"]["field"] == "key"
    assert ok_field.status_code == 201
    assert again.status_code == 409
    assert deleted.status_code == 204
    assert [e.payload["change"] for e in published.events if e.type == "tag.changed"] == [
        "created",
        "updated",
        "deleted",
    ]


async def test_other_workspace_ids_are_not_found(world: World) -> None:
    olga = world.other.contacts["olga"]
    async with world.client("alice") as alice:
        assert (await alice.get(f"{API}/{olga.id}")).status_code == 404
        assert (await alice.patch(f"{API}/{olga.id}", json={"name": "x"})).status_code == 404
        assert (await alice.put(f"{API}/{olga.id}/tags", json={"tag_ids": []})).status_code == 404
        assert (await alice.get(f"{API}/{uuid.uuid4()}")).status_code == 404
