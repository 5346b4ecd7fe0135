"""The triggers that start runs by direct call: an agent's shortcut on a conversation they can
see, a signed incoming webhook (refused unsigned, badly signed or replayed), and a schedule that
fires at the wall time of its zone across clock changes, once however many runners claim it."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.errors import Invalid
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.models import WorkflowRun
from frontdesk.core.workflows.triggers import fire_due_schedules, next_fire_time, sign_webhook
from frontdesk.db.outbox import Job
from frontdesk.jobs.workflow_schedules import FIRE_SCHEDULES_JOB, fire_workflow_schedules
from tests.api.workflow_helpers import API, create, definition, ok, published
from tests.conftest import World
from tests.workflows.conftest import run_jobs


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("zone", "after", "expected"),
    [
        # Lisbon: WET (UTC+0) until 29 March 2026 01:00 UTC, then WEST (UTC+1).
        ("Europe/Lisbon", utc(2026, 3, 28, 10), utc(2026, 3, 30, 8)),
        # New York: EST (UTC-5) until 8 March 2026, then EDT (UTC-4).
        ("America/New_York", utc(2026, 3, 6, 15), utc(2026, 3, 9, 13)),
        # and back on 1 November 2026.
        ("America/New_York", utc(2026, 10, 30, 14), utc(2026, 11, 2, 14)),
        # São Paulo keeps UTC-3 all year.
        ("America/Sao_Paulo", utc(2026, 3, 6, 13), utc(2026, 3, 9, 12)),
    ],
)
def test_a_schedule_fires_at_its_wall_time_across_a_clock_change(
    zone: str, after: datetime, expected: datetime
) -> None:
    weekdays_at_nine = {"cron": "0 9 * * 1-5", "timezone": zone}
    assert next_fire_time(weekdays_at_nine, after) == expected


def test_a_time_a_clock_change_skips_fires_after_the_gap_and_bad_schedules_are_refused() -> None:
    # 01:30 does not exist in Lisbon on 29 March 2026 (01:00 → 02:00): 02:00 WEST, 01:00 UTC.
    daily = {"cron": "30 1 * * *", "timezone": "Europe/Lisbon"}
    assert next_fire_time(daily, utc(2026, 3, 28, 12)) == utc(2026, 3, 29, 1)
    assert next_fire_time(daily, utc(2026, 3, 29, 1)) == utc(2026, 3, 30, 0, 30)
    for config in ({"cron": "61 * * * *"}, {"cron": "0 9 * * *", "timezone": "Mars/Olympus"}):
        with pytest.raises(Invalid):
            next_fire_time(config, utc(2026, 1, 1))


async def _runs(runtime: Runtime) -> list[WorkflowRun]:
    async with runtime.database.read_session() as s:
        return list(await s.scalars(select(WorkflowRun).order_by(WorkflowRun.started_at)))


async def test_a_due_schedule_starts_one_run_with_two_runners_claiming_it(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    dave = world.client("dave")
    body = definition("schedule", cron="0 9 * * 1-5", timezone="America/New_York")
    workflow, _ = await published(dave, body)
    # Monday 5 January 2026 09:00 UTC: 04:00 in New York, so 09:00 EST = 14:00 UTC today.
    assert (await ok(dave.get(f"{API}/{workflow['id']}")))["next_fire_at"].startswith(
        "2026-01-05T14:00:00"
    )
    bad = await create(dave, definition("schedule", cron="every day", timezone="Nowhere/Town"))
    refused = await dave.post(f"{API}/{bad['id']}/publish", json={})
    assert {p["code"] for p in refused.json()["error"]["details"]["problems"]} == {
        "invalid_cron",
        "invalid_timezone",
    }

    async def claim() -> int:
        async with runtime.uow() as uow:
            started = await fire_due_schedules(uow)
            await uow.commit()
            return started

    assert await asyncio.gather(claim(), claim()) == [0, 0]  # not due yet
    clock.set(utc(2026, 1, 5, 14, 0, 30))
    assert sorted(await asyncio.gather(claim(), claim())) == [0, 1]
    [run] = await _runs(runtime)
    assert (str(run.workflow_id), run.trigger["type"], run.conversation_id) == (
        workflow["id"],
        "schedule",
        None,
    )
    after = await ok(dave.get(f"{API}/{workflow['id']}"))
    assert after["next_fire_at"].startswith("2026-01-06T14:00:00")

    # The job: starts nothing more today, and sleeps at most 30 s before looking again.
    await fire_workflow_schedules(runtime, {})
    async with runtime.database.read_session() as s:
        wake = await s.scalar(select(func.max(Job.run_at)).where(Job.kind == FIRE_SCHEDULES_JOB))
    assert len(await _runs(runtime)) == 1
    assert wake is not None
    assert wake.replace(tzinfo=UTC) == utc(2026, 1, 5, 14, 1)
    # Paused: it no longer fires; resumed: from now on.
    assert (await ok(dave.post(f"{API}/{workflow['id']}/pause")))["next_fire_at"] is None
    clock.set(utc(2026, 1, 7, 15))
    assert await claim() == 0
    resumed = await ok(dave.post(f"{API}/{workflow['id']}/resume"))
    assert resumed["next_fire_at"].startswith("2026-01-08T14:00:00")


def _signed(secret: str, body: bytes, at: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Frontdesk-Timestamp": str(at),
        "X-Frontdesk-Signature": sign_webhook(secret, str(at), body),
    }


async def test_a_signed_webhook_starts_a_run_and_a_bad_or_replayed_one_does_not(
    world: World, runtime: Runtime, clock: FrozenClock, anon: Any
) -> None:
    alice = world.client("alice")
    workflow, version = await published(alice, definition("webhook"))
    secret, url = version["webhook_secret"], version["webhook_url"]
    assert secret.startswith("whsec_")
    assert url.startswith("http://testserver/api/v1/hooks/workflows/")
    path = url.removeprefix("http://testserver")
    now = int(clock.now().timestamp())
    body = json.dumps({"contact": {"phone": "+60123456789"}, "order": 42}).encode()

    # Unsigned, signed with another secret, signed for another body: 401, no run.
    assert (await anon.post(path, content=body)).status_code == 401
    assert (
        await anon.post(path, content=body, headers=_signed("whsec_x", body, now))
    ).status_code == 401
    other = _signed(secret, b"{}", now)
    assert (await anon.post(path, content=body, headers=other)).status_code == 401
    # An unknown address: 404.
    unknown = await anon.post(path + "x", content=body, headers=_signed(secret, body, now))
    assert unknown.status_code == 404
    assert await _runs(runtime) == []

    accepted = await anon.post(path, content=body, headers=_signed(secret, body, now))
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["contact_id"] == str(world.acme.contacts["erin"].id)
    [run] = await _runs(runtime)
    assert str(run.id) == accepted.json()["run_id"]
    assert run.trigger["body"] == {"contact": {"phone": "+60123456789"}, "order": 42}
    assert run.contact_id == world.acme.contacts["erin"].id

    # The same call six minutes later is a replay: refused, even signed right.
    clock.advance(minutes=6)
    replay = await anon.post(path, content=body, headers=_signed(secret, body, now))
    assert replay.status_code == 401
    assert "five minutes" in replay.json()["error"]["message"]
    # A fresh timestamp is not enough without the secret (it is inside the signed text).
    forged = {**_signed(secret, body, now), "X-Frontdesk-Timestamp": str(now + 360)}
    assert (await anon.post(path, content=body, headers=forged)).status_code == 401
    assert len(await _runs(runtime)) == 1

    # A rotated secret: the old one stops working, the new one (shown once) works.
    rotated = await ok(alice.post(f"{API}/{workflow['id']}/webhook-secret"))
    assert rotated["webhook_secret"] != secret
    later = int(clock.now().timestamp())
    assert (
        await anon.post(path, content=body, headers=_signed(secret, body, later))
    ).status_code == 401
    fresh = await anon.post(
        path, content=b"[1]", headers=_signed(rotated["webhook_secret"], b"[1]", later)
    )
    assert fresh.status_code == 202, fresh.text
    assert fresh.json()["contact_id"] is None
    assert "webhook_secret" not in (await ok(alice.get(f"{API}/{workflow['id']}")))

    # Paused: authentic calls are answered 409 and start nothing; bad JSON is 422.
    await ok(alice.post(f"{API}/{workflow['id']}/pause"))
    paused = await anon.post(
        path, content=b"{}", headers=_signed(rotated["webhook_secret"], b"{}", later)
    )
    assert paused.status_code == 409
    junk = await anon.post(
        path, content=b"{nope", headers=_signed(rotated["webhook_secret"], b"{nope", later)
    )
    assert junk.status_code == 422
    deep = b"[" * 5000 + b"]" * 5000
    nested = await anon.post(
        path, content=deep, headers=_signed(rotated["webhook_secret"], deep, later)
    )
    assert nested.status_code == 422
    assert len(await _runs(runtime)) == 2
    # A workflow that ran is archived, not deleted, so its run log stays.
    assert (await alice.delete(f"{API}/{workflow['id']}")).status_code == 204
    assert (await ok(alice.get(f"{API}/{workflow['id']}")))["status"] == "archived"


async def test_an_agent_runs_a_shortcut_on_a_conversation_they_can_see(
    world: World, runtime: Runtime
) -> None:
    alice, bob, carol = world.client("alice"), world.client("bob"), world.client("carol")
    workflow, _ = await published(alice)
    webhook, _ = await published(alice, definition("webhook"))
    erin_support = world.acme.conversations["erin_support"].id
    path = f"/api/v1/conversations/{erin_support}/shortcuts"

    # Carol (Sales) cannot see Support's conversation; the viewer may not run anything.
    assert (await carol.post(path, json={"workflow_id": workflow["id"]})).status_code == 404
    assert (
        await world.client("vera").post(path, json={"workflow_id": workflow["id"]})
    ).status_code == 403
    not_a_shortcut = await bob.post(path, json={"workflow_id": webhook["id"]})
    assert not_a_shortcut.status_code == 422
    assert (await bob.post(path, json={"workflow_id": str(uuid.uuid4())})).status_code == 422

    run = await ok(bob.post(path, json={"workflow_id": workflow["id"]}), 201)
    assert (run["conversation_id"], run["trigger_type"], run["version_number"]) == (
        str(erin_support),
        "shortcut",
        1,
    )
    assert run["status"] == "running"
    again = await bob.post(path, json={"workflow_id": workflow["id"]})
    assert again.status_code == 409

    # The run log: Bob sees it on his conversation; Carol does not.
    log = await ok(bob.get(f"/api/v1/conversations/{erin_support}/workflow-runs"))
    assert [r["id"] for r in log["items"]] == [run["id"]]
    assert (await ok(bob.get(f"/api/v1/workflow-runs/{run['id']}")))["steps"] == []
    assert (
        await carol.get(f"/api/v1/conversations/{erin_support}/workflow-runs")
    ).status_code == 404
    assert (await carol.get(f"/api/v1/workflow-runs/{run['id']}")).status_code == 404
    # Agents do not cancel; managers do, once.
    assert (await bob.post(f"/api/v1/workflow-runs/{run['id']}/cancel", json={})).status_code == 403
    cancelled = await ok(
        world.client("dave").post(
            f"/api/v1/workflow-runs/{run['id']}/cancel", json={"reason": "wrong one"}
        )
    )
    assert cancelled["status"] == "cancelled"
    assert (
        await world.client("dave").post(f"/api/v1/workflow-runs/{run['id']}/cancel", json={})
    ).status_code == 409
    assert (
        await world.client("dave").post(f"/api/v1/workflow-runs/{run['id']}/retry")
    ).status_code == 409
    listed = await ok(alice.get(f"{API}/{workflow['id']}/runs", params={"status": "cancelled"}))
    assert [r["id"] for r in listed["items"]] == [run["id"]]
    assert (await ok(alice.get(f"{API}/{workflow['id']}/runs", params={"status": "running"})))[
        "items"
    ] == []
    # Cancelled, it may run again on the conversation; the log pages newest first.
    second = await ok(bob.post(path, json={"workflow_id": workflow["id"]}), 201)
    log_path = f"/api/v1/conversations/{erin_support}/workflow-runs"
    first_page = await ok(bob.get(log_path, params={"limit": 1}))
    assert [r["id"] for r in first_page["items"]] in ([run["id"]], [second["id"]])
    rest = await ok(bob.get(log_path, params={"limit": 1, "cursor": first_page["next_cursor"]}))
    assert {r["id"] for r in first_page["items"] + rest["items"]} == {run["id"], second["id"]}
    assert rest["next_cursor"] is None
    assert (await bob.get(log_path, params={"cursor": "garbage"})).status_code == 422


async def test_a_test_run_runs_the_draft_against_a_sample_contact(
    world: World, runtime: Runtime
) -> None:
    alice = world.client("alice")
    workflow = await create(alice)
    run = await ok(
        alice.post(
            f"{API}/{workflow['id']}/test-runs",
            json={"contact_id": str(world.acme.contacts["frank"].id), "variables": {"x": 1}},
        ),
        201,
    )
    assert (run["is_test"], run["contact_id"], run["variables"]) == (
        True,
        str(world.acme.contacts["frank"].id),
        {"x": 1},
    )
    olga = world.other.contacts["olga"].id
    refused = await alice.post(f"{API}/{workflow['id']}/test-runs", json={"contact_id": str(olga)})
    assert refused.status_code == 422
    # A test run neither publishes nor shows as a version, nor keeps the draft from deletion.
    assert await ok(alice.get(f"{API}/{workflow['id']}/versions")) == []
    assert (await alice.delete(f"{API}/{workflow['id']}")).status_code == 204
    assert await _runs(runtime) == []


async def test_a_webhook_address_is_limited_per_minute(anon: Any) -> None:
    path = f"/api/v1/hooks/workflows/{uuid.uuid4().hex}"
    answers = [(await anon.post(path, content=b"{}")).status_code for _ in range(121)]
    assert set(answers[:120]) == {404}
    assert answers[120] == 429
    limited = await anon.post(path, content=b"{}")
    assert int(limited.headers["Retry-After"]) >= 1


async def test_a_failed_run_shows_its_error_and_is_retried_from_the_failed_step(
    world: World, runtime: Runtime, clock: FrozenClock, anon: Any
) -> None:
    alice = world.client("alice")
    # A note needs a conversation: a webhook call without one fails at the first step.
    _, version = await published(alice, definition("webhook"))
    path = version["webhook_url"].removeprefix("http://testserver")
    signed = _signed(version["webhook_secret"], b"{}", int(clock.now().timestamp()))
    call = await anon.post(path, content=b"{}", headers=signed)
    run_id = call.json()["run_id"]
    await run_jobs(runtime)
    failed = await ok(alice.get(f"/api/v1/workflow-runs/{run_id}"))
    assert failed["status"] == "failed"
    [step] = failed["steps"]
    assert (step["step_id"], step["status"]) == ("note", "failed")
    assert step["error"]
    assert (
        await world.client("vera").post(f"/api/v1/workflow-runs/{run_id}/retry")
    ).status_code == 403
    retried = await ok(world.client("dave").post(f"/api/v1/workflow-runs/{run_id}/retry"), 201)
    assert (retried["id"], retried["status"], retried["current_step"]) == (
        run_id,
        "running",
        "note",
    )
    async with runtime.database.read_session() as s:
        actions = list(
            await s.scalars(select(AuditLogEntry.action).where(AuditLogEntry.target_id == run_id))
        )
    assert actions == ["workflow_run.retried"]
