"""Contacts as data over HTTP: the CSV of a filtered list, a contact's privacy export (a zip
with their profile, conversations, messages and files) and erasure (rows and stored files
gone, audited without their data); owners and managers only; other workspaces see nothing."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile

from PIL import Image
from sqlalchemy import func, select

from frontdesk.core.attachments.models import Attachment
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from tests.conftest import World

EXPORT = "/api/v1/contacts/export"


def _png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(picture, format="PNG")
    return picture.getvalue()


async def test_the_csv_follows_the_list_filters(world: World) -> None:
    acme = world.acme
    async with world.client("dave") as dave:
        await dave.patch(
            f"/api/v1/contacts/{acme.contacts['frank'].id}", json={"lifecycle_stage": "customer"}
        )
        everyone = await dave.post(EXPORT, json={})
        customers = await dave.post(EXPORT, json={"lifecycle_stage": "customer"})
        by_phone = await dave.post(EXPORT, json={"q": "6012"})
        bad = await dave.post(EXPORT, json={"lifecycle_stage": "vip"})
        theirs_tag = await dave.post(EXPORT, json={"tag_id": str(uuid.uuid4())})
    assert everyone.status_code == 200
    assert everyone.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(everyone.text.lstrip("\ufeff"))))
    assert [r["name"] for r in rows] == ["Erin", "Frank"]
    assert rows[0]["channels"] == "Careers WhatsApp: 60123456789"
    names = [r["name"] for r in csv.DictReader(io.StringIO(customers.text.lstrip("\ufeff")))]
    assert names == ["Frank"]
    names = [r["name"] for r in csv.DictReader(io.StringIO(by_phone.text.lstrip("\ufeff")))]
    assert names == ["Erin"]
    assert bad.status_code == 422
    assert theirs_tag.status_code == 422
    async with world.client("bob") as bob:
        assert (await bob.post(EXPORT, json={})).status_code == 403
    async with world.client("oscar") as oscar:
        theirs = await oscar.post(EXPORT, json={})
        owner = {"owner_id": str(acme.members["dave"].id)}
        assert (await oscar.post(EXPORT, json=owner)).status_code == 422
    assert [r["name"] for r in csv.DictReader(io.StringIO(theirs.text.lstrip("\ufeff")))] == [
        "Olga"
    ]


async def test_a_contact_s_data_is_exported_then_erased(world: World, runtime: Runtime) -> None:
    acme = world.acme
    erin = acme.contacts["erin"]
    conversation = acme.conversations["erin_support"]
    async with world.client("alice") as alice:
        uploaded = await alice.post(
            "/api/v1/attachments",
            files={"file": ("cv.png", _png(), "image/png")},
            data={"conversation_id": str(conversation.id)},
        )
        assert uploaded.status_code == 201, uploaded.text
        await alice.patch(f"/api/v1/contacts/{erin.id}", json={"notes": "Prefers mornings"})
        exported = await alice.post(f"/api/v1/contacts/{erin.id}/data-export")
    assert exported.status_code == 200, exported.text
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    document = json.loads(archive.read("contact.json"))
    assert document["contact"]["name"] == "Erin"
    assert document["contact"]["notes"] == "Prefers mornings"
    assert document["contact"]["identities"][0]["provider_id"] == "60123456789"
    bodies = sorted(m["body"] for c in document["conversations"] for m in c["messages"])
    assert bodies == ["Do you have openings in sales?", "Hello, I saw your job ad"]
    [file] = document["files"]
    assert archive.read(file["path"]) == _png()
    async with runtime.database.read_session() as db:
        attachment = await db.get(Attachment, uuid.UUID(uploaded.json()["id"]))
        assert attachment is not None
    storage = runtime.storage
    assert storage is not None
    assert await storage.exists(attachment.storage_key)

    async with world.client("bob") as bob:
        assert (await bob.post(f"/api/v1/contacts/{erin.id}/erase")).status_code == 403
        assert (await bob.post(f"/api/v1/contacts/{erin.id}/data-export")).status_code == 403
    async with world.client("oscar") as oscar:
        assert (await oscar.post(f"/api/v1/contacts/{erin.id}/erase")).status_code == 404
    async with world.client("dave") as dave:
        erased = await dave.post(f"/api/v1/contacts/{erin.id}/erase")
        assert erased.status_code == 204, erased.text
        assert (await dave.get(f"/api/v1/contacts/{erin.id}")).status_code == 404
    assert not await storage.exists(attachment.storage_key)
    async with runtime.database.read_session() as db:
        for model, column in (
            (Contact, Contact.id),
            (ContactIdentity, ContactIdentity.contact_id),
            (Conversation, Conversation.contact_id),
        ):
            count = await db.scalar(
                select(func.count()).select_from(model).where(column == erin.id)
            )
            assert count == 0, model
        messages = await db.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id == conversation.id)
        )
        assert messages == 0
        assert await db.get(Attachment, attachment.id) is None
        entry = await db.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "contact.erased")
        )
        assert entry is not None
        assert entry.details == {"conversations": 2, "messages": 2, "files": 1}
        assert entry.actor_user_id == acme.members["dave"].id
        exported_entry = await db.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "contact.data_exported")
        )
        assert exported_entry is not None
        assert "Erin" not in json.dumps(entry.details) + json.dumps(exported_entry.details)
