"""Custom contact field definitions through the API: owners and managers manage them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.contacts.models import ContactFieldValue, CustomFieldDefinition
from frontdesk.core.runtime import Runtime
from tests.conftest import Published, World

API = "/api/v1/custom-fields"


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


async def load(runtime: Runtime, field_id: str) -> CustomFieldDefinition | None:
    async with runtime.database.read_session() as db:
        return await db.get(CustomFieldDefinition, uuid.UUID(field_id))


async def create(world: World, key: str, field_type: str = "text", **kw: Any) -> str:
    async with world.client("alice") as alice:
        r = await alice.post(
            API, json={"key": key, "label": key.title(), "field_type": field_type, **kw}
        )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def test_admins_define_fields(world: World, runtime: Runtime, published: Published) -> None:
    async with world.client("dave") as dave:
        r = await dave.post(
            API,
            json={
                "key": "shift",
                "label": " Preferred shift ",
                "field_type": "select",
                "options": ["day", " night ", "day", ""],
            },
        )
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["key"], body["label"], body["options"]) == (
        "shift",
        "Preferred shift",
        ["day", "night"],
    )
    stored = await load(runtime, body["id"])
    assert stored is not None
    assert (stored.workspace_id, stored.field_type, stored.options) == (
        world.acme.id,
        "select",
        ["day", "night"],
    )
    assert published.types() == ["custom_field.changed"]
    assert published.events[0].payload == {**body, "change": "created"}
    assert published.events[0].audience == (f"ws:{world.acme.id}",)
    assert await audited(runtime, "custom_field.created", body["id"]) == 1


async def test_everyone_reads_the_definitions(world: World) -> None:
    await create(world, "city")
    await create(world, "age", "number")
    async with world.client("vera") as vera:
        listed = await vera.get(API)
    async with world.client("oscar") as oscar:
        theirs = await oscar.get(API)
    assert listed.status_code == 200
    assert [(f["key"], f["field_type"]) for f in listed.json()] == [
        ("age", "number"),
        ("city", "text"),
    ]
    assert theirs.json() == []


async def test_bad_definitions_name_the_field_and_write_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    await create(world, "city")
    published.events.clear()
    cases = {
        "key": {"key": "Shift Pref", "label": "S", "field_type": "text"},
        "label": {"key": "shift", "label": "", "field_type": "text"},
        "field_type": {"key": "shift", "label": "S", "field_type": "colour"},
        "options": {"key": "shift", "label": "S", "field_type": "select"},
    }
    async with world.client("alice") as alice:
        invalid = {field: await alice.post(API, json=body) for field, body in cases.items()}
        blank_options = await alice.post(
            API, json={"key": "shift", "label": "S", "field_type": "select", "options": [" "]}
        )
        digit_first = await alice.post(API, json={"key": "1st", "label": "S", "field_type": "text"})
        duplicate = await alice.post(API, json={"key": "city", "label": "C", "field_type": "text"})
    for field, r in invalid.items():
        assert r.status_code == 422, (field, r.text)
        assert r.json()["error"]["details"]["field"] == field
    assert blank_options.status_code == 422
    assert blank_options.json()["error"]["details"]["field"] == "options"
    assert digit_first.status_code == 422
    assert digit_first.json()["error"]["details"]["field"] == "key"
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["details"]["field"] == "key"
    assert await rows(runtime, CustomFieldDefinition) == 1
    assert published.types() == []


async def test_only_admins_change_definitions(
    world: World, runtime: Runtime, published: Published
) -> None:
    city = await create(world, "city")
    published.events.clear()
    refused = []
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            refused += [
                await client.post(API, json={"key": "x", "label": "X", "field_type": "text"}),
                await client.patch(f"{API}/{city}", json={"label": "Town"}),
                await client.delete(f"{API}/{city}"),
            ]
    assert [r.status_code for r in refused] == [403] * 6
    stored = await load(runtime, city)
    assert stored is not None
    assert stored.label == "City"
    assert await rows(runtime, CustomFieldDefinition) == 1
    assert published.types() == []


async def test_relabel_and_change_options(
    world: World, runtime: Runtime, published: Published
) -> None:
    shift = await create(world, "shift", "select", options=["day", "night"])
    city = await create(world, "city")
    published.events.clear()
    async with world.client("alice") as alice:
        relabelled = await alice.patch(
            f"{API}/{shift}", json={"label": "Shift", "options": ["day", "evening"]}
        )
        emptied = await alice.patch(f"{API}/{shift}", json={"options": []})
        key_change = await alice.patch(f"{API}/{shift}", json={"key": "other"})
        text_options = await alice.patch(f"{API}/{city}", json={"options": ["a"]})
    assert relabelled.status_code == 200, relabelled.text
    assert (relabelled.json()["label"], relabelled.json()["options"]) == (
        "Shift",
        ["day", "evening"],
    )
    assert emptied.status_code == 422
    assert emptied.json()["error"]["details"]["field"] == "options"
    assert key_change.status_code == 422
    assert key_change.json()["error"]["details"]["field"] == "key"
    assert text_options.json()["options"] == []  # only select fields have options
    stored = await load(runtime, shift)
    assert stored is not None
    assert (stored.label, stored.options) == ("Shift", ["day", "evening"])
    assert published.types() == ["custom_field.changed", "custom_field.changed"]
    assert published.events[0].payload == {**relabelled.json(), "change": "updated"}
    assert await audited(runtime, "custom_field.updated", shift) == 1


async def test_delete_removes_every_value(
    world: World, runtime: Runtime, published: Published
) -> None:
    city, salary = await create(world, "city"), await create(world, "salary", "number")
    erin = world.acme.contacts["erin"]
    async with world.client("alice") as alice:
        await alice.put(f"/api/v1/contacts/{erin.id}/fields", json={"city": "Ipoh", "salary": 7})
        published.events.clear()
        deleted = await alice.delete(f"{API}/{city}")
        contact = (await alice.get(f"/api/v1/contacts/{erin.id}")).json()
        again = await alice.delete(f"{API}/{city}")
        now_unknown = await alice.put(f"/api/v1/contacts/{erin.id}/fields", json={"city": "x"})
    assert deleted.status_code == 204
    assert again.status_code == 404
    assert contact["fields"] == {"salary": 7}
    assert now_unknown.status_code == 422
    assert now_unknown.json()["error"]["details"]["field"] == "fields.city"
    assert await load(runtime, city) is None
    assert (
        await rows(runtime, ContactFieldValue, ContactFieldValue.field_id == uuid.UUID(city)) == 0
    )
    assert (
        await rows(runtime, ContactFieldValue, ContactFieldValue.field_id == uuid.UUID(salary)) == 1
    )
    assert published.types() == ["custom_field.changed"]
    assert published.events[0].payload["id"] == city
    assert published.events[0].payload["change"] == "deleted"
    assert await audited(runtime, "custom_field.deleted", city) == 1


async def test_other_workspace_definitions_are_not_found(
    world: World, runtime: Runtime, published: Published
) -> None:
    city = await create(world, "city")
    published.events.clear()
    async with world.client("oscar") as oscar:
        patched = await oscar.patch(f"{API}/{city}", json={"label": "Mine"})
        deleted = await oscar.delete(f"{API}/{city}")
        same_key = await oscar.post(
            API, json={"key": "city", "label": "City", "field_type": "text"}
        )
        set_on_olga = await oscar.put(
            f"/api/v1/contacts/{world.other.contacts['olga'].id}/fields", json={"city": "Hue"}
        )
    assert patched.status_code == 404
    assert deleted.status_code == 404
    assert same_key.status_code == 201  # keys are per workspace
    assert set_on_olga.status_code == 200
    assert set_on_olga.json()["fields"] == {"city": "Hue"}
    stored = await load(runtime, city)
    assert stored is not None
    assert stored.label == "City"
    assert (
        await rows(runtime, ContactFieldValue, ContactFieldValue.field_id == uuid.UUID(city)) == 0
    )
    assert {e.workspace_id for e in published.events} == {world.other.id}


async def test_archived_fields_leave_the_list_and_keep_their_values(
    world: World, runtime: Runtime, published: Published
) -> None:
    city = await create(world, "city")
    erin = world.acme.contacts["erin"]
    async with world.client("alice") as alice:
        saved = await alice.put(f"/api/v1/contacts/{erin.id}/fields", json={"city": "Hue"})
        assert saved.status_code == 200, saved.text
        published.events.clear()
        archived = await alice.patch(f"{API}/{city}", json={"is_archived": True})
        again = await alice.patch(f"{API}/{city}", json={"is_archived": True})
        listed = await alice.get(API)
        everything = await alice.get(API, params={"include_archived": True})
    assert archived.status_code == 200, archived.text
    assert archived.json()["archived_at"] is not None
    assert again.json()["archived_at"] == archived.json()["archived_at"]
    assert listed.json() == []
    assert [f["key"] for f in everything.json()] == ["city"]
    assert await rows(runtime, ContactFieldValue, ContactFieldValue.contact_id == erin.id) == 1
    async with world.client("bob") as bob:
        refused = await bob.patch(f"{API}/{city}", json={"is_archived": False})
    async with world.client("alice") as alice:
        restored = await alice.patch(f"{API}/{city}", json={"is_archived": False})
    assert refused.status_code == 403
    assert restored.json()["archived_at"] is None
    assert published.types() == ["custom_field.changed", "custom_field.changed"]
    assert await audited(runtime, "custom_field.updated", city) == 2
