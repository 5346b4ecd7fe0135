"""Contact imports over HTTP: upload (encoding and delimiter sniffed, columns, preview, a
guessed mapping), start with a mapping, the job's batches and progress, dedupe by phone and
email against the workspace and within the file, per-row errors and their report, roles."""

from __future__ import annotations

import csv
import io
import time
import uuid

import httpx
from sqlalchemy import delete, func, select

from frontdesk.core.contacts.imports_csv import read_shape
from frontdesk.core.contacts.imports_run import run_import
from frontdesk.core.contacts.models import Contact, ContactFieldValue
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ContactTag
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.jobs.handlers import build_registry
from tests.conftest import World
from tests.loop_stalls import longest_stall

IMPORTS = "/api/v1/contact-imports"


async def upload(
    client: httpx.AsyncClient, data: bytes, name: str = "people.csv"
) -> httpx.Response:
    return await client.post(IMPORTS, files={"file": (name, data, "text/csv")})


async def run_import_jobs(runtime: Runtime) -> None:
    """The worker's part: every waiting import job, through the registry."""
    registry = build_registry()
    async with runtime.database.write_session() as db:
        jobs = list(await db.scalars(select(Job).where(Job.kind == "contact_import")))
        for job in jobs:
            await db.delete(job)
        await db.commit()
    assert jobs, "starting an import enqueues its job"
    for job in jobs:
        handler = registry.get(job.kind)
        assert handler is not None
        await handler(runtime, dict(job.payload))


async def test_a_latin1_semicolon_file_is_read_and_a_mapping_guessed(world: World) -> None:
    text = "Nome;Telefone;E-mail;Estágio\nJoão;11 98765-4321;joao@example.com;customer\n"
    async with world.client("alice") as alice:
        made = await upload(alice, text.encode("cp1252"))
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["encoding"], body["delimiter"]) == ("cp1252", ";")
    assert body["columns"] == ["Nome", "Telefone", "E-mail", "Estágio"]
    assert body["preview"] == [["João", "11 98765-4321", "joao@example.com", "customer"]]
    assert body["suggested_mapping"] == {
        "Nome": "name",
        "Telefone": "phone",
        "E-mail": "email",
        "Estágio": "lifecycle_stage",
    }
    assert (body["status"], body["rows_total"]) == ("uploaded", 1)


async def test_utf8_with_a_bom_and_bad_files(world: World) -> None:
    async with world.client("dave") as dave:
        made = await upload(dave, "\ufeffname,email\nAn,an@example.com\n".encode())
        assert made.json()["encoding"] == "utf-8-sig"
        assert made.json()["columns"] == ["name", "email"]
        for bad in (b"", b"\x00\x01", b"a,a\n1,2\n"):
            refused = await upload(dave, bad)
            assert refused.status_code == 422, (bad, refused.text)
        missing = await dave.post(IMPORTS, files={"other": ("x.csv", b"a\n1\n", "text/csv")})
        assert missing.status_code == 422


async def test_rows_are_created_updated_deduplicated_and_refused(
    world: World, runtime: Runtime
) -> None:
    acme = world.acme
    async with world.client("alice") as alice:
        tag = await alice.post("/api/v1/tags", json={"name": "VIP", "color": "red"})
        assert tag.status_code == 201, tag.text
        field = await alice.post(
            "/api/v1/custom-fields", json={"key": "city", "label": "City", "field_type": "text"}
        )
        assert field.status_code == 201, field.text
        rows = [
            ["Full name", "Phone", "Email", "Stage", "Tags", "City", "Ignored"],
            [
                "Erin Updated",
                "+60 12-345 6789",
                "",
                "hot lead",
                "vip",
                "Ipoh",
                "x",
            ],  # Erin, by phone
            ["Frank", "", "FRANK@example.com", "", "", "", ""],  # Frank, by email
            ["Gia", "11 98765-4321", "gia@example.com", "customer", "VIP", "Hue", ""],
            ["Gia again", "+55 11 98765-4321", "", "", "", "", ""],  # Gia, earlier in the file
            ["Bad phone", "12", "", "", "", "", ""],
            ["Bad email", "", "not-an-email", "", "", "", ""],
            ["Bad stage", "", "", "client", "", "", ""],
            ["Bad tag", "", "", "", "unknown", "", ""],
            ["", "", "", "", "", "Nowhere", ""],  # nothing to know them by
        ]
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        made = await upload(alice, buffer.getvalue().encode())
        import_id = made.json()["id"]
        mapping = {
            "Full name": "name",
            "Phone": "phone",
            "Email": "email",
            "Stage": "lifecycle_stage",
            "Tags": "tags",
            "City": "field:city",
        }
        started = await alice.post(
            f"{IMPORTS}/{import_id}/start", json={"mapping": mapping, "default_region": "BR"}
        )
        assert started.status_code == 200, started.text
        assert started.json()["status"] == "queued"
        again = await alice.post(f"{IMPORTS}/{import_id}/start", json={"mapping": mapping})
        assert again.status_code == 409
        storage = runtime.storage
        assert storage is not None
        file_key = f"contact-imports/{acme.id}/{import_id}/source.csv"
        assert await storage.exists(file_key)
        await run_import_jobs(runtime)
        assert not await storage.exists(file_key)  # read, then deleted
        done = (await alice.get(f"{IMPORTS}/{import_id}")).json()
        report = await alice.get(f"{IMPORTS}/{import_id}/errors")
    assert done["status"] == "done"
    assert (done["rows_total"], done["rows_done"]) == (9, 9)
    assert (done["rows_created"], done["rows_updated"], done["rows_failed"]) == (1, 3, 5)
    assert [(e["row"], e["column"], e["code"]) for e in done["row_errors"]] == [
        (6, "Phone", "invalid_phone"),
        (7, "Email", "invalid_email"),
        (8, "Stage", "unknown_lifecycle_stage"),
        (9, "Tags", "unknown_tag"),
        (10, "", "no_name_phone_or_email"),
    ]
    lines = list(csv.reader(io.StringIO(report.text.lstrip("\ufeff"))))
    assert lines[0] == ["row", "column", "error", "value"]
    assert lines[1] == ["6", "Phone", "invalid_phone", "12"]
    async with runtime.database.read_session() as db:
        erin = await db.get(Contact, acme.contacts["erin"].id)
        assert erin is not None
        assert (erin.name, erin.lifecycle_stage, erin.version) == ("Erin Updated", "hot_lead", 2)
        gia = await db.scalar(select(Contact).where(Contact.email == "gia@example.com"))
        assert gia is not None
        assert (gia.name, gia.phone) == ("Gia again", "+5511987654321")
        tagged = await db.scalar(
            select(func.count())
            .select_from(ContactTag)
            .where(ContactTag.contact_id.in_([erin.id, gia.id]))
        )
        assert tagged == 2
        cities = set(await db.scalars(select(ContactFieldValue.value)))
        assert cities == {"Ipoh", "Hue"}
        total = await db.scalar(
            select(func.count()).select_from(Contact).where(Contact.workspace_id == acme.id)
        )
        assert total == 3  # Erin, Frank and Gia
        kinds = list(await db.scalars(select(EventLogEntry.type)))
        assert {"contact.imported", "contact_import.updated"} <= set(kinds)


async def test_mapping_and_roles_are_checked(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice:
        made = await upload(alice, b"name,phone\nAn,+84901234567\n")
        import_id = made.json()["id"]
        for mapping in (
            {"nope": "name"},
            {"name": "nickname"},
            {"name": "field:missing"},
            {"name": "tags"},
            {"name": "phone", "phone": "phone"},
        ):
            refused = await alice.post(f"{IMPORTS}/{import_id}/start", json={"mapping": mapping})
            assert refused.status_code == 422, (mapping, refused.text)
        bad_region = await alice.post(
            f"{IMPORTS}/{import_id}/start",
            json={"mapping": {"name": "name"}, "default_region": "br"},
        )
        assert bad_region.status_code == 422
    async with world.client("bob") as bob:
        assert (await upload(bob, b"name\nAn\n")).status_code == 403
        assert (await bob.get(f"{IMPORTS}/{import_id}")).status_code == 403
    async with world.client("oscar") as oscar:
        assert (await oscar.get(f"{IMPORTS}/{import_id}")).status_code == 404
        assert (await oscar.get(IMPORTS)).json()["items"] == []
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(Job)) == 0


async def test_a_file_of_several_batches_reports_its_progress(
    world: World, runtime: Runtime
) -> None:
    lines = ["name,phone"] + [f"P{i},+5511987{i:06d}" for i in range(1, 1201)]
    async with world.client("alice") as alice:
        made = await upload(alice, "\n".join(lines).encode())
        import_id = made.json()["id"]
        await alice.post(
            f"{IMPORTS}/{import_id}/start", json={"mapping": {"name": "name", "phone": "phone"}}
        )
    async with runtime.database.write_session() as db:
        await db.execute(delete(Job))
        await db.commit()
    await run_import(runtime, uuid.UUID(import_id))
    async with runtime.database.read_session() as db:
        progress = [
            e.payload["rows_done"]
            for e in await db.scalars(
                select(EventLogEntry)
                .where(EventLogEntry.type == "contact_import.updated")
                .order_by(EventLogEntry.id)
            )
        ]
    assert progress == [0, 0, 0, 500, 1000, 1200, 1200]


async def test_reading_a_large_upload_leaves_the_process_answering(world: World) -> None:
    """Decoding, sniffing and counting an upload of 100,000 rows is a good part of a second of
    CPU; on the event loop it stopped every other request, socket and webhook of the process
    meanwhile. The loop keeps ticking through the upload: no gap near the reading's own time,
    measured here on the same file."""
    lines = ["name,phone,email,city"]
    lines += [f"Person {n},+55 11 9{n:08d},p{n}@example.com,São Paulo" for n in range(100_000)]
    data = "\n".join(lines).encode()
    started = time.perf_counter()
    assert read_shape(data).rows_total == 100_000
    reading = time.perf_counter() - started
    async with world.client("alice") as alice, longest_stall() as stall:
        made = await upload(alice, data)
    assert made.status_code == 201, made.text
    assert made.json()["rows_total"] == 100_000
    assert stall.longest < reading / 2, (stall.longest, reading)
