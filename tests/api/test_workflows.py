"""Workflows as managers edit them: a draft saved with a version check, its problems pointed at
the step and outlet, bad input refused with nothing written, the life of a workflow (pause,
resume, archive, unarchive, delete), who may do what, and the list's runs today and publish
dates."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.models import Workflow, WorkflowRun, WorkflowVersion
from frontdesk.core.workspaces.models import Workspace
from frontdesk.db.outbox import EventLogEntry
from tests.api.workflow_helpers import API, broken_definition, create, definition, ok, published
from tests.conftest import World
from tests.factories import Factory


async def _rows(runtime: Runtime) -> tuple[Any, ...]:
    async with runtime.database.read_session() as s:
        workflows = (await s.execute(select(Workflow.id, Workflow.version, Workflow.draft))).all()
        versions = await s.scalar(select(func.count()).select_from(WorkflowVersion))
        audits = await s.scalar(
            select(func.count())
            .select_from(AuditLogEntry)
            .where(AuditLogEntry.action.like("workflow.%"))
        )
        return sorted(map(str, workflows)), versions, audits


async def test_a_draft_is_saved_with_its_version_and_its_problems_point_at_steps(
    world: World, runtime: Runtime
) -> None:
    alice = world.client("alice")
    blank = await ok(alice.post(API, json={"name": "Greeting menu"}), 201)
    assert (blank["status"], blank["version"], blank["published_version"]) == ("draft", 1, None)
    assert blank["draft"]["steps"] == []
    url = f"{API}/{blank['id']}"
    empty = await ok(alice.post(f"{url}/validate"))
    assert empty == {
        "is_valid": False,
        "problems": [
            {
                "code": "no_steps",
                "message": empty["problems"][0]["message"],
                "step_id": None,
                "outlet": None,
            }
        ],
    }

    saved = await ok(alice.patch(url, json={"version": 1, "draft": broken_definition()}))
    assert saved["version"] == 2
    assert saved["draft"]["start"] == "wait"
    checked = await ok(alice.post(f"{url}/validate"))
    found = {(p["code"], p["step_id"], p["outlet"]) for p in checked["problems"]}
    assert ("dangling_outlet", "wait", "next") in found
    assert ("unreachable", "orphan", None) in found
    assert checked["is_valid"] is False

    # Someone else's save since version 1: refused, the draft stays as saved.
    stale = await alice.patch(url, json={"version": 1, "name": "Other", "draft": definition()})
    assert stale.status_code == 409, stale.text
    assert stale.json()["error"]["details"]["field"] == "version"
    after = await ok(alice.get(url))
    assert (after["name"], after["version"], after["draft"]["start"]) == (
        "Greeting menu",
        2,
        "wait",
    )

    fixed = await ok(alice.patch(url, json={"version": 2, "draft": definition()}))
    assert (await ok(alice.post(f"{url}/validate"))) == {"is_valid": True, "problems": []}
    assert fixed["has_unpublished_changes"] is True

    async with runtime.database.read_session() as s:
        actions = list(
            await s.scalars(
                select(AuditLogEntry.action).where(AuditLogEntry.target_id == blank["id"])
            )
        )
        changes = list(
            await s.scalars(
                select(EventLogEntry.payload)
                .where(EventLogEntry.type == "workflow.changed")
                .order_by(EventLogEntry.id)
            )
        )
    # The audit entries share the frozen clock's instant: which were written is checked.
    assert sorted(actions) == ["workflow.created", "workflow.updated", "workflow.updated"]
    assert [c["change"] for c in changes] == ["created", "updated", "updated"]
    assert changes[-1]["workflow"]["version"] == 3


async def test_bad_input_is_refused_and_writes_nothing(world: World, runtime: Runtime) -> None:
    alice = world.client("alice")
    workflow = await create(alice, broken_definition())
    url = f"{API}/{workflow['id']}"
    before = await _rows(runtime)
    unknown_step = definition()
    unknown_step["steps"][0]["type"] = "teleport"
    bad_trigger = definition()
    bad_trigger["trigger"]["type"] = "moon_phase"
    for method, path, body in (
        ("POST", API, {"name": "", "definition": definition()}),
        ("POST", API, {"name": "X", "definition": unknown_step}),
        ("POST", API, {"name": "X", "definition": definition(), "colour": "red"}),
        ("PATCH", url, {"version": 1, "draft": bad_trigger}),
        ("PATCH", url, {"draft": definition()}),  # no version
        ("PATCH", url, {"version": 0}),
        ("POST", f"{url}/rollback", {"number": 1}),  # no version 1 yet
        ("POST", f"{url}/publish", {}),  # the draft has problems
        ("GET", f"{url}/diff?from=x", None),
        ("POST", f"{API}/{workflow['id']}/test-runs", {"contact_id": "nope"}),
    ):
        response = await alice.request(method, path, json=body)
        assert response.status_code == 422, (method, path, response.text)
    refused = await alice.post(f"{url}/publish", json={})
    problems = refused.json()["error"]["details"]["problems"]
    assert {(p["code"], p["step_id"]) for p in problems} >= {
        ("dangling_outlet", "wait"),
        ("unreachable", "orphan"),
    }
    assert await _rows(runtime) == before


async def test_a_workflow_is_paused_resumed_archived_and_deleted(
    world: World, runtime: Runtime
) -> None:
    dave = world.client("dave")
    workflow, _ = await published(dave)
    url = f"{API}/{workflow['id']}"
    paused = await ok(dave.post(f"{url}/pause"))
    assert paused["status"] == "paused"
    assert (await dave.post(f"{url}/pause")).status_code == 409
    assert (await ok(dave.post(f"{url}/resume")))["status"] == "active"
    archived = await ok(dave.post(f"{url}/archive"))
    assert archived["status"] == "archived"
    assert archived["archived_at"] is not None
    listed = await ok(dave.get(API))
    assert workflow["id"] not in [w["id"] for w in listed]
    everything = await ok(dave.get(API, params={"include_archived": "true"}))
    assert [w["status"] for w in everything if w["id"] == workflow["id"]] == ["archived"]
    edit = await dave.patch(url, json={"version": archived["version"], "name": "Again"})
    assert edit.status_code == 409
    assert (await dave.post(f"{url}/publish", json={})).status_code == 409
    # Back as paused: nothing fires until someone resumes it.
    back = await ok(dave.post(f"{url}/unarchive"))
    assert (back["status"], back["archived_at"]) == ("paused", None)

    deleted = await dave.delete(url)
    assert deleted.status_code == 204
    assert (await dave.get(url)).status_code == 404
    async with runtime.database.read_session() as s:
        assert await s.scalar(select(func.count()).select_from(WorkflowVersion)) == 0
        actions = list(
            await s.scalars(
                select(AuditLogEntry.action)
                .where(AuditLogEntry.target_id == workflow["id"])
                .order_by(AuditLogEntry.id)
            )
        )
    assert actions == [
        "workflow.created",
        "workflow.published",
        "workflow.paused",
        "workflow.resumed",
        "workflow.archived",
        "workflow.unarchived",
        "workflow.deleted",
    ]


async def test_owners_and_managers_change_workflows_viewers_read_agents_run_shortcuts(
    world: World, runtime: Runtime
) -> None:
    workflow, _ = await published(world.client("alice"))
    url = f"{API}/{workflow['id']}"
    async with runtime.database.write_session() as s:
        factory = Factory(s, runtime.clock.now())
        tokens = {
            role: await factory.api_token(world.acme.workspace, role, f"{role} bot")
            for role in ("manager", "agent", "viewer")
        }
        await s.commit()
    vera, bob = world.client("vera"), world.client("bob")
    assert (await ok(vera.get(url)))["status"] == "active"
    assert len(await ok(vera.get(f"{url}/versions"))) == 1
    assert (await ok(vera.get(f"{API}/variables")))["variables"]
    for client in (vera, bob, world.bearer(tokens["viewer"]), world.bearer(tokens["agent"])):
        assert (await client.post(API, json={"name": "X"})).status_code == 403
        assert (await client.post(f"{url}/pause")).status_code == 403
        assert (await client.patch(url, json={"version": 2, "name": "X"})).status_code == 403
    for client in (bob, world.bearer(tokens["agent"])):
        assert (await client.get(API)).status_code == 403
        assert (await client.get(url)).status_code == 403
    # Agents see the shortcuts they may run: this workflow's trigger is a shortcut.
    shortcuts = await ok(bob.get(f"{API}/shortcuts"))
    assert shortcuts == [{"id": workflow["id"], "name": "Greeting", "description": ""}]
    made = await ok(world.bearer(tokens["manager"]).post(API, json={"name": "By a bot"}), 201)
    async with runtime.database.read_session() as s:
        entry = await s.scalar(select(AuditLogEntry).where(AuditLogEntry.target_id == made["id"]))
    assert entry is not None
    assert (entry.action, entry.actor_user_id, entry.actor_token_id is not None) == (
        "workflow.created",
        None,
        True,
    )
    assert (await ok(world.client("oscar").get(API))) == []


async def _runs(runtime: Runtime, workspace_id: uuid.UUID, workflow: Any, *at: Any) -> None:
    """Runs of the workflow's version in force started at each (moment, is_test)."""
    async with runtime.database.write_session() as s:
        row = await s.get_one(Workflow, uuid.UUID(workflow["id"]))
        for moment, is_test in at:
            s.add(
                WorkflowRun(
                    workspace_id=workspace_id,
                    workflow_id=row.id,
                    version_id=row.published_version_id,
                    is_test=is_test,
                    started_at=moment,
                    updated_at=moment,
                )
            )
        await s.commit()


async def test_the_list_shows_runs_today_in_the_workspace_zone_and_when_each_was_published(
    world: World, runtime: Runtime, clock: FrozenClock, count_queries: Any
) -> None:
    # São Paulo is three hours behind UTC: on 5 January its day began at 03:00 UTC.
    assert clock.now() == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    async with runtime.database.write_session() as s:
        (await s.get_one(Workspace, world.acme.id)).timezone = "America/Sao_Paulo"
        await s.commit()
    alice = world.client("alice")
    greeting, version = await published(alice)
    clock.advance(hours=3)
    midnight = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    await _runs(
        runtime,
        world.acme.id,
        greeting,
        (midnight, False),
        (midnight + timedelta(hours=8), False),
        (midnight - timedelta(minutes=1), False),  # yesterday there, though today in UTC
        (midnight + timedelta(hours=1), True),  # a test run
    )
    await create(alice, name="Another")
    with count_queries() as few:
        rows = await ok(alice.get(API))
    assert [(r["name"], r["runs_today"], r["published_at"]) for r in rows] == [
        ("Another", 0, None),
        ("Greeting", 2, version["published_at"]),
    ]
    assert datetime.fromisoformat(version["published_at"]) == datetime(2026, 1, 5, 9, tzinfo=UTC)
    detail = await ok(alice.get(f"{API}/{greeting['id']}"))
    assert detail["published_at"] == version["published_at"]
    assert "runs_today" not in detail
    # Another workspace's runs are not counted; more workflows cost no more statements.
    other, _ = await published(world.client("oscar"))
    await _runs(runtime, world.other.id, other, (midnight + timedelta(hours=2), False))
    for i in range(3):
        extra = await create(alice, name=f"Welcome {i}")
        await ok(alice.post(f"{API}/{extra['id']}/publish", json={}), 201)
        await _runs(runtime, world.acme.id, extra, (midnight + timedelta(hours=i), False))
    with count_queries() as many:
        rows = await ok(alice.get(API))
    assert [r["runs_today"] for r in rows] == [0, 2, 1, 1, 1]
    assert few.count == many.count
    # At local midnight the day starts again.
    clock.set(datetime(2026, 1, 6, 3, 0, tzinfo=UTC))
    assert [r["runs_today"] for r in await ok(alice.get(API))] == [0, 0, 0, 0, 0]
