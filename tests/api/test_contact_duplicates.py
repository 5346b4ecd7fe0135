"""Duplicate suggestions and merges with undo, over HTTP: contacts sharing a phone or an email
across channels are grouped; a merge moves identities, conversations, tags and fields, and its
undo puts each back; events and audit entries for both; roles and other workspaces."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from tests.conftest import World
from tests.factories import Factory

MERGES = "/api/v1/contact-merges"


async def _erin_on_email(world: World, runtime: Runtime) -> Contact:
    """Erin again, writing in by email with her WhatsApp number in her signature."""
    acme = world.acme
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        twin = await f.contact(
            acme.workspace,
            "Erin M.",
            phone="+60123456789",
            email="FRANK@example.com",
            channel=acme.channels["email"],
            provider_id="erin@example.com",
        )
        await f.conversation(acme.workspace, acme.channels["email"], twin, body="It's Erin")
        await s.commit()
    return twin


async def test_duplicates_are_grouped_by_phone_and_email(world: World, runtime: Runtime) -> None:
    twin = await _erin_on_email(world, runtime)
    acme = world.acme
    async with world.client("dave") as dave:
        groups = (await dave.get("/api/v1/contacts/duplicates")).json()["items"]
    found = {(g["match"], g["value"]): {c["id"] for c in g["contacts"]} for g in groups}
    assert found == {
        ("phone", "+60123456789"): {str(acme.contacts["erin"].id), str(twin.id)},
        ("email", "frank@example.com"): {str(acme.contacts["frank"].id), str(twin.id)},
    }
    email_group = next(g for g in groups if g["match"] == "email")
    channels = {i["channel_name"] for c in email_group["contacts"] for i in c["identities"]}
    assert channels == {"Support mail"}
    async with world.client("bob") as bob:
        assert (await bob.get("/api/v1/contacts/duplicates")).status_code == 403
    async with world.client("oscar") as oscar:
        assert (await oscar.get("/api/v1/contacts/duplicates")).json()["items"] == []


async def test_a_merge_is_undone_with_what_it_moved(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    twin = await _erin_on_email(world, runtime)
    erin = world.acme.contacts["erin"]
    async with world.client("alice") as alice:
        tag = (await alice.post("/api/v1/tags", json={"name": "Lead", "color": "red"})).json()
        await alice.post(f"/api/v1/contacts/{twin.id}/tags/{tag['id']}")
        await alice.post(
            "/api/v1/custom-fields", json={"key": "city", "label": "City", "field_type": "text"}
        )
        await alice.put(f"/api/v1/contacts/{twin.id}/fields", json={"city": "Ipoh"})
        merged = await alice.post(
            MERGES, json={"kept_contact_id": str(erin.id), "merged_contact_id": str(twin.id)}
        )
        assert merged.status_code == 201, merged.text
        merge = merged.json()
        assert (merge["kept_contact_name"], merge["merged_contact_name"]) == ("Erin", "Erin M.")
        assert merge["can_undo"] is True
        kept = (await alice.get(f"/api/v1/contacts/{erin.id}")).json()
        assert kept["email"] == "FRANK@example.com"
        assert [t["name"] for t in kept["tags"]] == ["Lead"]
        assert kept["fields"] == {"city": "Ipoh"}
        assert (await alice.get(f"/api/v1/contacts/{twin.id}")).status_code == 404

        clock.advance(hours=1)
        undone = await alice.post(f"{MERGES}/{merge['id']}/undo")
        assert undone.status_code == 200, undone.text
        assert undone.json()["can_undo"] is False
        again = await alice.post(f"{MERGES}/{merge['id']}/undo")
        assert again.status_code == 409
        kept = (await alice.get(f"/api/v1/contacts/{erin.id}")).json()
        back = (await alice.get(f"/api/v1/contacts/{twin.id}")).json()
        listed = (await alice.get(MERGES)).json()["items"]
    assert (kept["email"], kept["tags"], kept["fields"]) == (None, [], {})
    assert [i["channel_name"] for i in kept["identities"]] == ["Careers WhatsApp"]
    assert back["email"] == "FRANK@example.com"
    assert ([t["name"] for t in back["tags"]], back["fields"]) == (["Lead"], {"city": "Ipoh"})
    assert [i["provider_id"] for i in back["identities"]] == ["erin@example.com"]
    assert listed[0]["undone_at"] is not None
    async with runtime.database.read_session() as db:
        twin_conversations = await db.scalars(
            select(Conversation.id).where(Conversation.contact_id == twin.id)
        )
        assert len(list(twin_conversations)) == 1
        identity = await db.scalar(
            select(ContactIdentity.contact_id).where(ContactIdentity.provider_id == "60123456789")
        )
        assert identity == erin.id
        actions = list(await db.scalars(select(AuditLogEntry.action)))
        assert {"contact.merged", "contact.merge_undone"} <= set(actions)
        kinds = set(await db.scalars(select(EventLogEntry.type)))
        assert {"contact.merged", "contact.merge_undone"} <= kinds


async def test_undo_is_refused_when_too_late_or_for_others(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    twin = await _erin_on_email(world, runtime)
    erin = world.acme.contacts["erin"]
    async with world.client("bob") as bob:
        merged = await bob.post(
            MERGES, json={"kept_contact_id": str(erin.id), "merged_contact_id": str(twin.id)}
        )
        assert merged.status_code == 201, merged.text
    merge_id = merged.json()["id"]
    async with world.client("vera") as vera:
        assert (await vera.post(f"{MERGES}/{merge_id}/undo")).status_code == 403
    async with world.client("oscar") as oscar:
        assert (await oscar.post(f"{MERGES}/{merge_id}/undo")).status_code == 404
        assert (await oscar.get(MERGES)).json()["items"] == []
    clock.advance(days=7, seconds=1)
    async with world.client("bob") as bob:
        late = await bob.post(f"{MERGES}/{merge_id}/undo")
        assert late.status_code == 409
        assert (await bob.get(MERGES)).json()["items"][0]["can_undo"] is False
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(Contact.merged_into_id).where(Contact.id == twin.id)) == (
            erin.id
        )
