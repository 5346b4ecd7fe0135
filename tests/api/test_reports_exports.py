"""Report exports: the scripted day of test_reports_scenario.py exported one row per
conversation segment (every timestamp and duration checked by hand), as CSV and XLSX, run by
the job with its progress; formulas made inert; an agent's own rows; nobody else's exports."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.reports.exports import sources
from frontdesk.core.reports.exports.models import ReportExport
from frontdesk.core.reports.exports.writers import inert
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.maintenance import prune_event_log
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import DAY, SAO_PAULO, Visitor, at, play_the_day
from tests.conftest import Published, World
from tests.factories import Factory

EXPORTS = "/api/v1/reports/exports"


def day_export(kind: str, fmt: str = "csv", **extra: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "format": fmt,
        "period": "custom",
        "start_date": DAY,
        "end_date": DAY,
        "tz": SAO_PAULO,
        **extra,
    }


async def run_jobs(runtime: Runtime) -> None:
    """Run the export jobs waiting, through the registry as the worker does."""
    registry = build_registry()
    async with runtime.database.read_session() as db:
        jobs = list(await db.scalars(select(Job).where(Job.kind == "report_export")))
    assert jobs, "asking for an export enqueues its job"
    for job in jobs:
        handler = registry.get(job.kind)
        assert handler is not None
        await handler(runtime, dict(job.payload))
    async with runtime.database.write_session() as db:
        for job in jobs:
            await db.delete(await db.get(Job, job.id))
        await db.commit()


async def export_file(
    client: httpx.AsyncClient, runtime: Runtime, body: dict[str, Any]
) -> tuple[dict[str, Any], httpx.Response]:
    r = await client.post(EXPORTS, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "queued"
    await run_jobs(runtime)
    read = await client.get(f"{EXPORTS}/{r.json()['id']}")
    assert read.status_code == 200, read.text
    assert read.json()["status"] == "done", read.text
    download = await client.get(read.json()["download_url"])
    assert download.status_code == 200, download.text
    return read.json(), download


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM for Excel"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
async def day(runtime: Runtime, world: World, clock: FrozenClock) -> dict[str, str]:
    return await play_the_day(runtime, world, clock)


# The day's segments in São Paulo time (UTC-3), by contact and segment: every timestamp and
# duration worked out from the script (business hours 10:00-18:00 UTC).
EXPECTED = {
    ("Ana", "1"): {
        "team": "Support",
        "agent": "Bob",
        "started_at": "2026-01-05 06:00:00",
        "reopened": "false",
        "first_customer_message_at": "2026-01-05 06:00:00",
        "first_assigned_at": "2026-01-05 06:02:00",
        "first_assignee": "Bob",
        "first_response_at": "2026-01-05 06:04:00",
        "first_response_by": "Bob",
        "first_response_seconds": "240.0",
        "first_response_business_seconds": "0.0",
        "first_response_within_target": "true",
        "assignment_response_seconds": "120.0",
        "assignment_response_business_seconds": "0.0",
        "responses": "2",
        "response_avg_seconds": "420.0",
        "transfers": "0",
        "closed_at": "2026-01-05 08:00:00",
        "closed_by": "Bob",
        "outcome": "interview",
        "resolution_seconds": "7200.0",
        "resolution_business_seconds": "3600.0",
        "abandoned_at": "",
        "abandoned": "",
        "reopened_at": "2026-01-05 09:00:00",
    },
    ("Ana", "2"): {
        "team": "Support",
        "agent": "Bob",
        "started_at": "2026-01-05 09:00:00",
        "reopened": "true",
        "first_customer_message_at": "2026-01-05 09:10:00",
        "first_assigned_at": "2026-01-05 09:00:00",
        "first_assignee": "Bob",
        "first_response_at": "2026-01-05 09:25:00",
        "first_response_seconds": "900.0",
        "first_response_within_target": "false",
        "assignment_response_seconds": "1500.0",
        "responses": "1",
        "closed_at": "2026-01-05 09:30:00",
        "outcome": "",
        "resolution_seconds": "1800.0",
        "resolution_business_seconds": "1800.0",
        "reopened_at": "",
    },
    ("Bao", "1"): {
        "team": "Sales",
        "agent": "Carol",
        "started_at": "2026-01-05 10:00:00",
        "first_assigned_at": "2026-01-05 10:05:00",
        "first_assignee": "Bob",
        "first_response_at": "2026-01-05 10:20:00",
        "first_response_by": "Carol",
        "first_response_seconds": "1200.0",
        "first_response_within_target": "false",
        "assignment_response_seconds": "",
        "transfers": "1",
        "closed_at": "2026-01-05 10:30:00",
        "closed_by": "Carol",
        "resolution_seconds": "1800.0",
    },
    ("Chi", "1"): {
        "team": "Support",
        "agent": "",
        "started_at": "2026-01-05 13:30:00",
        "first_customer_message_at": "2026-01-05 13:30:00",
        "first_response_at": "",
        "first_response_within_target": "",
        "responses": "0",
        "closed_at": "",
        "abandoned_at": "2026-01-05 14:30:00",
        "abandoned": "idle",
    },
    ("Duc", "1"): {
        "agent": "Alice",
        "started_at": "2026-01-05 15:00:00",
        "closed_at": "2026-01-05 15:20:00",
        "closed_by": "Alice",
        "resolution_seconds": "1200.0",
        "resolution_business_seconds": "0.0",
        "abandoned_at": "2026-01-05 15:20:00",
        "abandoned": "closed",
    },
}


async def test_the_per_conversation_export_of_the_day(
    runtime: Runtime,
    world: World,
    day: dict[str, str],
    published: Published,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sources, "SEGMENT_BATCH", 2)  # three batches for five segments
    async with world.client("alice") as alice:
        read, download = await export_file(alice, runtime, day_export("conversations"))
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["content-disposition"].startswith(
        'attachment; filename="conversations-2026-01-05-2026-01-05.csv"'
    )
    rows = csv_rows(download)
    assert list(rows[0]) == list(sources.segments.COLUMNS)
    by_key = {(row["contact_name"], row["segment"]): row for row in rows}
    assert sorted(by_key) == sorted(EXPECTED)
    for key, expected in EXPECTED.items():
        row = by_key[key]
        assert {name: row[name] for name in expected} == expected, key
        assert (row["channel"], row["channel_type"]) == ("Site chat", "webchat")
    # Handle time is the report's own measure (docs/subsystems/reports.md): each closed,
    # assigned segment has one.
    for key in (("Ana", "1"), ("Ana", "2"), ("Bao", "1")):
        assert float(by_key[key]["handle_seconds"]) > 0, key
    assert by_key[("Ana", "1")]["conversation_id"] == day["a"]
    assert (read["rows_done"], read["rows_total"]) == (5, 5)
    assert read["file_name"] == "conversations-2026-01-05-2026-01-05.csv"
    assert read["size_bytes"] == len(download.content)

    # Progress went from nothing to every row, batch by batch, to the requester's socket only.
    updates = [
        e
        for e in published.events
        if e.type == "report_export.updated" and e.payload["id"] == read["id"]
    ]
    assert [
        (e.payload["status"], e.payload["rows_done"], e.payload["rows_total"]) for e in updates
    ] == [
        ("queued", 0, None),
        ("running", 0, 5),
        ("running", 2, 5),
        ("running", 4, 5),
        ("running", 5, 5),
        ("done", 5, 5),
    ]
    assert {e.audience for e in updates} == {(f"user:{world.acme.members['alice'].id}",)}

    # The same rows as XLSX, read back with openpyxl.
    async with world.client("dave") as dave:
        _, download = await export_file(dave, runtime, day_export("conversations", "xlsx"))
    assert download.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(download.content), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == sources.segments.COLUMNS
    assert len(rows) == 6
    ana = next(r for r in rows[1:] if r[2] == "Ana" and r[1] == 1)
    columns = {name: i for i, name in enumerate(sources.segments.COLUMNS)}
    assert ana[columns["started_at"]] == at(6).replace(tzinfo=None)  # 09:00 UTC in São Paulo
    assert ana[columns["first_response_seconds"]] == 240
    assert ana[columns["first_response_within_target"]] is True
    assert ana[columns["outcome"]] == "interview"


async def test_agents_and_overview_exports(
    runtime: Runtime, world: World, day: dict[str, str]
) -> None:
    async with world.client("alice") as alice:
        _, agents = await export_file(alice, runtime, day_export("agents"))
        _, overview = await export_file(alice, runtime, day_export("overview", group_by="hour"))
        _, facts = await export_file(alice, runtime, day_export("facts", metric="closed"))
        _, hired = await export_file(
            alice, runtime, day_export("conversations", outcomes=["interview"])
        )
    table = {row["agent"]: row for row in csv_rows(agents)}
    assert set(table) == {"Alice", "Bob", "Carol", "Dave", "Average"}
    assert (table["Bob"]["closed"], table["Bob"]["first_response_count"]) == ("2.0", "2")
    series = csv_rows(overview)
    assert sum(int(p["opened"]) for p in series) == 4
    assert sum(int(p["closed"]) for p in series) == 4
    closes = csv_rows(facts)
    assert sorted(c["contact_name"] for c in closes) == ["Ana", "Ana", "Bao", "Duc"]
    # The outcome filter: the one segment closed with it.
    assert [(r["contact_name"], r["segment"]) for r in csv_rows(hired)] == [("Ana", "1")]


async def test_an_agent_exports_only_their_own_rows(
    runtime: Runtime, world: World, day: dict[str, str]
) -> None:
    async with world.client("bob") as bob:
        _, download = await export_file(bob, runtime, day_export("conversations"))
        rows = csv_rows(download)
        assert sorted((r["contact_name"], r["segment"]) for r in rows) == [
            ("Ana", "1"),
            ("Ana", "2"),
            ("Bao", "1"),
        ]
        # Asking for Carol's rows still gives his own; the overview is not his to see.
        carol = str(world.acme.members["carol"].id)
        _, own = await export_file(bob, runtime, day_export("agents", agent_ids=[carol]))
        assert [r["agent"] for r in csv_rows(own)] == ["Bob"]
        r = await bob.post(EXPORTS, json=day_export("overview"))
        assert r.status_code == 403, r.text


async def test_formulas_are_made_inert(runtime: Runtime, world: World, clock: FrozenClock) -> None:
    assert [inert(t) for t in ("=1+2", "+1", "-1", "@SUM(A1)", "Ana", "\tx")] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "Ana",
        "'\tx",
    ]
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(world.acme.workspace, "webchat", "Site")
        await s.commit()
    clock.set(at(9))
    name = '=HYPERLINK("http://evil.test","Ana")'
    await Visitor(world, channel.id, name).writes("Hello")
    await update_reports(runtime, {})
    async with world.client("alice") as alice:
        _, as_csv = await export_file(alice, runtime, day_export("conversations"))
        _, as_xlsx = await export_file(alice, runtime, day_export("conversations", "xlsx"))
    assert [r["contact_name"] for r in csv_rows(as_csv)] == ["'" + name]
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=3)
    assert (cell.value, cell.data_type) == (name, "s")


async def test_exports_are_their_requester_s_alone(runtime: Runtime, world: World) -> None:
    async with world.client("alice") as alice:
        read, _ = await export_file(alice, runtime, day_export("conversations"))
        mine = await alice.get(EXPORTS)
        assert [e["id"] for e in mine.json()["items"]] == [read["id"]]
    for name in ("oscar", "olive", "bob", "dave"):
        async with world.client(name) as other:
            for path in (f"{EXPORTS}/{read['id']}", f"{EXPORTS}/{read['id']}/download"):
                r = await other.get(path)
                assert r.status_code == 404, (name, path, r.text)
            assert (await other.get(EXPORTS)).json()["items"] == []


async def test_bad_requests_write_nothing(runtime: Runtime, world: World) -> None:
    other_team = str(world.other.teams["desk"].id)
    async with world.client("alice") as alice:
        for body, status in (
            (day_export("conversations", team_ids=[other_team]), 422),
            (day_export("conversations", channel_ids=[str(uuid.uuid4())]), 422),
            (day_export("conversations", tag_ids=[str(uuid.uuid4())]), 422),
            (day_export("conversations", outcomes=[""]), 422),
            (day_export("facts"), 422),
            (day_export("conversations", fmt="pdf"), 422),
            ({**day_export("conversations"), "end_date": "2026-01-01"}, 422),
        ):
            r = await alice.post(EXPORTS, json=body)
            assert r.status_code == status, (body, r.text)
        for _ in range(3):
            assert (await alice.post(EXPORTS, json=day_export("agents"))).status_code == 201
        r = await alice.post(EXPORTS, json=day_export("agents"))
        assert r.status_code == 409, r.text
        waiting = (await alice.get(EXPORTS)).json()["items"][0]
        r = await alice.get(waiting["download_url"] or f"{EXPORTS}/{waiting['id']}/download")
        assert r.status_code == 409, r.text
    async with runtime.database.read_session() as db:
        assert len(list(await db.scalars(select(ReportExport)))) == 3


async def test_expired_exports_are_deleted_by_the_maintenance_job(
    runtime: Runtime, world: World, clock: FrozenClock, published: Published
) -> None:
    async with world.client("alice") as alice:
        read, _ = await export_file(alice, runtime, day_export("agents"))
    async with runtime.database.read_session() as db:
        export = await db.get(ReportExport, uuid.UUID(read["id"]))
        assert export is not None
        assert export.file_key
        key = export.file_key
    assert runtime.storage is not None
    assert await runtime.storage.exists(key)
    clock.advance(days=6)
    await prune_event_log(runtime, {"retention_hours": 24 * 365})
    assert await runtime.storage.exists(key)
    clock.advance(days=2)
    await prune_event_log(runtime, {"retention_hours": 24 * 365})
    assert not await runtime.storage.exists(key)
    async with world.client("alice") as alice:
        assert (await alice.get(f"{EXPORTS}/{read['id']}")).status_code == 404
    assert published.events[-1].type == "report_export.deleted"


async def test_an_api_token_exports_for_itself(runtime: Runtime, world: World) -> None:
    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(
            world.acme.workspace, "manager", "exporter"
        )
        await s.commit()
    async with world.bearer(token) as bot:
        read, download = await export_file(bot, runtime, day_export("agents"))
        assert download.status_code == 200
        assert [e["id"] for e in (await bot.get(EXPORTS)).json()["items"]] == [read["id"]]
    async with world.client("alice") as alice:
        assert (await alice.get(f"{EXPORTS}/{read['id']}")).status_code == 404


async def test_an_export_whose_job_gives_up_is_failed(
    runtime: Runtime, world: World, published: Published
) -> None:
    async with world.client("alice") as alice:
        r = await alice.post(EXPORTS, json=day_export("agents"))
        assert r.status_code == 201, r.text
        registry = build_registry()
        give_up = registry.dead_handlers["report_export"]
        await give_up(runtime, {"export_id": r.json()["id"]}, "WorkerLost: gone")
        read = (await alice.get(f"{EXPORTS}/{r.json()['id']}")).json()
        assert (read["status"], read["error"], read["download_url"]) == (
            "failed",
            "WorkerLost: gone",
            None,
        )
        assert (await alice.get(f"{EXPORTS}/{read['id']}/download")).status_code == 409
        # A failed export no longer counts against the three that may wait at once.
        for _ in range(3):
            assert (await alice.post(EXPORTS, json=day_export("agents"))).status_code == 201
    states = [
        e.payload["status"]
        for e in published.events
        if e.type == "report_export.updated" and e.payload["id"] == read["id"]
    ]
    assert states == ["queued", "failed"]
