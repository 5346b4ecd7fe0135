"""Contacts through the API: create, read, search, pages, edits, tags, field values, merging."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import Contact, ContactFieldValue, ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ContactTag, Tag
from tests.conftest import Published, QueryCounter, World
from tests.factories import Factory

API = "/api/v1/contacts"


async def rows(runtime: Runtime, model: type, *where: Any) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def load(runtime: Runtime, contact_id: uuid.UUID | str) -> Contact:
    async with runtime.database.read_session() as db:
        found = await db.get(Contact, uuid.UUID(str(contact_id)))
    assert found is not None
    return found


async def setup_fields(world: World) -> None:
    async with world.client("alice") as alice:
        for body in (
            {"key": "city", "label": "City", "field_type": "text"},
            {"key": "salary", "label": "Expected salary", "field_type": "number"},
            {"key": "start", "label": "Available from", "field_type": "date"},
            {"key": "driver", "label": "Has a licence", "field_type": "boolean"},
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


async def foreign_tag(world: World, runtime: Runtime) -> Tag:
    """A tag of the other workspace, inserted directly."""
    theirs = Tag(workspace_id=world.other.id, name="theirs", created_at=runtime.clock.now())
    async with runtime.database.write_session() as s:
        s.add(theirs)
        await s.commit()
    return theirs


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
                "tag_ids": [vip, vip],
                "fields": {
                    "city": "Hanoi",
                    "salary": 1200,
                    "start": "2026-02-01",
                    "driver": True,
                    "position": "Driver",
                },
            },
        )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["email"] == "hana@example.com"
    assert body["phone"] == "+84901234567"
    assert body["owner"] == {"id": str(world.persona("bob").id), "name": "Bob"}
    assert [t["name"] for t in body["tags"]] == ["vip"]
    assert body["fields"] == {
        "city": "Hanoi",
        "salary": 1200,
        "start": "2026-02-01",
        "driver": True,
        "position": "Driver",
    }
    assert body["version"] == 1
    stored = await load(runtime, body["id"])
    assert (stored.workspace_id, stored.phone, stored.lifecycle_stage, stored.language) == (
        world.acme.id,
        "+84901234567",
        "hot_lead",
        "vi",
    )
    assert await rows(runtime, ContactTag, ContactTag.contact_id == stored.id) == 1
    assert await rows(runtime, ContactFieldValue, ContactFieldValue.contact_id == stored.id) == 5
    assert published.types() == ["contact.created"]
    event = published.events[0]
    assert event.audience == (f"ws:{world.acme.id}",)
    assert event.payload == body


async def test_bad_contacts_are_refused_naming_the_field_and_writing_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    await setup_fields(world)
    theirs = await foreign_tag(world, runtime)
    published.events.clear()
    before = await rows(runtime, Contact)
    cases = {
        "email": {"name": "A", "email": "not-an-email"},
        "phone": {"name": "A", "phone": "call me"},
        "owner_id": {"name": "A", "owner_id": str(world.persona("oscar").id)},
        "tag_ids": {"name": "A", "tag_ids": [str(theirs.id)]},
        "fields.position": {"name": "A", "fields": {"position": "Astronaut"}},
        "fields.salary": {"name": "A", "fields": {"salary": "a lot"}},
        "fields.start": {"name": "A", "fields": {"start": "next week"}},
        "fields.driver": {"name": "A", "fields": {"driver": "yes"}},
        "fields.shoe_size": {"name": "A", "fields": {"shoe_size": 42}},
        "name": {"name": ""},
        "lifecycle_stage": {"name": "A", "lifecycle_stage": "maybe"},
        "nickname": {"name": "A", "nickname": "x"},
    }
    async with world.client("alice") as alice:
        for field, body in cases.items():
            r = await alice.post(API, json=body)
            assert r.status_code == 422, (field, r.text)
            assert r.json()["error"]["details"]["field"] == field, r.text
    assert await rows(runtime, Contact) == before
    assert await rows(runtime, ContactTag) == 0
    assert await rows(runtime, ContactFieldValue) == 0
    assert published.types() == []


async def test_read_one_contact_with_identities_tags_fields_and_owner(world: World) -> None:
    await setup_fields(world)
    vip = await tag(world, "vip")
    erin = world.acme.contacts["erin"]
    whatsapp = world.acme.channels["whatsapp"]
    async with world.client("bob") as bob:
        await bob.put(f"{API}/{erin.id}/tags", json={"tag_ids": [vip]})
        await bob.put(f"{API}/{erin.id}/fields", json={"city": "Penang"})
        await bob.patch(f"{API}/{erin.id}", json={"owner_id": str(world.persona("carol").id)})
    async with world.client("vera") as vera:
        r = await vera.get(f"{API}/{erin.id}")
    assert r.status_code == 200
    body = r.json()
    assert body["identities"] == [
        {
            "channel_id": str(whatsapp.id),
            "channel_type": "whatsapp",
            "channel_name": "Careers WhatsApp",
            "provider_id": "60123456789",
            "profile_name": "Erin",
        }
    ]
    assert [t["id"] for t in body["tags"]] == [vip]
    assert body["fields"] == {"city": "Penang"}
    assert body["owner"]["name"] == "Carol"


async def test_search_by_partial_name_email_and_any_phone_format(
    world: World, runtime: Runtime
) -> None:
    async with runtime.database.write_session() as s:
        # Stored as some import wrote it: formatting and no "+".
        await Factory(s, runtime.clock.now()).contact(
            world.acme.workspace, "Ana Souza", phone="5521 3456-7890"
        )
        await s.commit()
    async with world.client("bob") as bob:
        await bob.post(API, json={"name": "Lucas Ferreira", "phone": "+55 11 98765-4321"})
        await bob.post(API, json={"name": "Maria", "email": "maria.lima@example.com"})
        found = {
            q: sorted(c["name"] for c in (await bob.get(API, params={"q": q})).json()["items"])
            for q in (
                "lucas",
                "FERREIRA",
                "rrei",
                "98765 4321",
                "5511987",
                "+55 11 9876",
                "+55 21 3456",
                "+55",
                "LIMA@example",
                "%",
                "_",
                "nobody",
                "600000",
            )
        }
    assert found["lucas"] == ["Lucas Ferreira"]
    assert found["FERREIRA"] == ["Lucas Ferreira"]
    assert found["rrei"] == ["Lucas Ferreira"]
    assert found["98765 4321"] == ["Lucas Ferreira"]
    assert found["5511987"] == ["Lucas Ferreira"]
    assert found["+55 11 9876"] == ["Lucas Ferreira"]
    assert found["+55 21 3456"] == ["Ana Souza"]
    assert found["+55"] == []  # two digits are too few to search phone numbers
    assert found["LIMA@example"] == ["Maria"]
    assert found["%"] == []
    assert found["_"] == []
    assert found["nobody"] == []
    assert found["600000"] == []


async def test_search_never_shows_another_workspace(world: World) -> None:
    async with world.client("alice") as alice:
        by_name = (await alice.get(API, params={"q": "olga"})).json()["items"]
        by_phone = (await alice.get(API, params={"q": "84900000000"})).json()["items"]
    assert by_name == []
    assert by_phone == []


async def test_filters_by_tag_stage_and_owner(world: World) -> None:
    erin, frank = world.acme.contacts["erin"], world.acme.contacts["frank"]
    vip = await tag(world, "vip")
    bob_id = str(world.persona("bob").id)
    async with world.client("bob") as bob:
        await bob.put(f"{API}/{erin.id}/tags", json={"tag_ids": [vip]})
        await bob.patch(f"{API}/{frank.id}", json={"lifecycle_stage": "customer"})
        await bob.patch(f"{API}/{frank.id}", json={"owner_id": bob_id})

        async def names(**params: str) -> list[str]:
            r = await bob.get(API, params=params)
            assert r.status_code == 200, r.text
            return [c["name"] for c in r.json()["items"]]

        assert await names() == ["Erin", "Frank"]
        assert await names(tag_id=vip) == ["Erin"]
        assert await names(lifecycle_stage="customer") == ["Frank"]
        assert await names(owner_id=bob_id) == ["Frank"]
        assert await names(owner_id=bob_id, tag_id=vip) == []
        bad = await bob.get(API, params={"lifecycle_stage": "maybe"})
        bad_cursor = await bob.get(API, params={"cursor": "nonsense"})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "lifecycle_stage"
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["error"]["details"]["field"] == "cursor"


async def walk(client: Any, params: dict[str, Any]) -> list[str]:
    """Every id, following cursors page by page."""
    seen: list[str] = []
    cursor = None
    while True:
        page_params = {**params, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(API, params=page_params)).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return seen


async def test_pages_without_gaps_or_duplicates_and_constant_queries(
    world: World, runtime: Runtime, clock: FrozenClock, count_queries: Any
) -> None:
    await setup_fields(world)
    vip = await tag(world, "vip")
    lead = await tag(world, "lead")
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        for i in range(24):
            await f.contact(
                world.acme.workspace,
                f"Person {i % 6}",  # equal names: the id breaks ties
                phone=f"+5511900{i:04d}",
                channel=world.acme.channels["whatsapp"],
                provider_id=f"5511900{i:04d}",
            )
        await s.commit()
    async with world.client("alice") as alice:
        everyone = (await alice.get(API, params={"limit": 100})).json()["items"]
        ids = [c["id"] for c in everyone]
        assert len(ids) == 26
        for cid in ids[:12]:
            clock.advance(seconds=1)
            await alice.put(f"{API}/{cid}/tags", json={"tag_ids": [vip, lead]})
            await alice.put(f"{API}/{cid}/fields", json={"city": "Recife", "salary": 10})
        by_name = await walk(alice, {"limit": 5})
        recent = await walk(alice, {"limit": 5, "sort": "recent"})
        assert by_name == ids
        assert sorted(recent) == sorted(ids)
        assert len(recent) == len(set(recent))
        assert recent[:12] == list(reversed(ids[:12]))  # the last edited first
        counter: QueryCounter
        with count_queries() as counter:
            small = await alice.get(API, params={"limit": 2})
        small_count = counter.count
        with count_queries() as counter:
            large = await alice.get(API, params={"limit": 20})
    assert len(small.json()["items"]) == 2
    assert len(large.json()["items"]) == 20
    assert all(len(c["tags"]) == 2 and c["identities"] for c in large.json()["items"][:12])
    assert counter.count == small_count


async def test_partial_update_and_version_check(
    world: World, runtime: Runtime, published: Published
) -> None:
    erin = world.acme.contacts["erin"]
    async with world.client("bob") as bob:
        ok = await bob.patch(
            f"{API}/{erin.id}",
            json={"notes": "Prefers mornings", "email": "ERIN@example.com", "version": 1},
        )
        stale = await bob.patch(f"{API}/{erin.id}", json={"notes": "overwrite", "version": 1})
        same = await bob.patch(f"{API}/{erin.id}", json={"notes": "Prefers mornings"})
        cleared = await bob.patch(f"{API}/{erin.id}", json={"phone": None})
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2
    assert ok.json()["name"] == "Erin"  # untouched
    assert stale.status_code == 409
    assert stale.json()["error"]["details"]["field"] == "version"
    assert same.json()["version"] == 2  # no change, no new version
    assert cleared.json()["phone"] is None
    stored = await load(runtime, erin.id)
    assert (stored.notes, stored.email, stored.phone, stored.version) == (
        "Prefers mornings",
        "erin@example.com",
        None,
        3,
    )
    assert published.types() == ["contact.updated", "contact.updated"]
    # The contact as the API shows it, and what changed (the workflows' contact triggers).
    assert published.events[-1].payload == {**cleared.json(), "changes": {"contact": ["phone"]}}


async def test_bad_updates_name_the_field_and_write_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    erin = world.acme.contacts["erin"]
    cases = {
        "owner_id": {"owner_id": str(world.persona("oscar").id)},
        "name": {"name": None},
        "email": {"email": "erin at example"},
        "phone": {"phone": "12"},
        "version": {"version": "one"},
    }
    async with world.client("bob") as bob:
        for field, body in cases.items():
            r = await bob.patch(f"{API}/{erin.id}", json=body)
            assert r.status_code == 422, (field, r.text)
            assert r.json()["error"]["details"]["field"] == field, r.text
    stored = await load(runtime, erin.id)
    assert (stored.name, stored.phone, stored.owner_id, stored.version) == (
        "Erin",
        "+60123456789",
        None,
        1,
    )
    assert published.types() == []


async def test_tags_replaced_added_and_removed(
    world: World, runtime: Runtime, published: Published
) -> None:
    erin = world.acme.contacts["erin"]
    vip, lead = await tag(world, "vip"), await tag(world, "lead")
    theirs = await foreign_tag(world, runtime)
    published.events.clear()
    async with world.client("bob") as bob:
        put = await bob.put(f"{API}/{erin.id}/tags", json={"tag_ids": [vip]})
        added = await bob.post(f"{API}/{erin.id}/tags/{lead}")
        again = await bob.post(f"{API}/{erin.id}/tags/{lead}")
        removed = await bob.delete(f"{API}/{erin.id}/tags/{vip}")
        foreign_put = await bob.put(f"{API}/{erin.id}/tags", json={"tag_ids": [str(theirs.id)]})
        foreign_add = await bob.post(f"{API}/{erin.id}/tags/{theirs.id}")
        not_uuid = await bob.put(f"{API}/{erin.id}/tags", json={"tag_ids": ["x"]})
    assert [t["name"] for t in put.json()["tags"]] == ["vip"]
    assert [t["name"] for t in added.json()["tags"]] == ["lead", "vip"]
    assert again.json()["version"] == added.json()["version"]
    assert [t["name"] for t in removed.json()["tags"]] == ["lead"]
    for refused in (foreign_put, foreign_add):
        assert refused.status_code == 422
        assert refused.json()["error"]["details"]["field"] == "tag_ids"
    assert not_uuid.status_code == 422
    assert not_uuid.json()["error"]["details"]["field"] == "tag_ids.0"
    async with runtime.database.read_session() as db:
        stored = list(
            await db.scalars(select(ContactTag.tag_id).where(ContactTag.contact_id == erin.id))
        )
    assert stored == [uuid.UUID(lead)]
    assert published.types() == ["contact.updated"] * 3


async def test_field_values_set_cleared_and_checked(
    world: World, runtime: Runtime, published: Published
) -> None:
    await setup_fields(world)
    erin = world.acme.contacts["erin"]
    published.events.clear()
    async with world.client("carol") as carol:
        ok = await carol.put(
            f"{API}/{erin.id}/fields", json={"city": "Ipoh", "position": "Cashier", "salary": 9.5}
        )
        cleared = await carol.put(f"{API}/{erin.id}/fields", json={"city": None})
        bad = await carol.put(f"{API}/{erin.id}/fields", json={"salary": 3, "position": "Chef"})
        unknown = await carol.put(f"{API}/{erin.id}/fields", json={"shoe_size": 42})
    assert ok.status_code == 200, ok.text
    assert ok.json()["fields"] == {"city": "Ipoh", "position": "Cashier", "salary": 9.5}
    assert cleared.json()["fields"] == {"position": "Cashier", "salary": 9.5}
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "fields.position"
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"]["field"] == "fields.shoe_size"
    async with world.client("carol") as carol:
        assert (await carol.get(f"{API}/{erin.id}")).json()["fields"]["salary"] == 9.5
    assert await rows(runtime, ContactFieldValue, ContactFieldValue.contact_id == erin.id) == 2
    assert published.types() == ["contact.updated", "contact.updated"]


async def test_viewers_read_only_and_only_admins_delete(
    world: World, runtime: Runtime, published: Published
) -> None:
    frank = world.acme.contacts["frank"]
    vip = await tag(world, "vip")
    published.events.clear()
    async with world.client("vera") as vera:
        assert (await vera.get(API)).status_code == 200
        assert (await vera.get(f"{API}/{frank.id}")).status_code == 200
        refused = [
            await vera.post(API, json={"name": "X"}),
            await vera.patch(f"{API}/{frank.id}", json={"name": "X"}),
            await vera.put(f"{API}/{frank.id}/tags", json={"tag_ids": [vip]}),
            await vera.post(f"{API}/{frank.id}/tags/{vip}"),
            await vera.put(f"{API}/{frank.id}/fields", json={}),
            await vera.post(
                f"{API}/{frank.id}/merge",
                json={"other_contact_id": str(world.acme.contacts["erin"].id)},
            ),
            await vera.delete(f"{API}/{frank.id}"),
        ]
    async with world.client("bob") as bob:
        refused.append(await bob.delete(f"{API}/{frank.id}"))
    assert [r.status_code for r in refused] == [403] * len(refused)
    stored = await load(runtime, frank.id)
    assert (stored.name, stored.version, stored.merged_into_id) == ("Frank", 1, None)
    assert await rows(runtime, Contact, Contact.name == "X") == 0
    assert await rows(runtime, ContactTag) == 0
    assert published.types() == []


async def test_delete_cascades_and_is_audited(
    world: World, runtime: Runtime, published: Published
) -> None:
    await setup_fields(world)
    frank = world.acme.contacts["frank"]
    vip = await tag(world, "vip")
    async with world.client("dave") as dave:
        await dave.put(f"{API}/{frank.id}/tags", json={"tag_ids": [vip]})
        await dave.put(f"{API}/{frank.id}/fields", json={"city": "Lyon"})
        before = (await dave.get(f"{API}/{frank.id}")).json()
        published.events.clear()
        deleted = await dave.delete(f"{API}/{frank.id}")
        gone = await dave.get(f"{API}/{frank.id}")
        listed = [c["name"] for c in (await dave.get(API)).json()["items"]]
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert listed == ["Erin"]
    for model in (Conversation, ContactIdentity, ContactTag, ContactFieldValue):
        assert await rows(runtime, model, model.contact_id == frank.id) == 0
    assert await rows(runtime, Tag, Tag.id == uuid.UUID(vip)) == 1
    assert published.types() == ["contact.deleted"]
    assert published.events[0].payload == before
    assert (
        await rows(
            runtime,
            AuditLogEntry,
            AuditLogEntry.action == "contact.deleted",
            AuditLogEntry.target_id == str(frank.id),
            AuditLogEntry.actor_user_id == world.persona("dave").id,
        )
        == 1
    )


async def test_merge_moves_identities_conversations_tags_fields_and_fills_gaps(
    world: World, runtime: Runtime, published: Published
) -> None:
    await setup_fields(world)
    erin, frank = world.acme.contacts["erin"], world.acme.contacts["frank"]
    vip, lead = await tag(world, "vip"), await tag(world, "lead")
    async with world.client("bob") as bob:
        await bob.put(f"{API}/{erin.id}/tags", json={"tag_ids": [vip]})
        await bob.put(f"{API}/{frank.id}/tags", json={"tag_ids": [vip, lead]})
        await bob.put(f"{API}/{erin.id}/fields", json={"city": "Ipoh"})
        await bob.put(f"{API}/{frank.id}/fields", json={"city": "Lyon", "salary": 5})
        await bob.patch(f"{API}/{frank.id}", json={"owner_id": str(world.persona("bob").id)})
        published.events.clear()
        merged = await bob.post(f"{API}/{erin.id}/merge", json={"other_contact_id": str(frank.id)})
        gone = await bob.get(f"{API}/{frank.id}")
        patch_gone = await bob.patch(f"{API}/{frank.id}", json={"name": "x"})
        listed = [c["id"] for c in (await bob.get(API)).json()["items"]]
        searched = (await bob.get(API, params={"q": "frank"})).json()["items"]
        merge_again = await bob.post(
            f"{API}/{erin.id}/merge", json={"other_contact_id": str(frank.id)}
        )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["name"] == "Erin"
    assert body["email"] == "frank@example.com"  # erin had none
    assert body["phone"] == "+60123456789"  # erin's own kept
    assert body["owner"]["name"] == "Bob"
    assert {i["channel_type"] for i in body["identities"]} == {"whatsapp", "email"}
    assert [t["name"] for t in body["tags"]] == ["lead", "vip"]
    assert body["fields"] == {"city": "Ipoh", "salary": 5}  # erin's city wins
    assert gone.status_code == 404
    assert patch_gone.status_code == 404
    assert merge_again.status_code == 404
    assert listed == [str(erin.id)]
    assert [c["id"] for c in searched] == [str(erin.id)]  # found by frank's email, now erin's
    assert await rows(runtime, Conversation, Conversation.contact_id == erin.id) == 3
    assert await rows(runtime, Conversation, Conversation.contact_id == frank.id) == 0
    assert await rows(runtime, ContactIdentity, ContactIdentity.contact_id == erin.id) == 2
    for model in (ContactIdentity, ContactTag, ContactFieldValue):
        assert await rows(runtime, model, model.contact_id == frank.id) == 0
    assert (await load(runtime, frank.id)).merged_into_id == erin.id
    assert published.types() == ["contact.merged"]
    assert published.events[0].payload == {**body, "merged_contact_id": str(frank.id)}
    assert await rows(runtime, AuditLogEntry, AuditLogEntry.action == "contact.merged") == 1


async def test_deleting_a_contact_erases_the_duplicates_merged_into_it(
    world: World, runtime: Runtime
) -> None:
    erin, frank = world.acme.contacts["erin"], world.acme.contacts["frank"]
    async with world.client("alice") as alice:
        merged = await alice.post(
            f"{API}/{erin.id}/merge", json={"other_contact_id": str(frank.id)}
        )
        deleted = await alice.delete(f"{API}/{erin.id}")
        listed = (await alice.get(API)).json()["items"]
    assert merged.status_code == 200
    assert deleted.status_code == 204
    assert listed == []
    assert await rows(runtime, Contact, Contact.workspace_id == world.acme.id) == 0
    assert await rows(runtime, Conversation, Conversation.workspace_id == world.acme.id) == 0


async def test_merge_refusals(world: World, runtime: Runtime, published: Published) -> None:
    erin, frank = world.acme.contacts["erin"], world.acme.contacts["frank"]
    olga = world.other.contacts["olga"]
    async with world.client("bob") as bob:
        self_merge = await bob.post(
            f"{API}/{erin.id}/merge", json={"other_contact_id": str(erin.id)}
        )
        foreign = await bob.post(f"{API}/{erin.id}/merge", json={"other_contact_id": str(olga.id)})
        missing = await bob.post(f"{API}/{erin.id}/merge", json={})
    async with world.client("oscar") as oscar:
        into_theirs = await oscar.post(
            f"{API}/{olga.id}/merge", json={"other_contact_id": str(frank.id)}
        )
    assert self_merge.status_code == 422
    assert self_merge.json()["error"]["details"]["field"] == "other_contact_id"
    assert foreign.status_code == 404
    assert into_theirs.status_code == 404
    assert missing.status_code == 422
    assert missing.json()["error"]["details"]["field"] == "other_contact_id"
    assert await rows(runtime, Contact, Contact.merged_into_id.is_not(None)) == 0
    assert await rows(runtime, Conversation, Conversation.contact_id == olga.id) == 1
    assert await rows(runtime, Conversation, Conversation.contact_id == frank.id) == 1
    assert published.types() == []


async def test_other_workspace_ids_are_not_found_and_nothing_is_written(
    world: World, runtime: Runtime, published: Published
) -> None:
    erin = world.acme.contacts["erin"]
    vip = await tag(world, "vip")
    published.events.clear()
    async with world.client("oscar") as oscar:
        responses = [
            await oscar.get(f"{API}/{erin.id}"),
            await oscar.patch(f"{API}/{erin.id}", json={"name": "x"}),
            await oscar.delete(f"{API}/{erin.id}"),
            await oscar.put(f"{API}/{erin.id}/tags", json={"tag_ids": []}),
            await oscar.post(f"{API}/{erin.id}/tags/{vip}"),
            await oscar.delete(f"{API}/{erin.id}/tags/{vip}"),
            await oscar.put(f"{API}/{erin.id}/fields", json={}),
            await oscar.post(
                f"{API}/{erin.id}/merge",
                json={"other_contact_id": str(world.other.contacts["olga"].id)},
            ),
            await oscar.get(f"{API}/{uuid.uuid4()}"),
        ]
        theirs = [c["name"] for c in (await oscar.get(API)).json()["items"]]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert theirs == ["Olga"]
    stored = await load(runtime, erin.id)
    assert (stored.name, stored.version) == ("Erin", 1)
    assert published.types() == []
