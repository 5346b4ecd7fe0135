"""SLA policies as customers and agents live them: due times in business hours across a weekend
and a holiday, at-risk and breach announced once each with notices in the right bells, targets
met in time counted in reports, the two SLA views, and the policy API's refusals."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from frontdesk.jobs.maintenance import prune_event_log
from frontdesk.jobs.reports import update_reports
from frontdesk.jobs.sla import track_sla_targets
from tests.api.test_reports_scenario import Visitor, ok, reply
from tests.conftest import World
from tests.factories import Factory

API = "/api/v1/sla-policies"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def support_chat(runtime: Runtime, world: World) -> uuid.UUID:
    """A website chat channel whose conversations go to Support."""
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            world.acme.workspace, "webchat", "Site chat"
        )
        channel.team_id = world.acme.teams["support"].id
        await s.commit()
    return channel.id


async def policy(world: World, **fields: Any) -> dict[str, Any]:
    body = {"name": "Support", "team_id": str(world.acme.teams["support"].id), **fields}
    return dict(await ok(world.client("alice").post(API, json=body)))


async def conversation(world: World, conversation_id: str) -> dict[str, Any]:
    return dict(await ok(world.client("alice").get(f"/api/v1/conversations/{conversation_id}")))


async def events(runtime: Runtime, kind: str) -> list[dict[str, Any]]:
    async with runtime.database.read_session() as s:
        rows = await s.scalars(
            select(EventLogEntry).where(EventLogEntry.type == kind).order_by(EventLogEntry.id)
        )
        return [r.payload for r in rows]


async def sla_notices(client: httpx.AsyncClient) -> list[tuple[str, str | None]]:
    items = (await client.get("/api/v1/notifications")).json()["items"]
    return sorted((n["conversation"]["id"], n["detail"]) for n in items if n["kind"] == "sla")


async def wallboard_sla(world: World) -> tuple[int, int]:
    """The Support tile's conversations at risk and breached."""
    tiles = (await world.client("dave").get("/api/v1/wallboard")).json()["teams"]
    [support] = [t for t in tiles if t["team_id"] == str(world.acme.teams["support"].id)]
    return support["sla_at_risk"], support["sla_breached"]


async def test_business_hours_due_times_skip_the_weekend_and_a_holiday(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    support = world.acme.teams["support"].id
    alice = world.client("alice")
    hours = {
        "timezone": "America/Sao_Paulo",  # UTC-3: 09:00-17:00 there is 12:00-20:00 UTC
        "periods": [
            {"weekday": day, "start": "09:00", "end": "17:00"}
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        ],
        "holidays": [{"date": "2026-01-12", "name": "Company day"}],  # Monday
    }
    await ok(alice.put(f"/api/v1/teams/{support}/business-hours", json=hours))
    await policy(world, first_response_minutes=120, resolution_minutes=480, is_business_hours=True)
    channel = await support_chat(runtime, world)
    clock.set(utc(9, 19))  # Friday 16:00 in São Paulo: one open hour left in the week
    ana = await Visitor(world, channel, "Ana").writes("Hello?")
    await track_sla_targets(runtime, {})
    sla = (await conversation(world, ana))["sla"]
    # One hour on Friday; Saturday, Sunday and Monday's holiday closed; one more on Tuesday.
    first = {
        "target": "first_response",
        "due_at": iso(utc(13, 13)),
        "at_risk_at": iso(utc(13, 12, 36)),
    }
    resolution = {
        "target": "resolution",
        "due_at": iso(utc(13, 19)),
        "at_risk_at": iso(utc(13, 17, 24)),
    }
    assert sla["targets"] == [first, resolution]
    assert (sla["target"], sla["due_at"], sla["status"]) == (
        "first_response",
        iso(utc(13, 13)),
        "ok",
    )
    # Calendar time instead: two hours from Friday 19:00 UTC.
    [found] = (await alice.get(API)).json()
    await ok(alice.patch(f"{API}/{found['id']}", json={"is_business_hours": False}))
    sla = (await conversation(world, ana))["sla"]
    assert sla["due_at"] == iso(utc(9, 21))
    # Nothing is announced over the weekend while the business-hours clock is stopped.
    await ok(alice.patch(f"{API}/{found['id']}", json={"is_business_hours": True}))
    clock.set(utc(12, 23))  # the Monday holiday, late
    await track_sla_targets(runtime, {})
    assert await events(runtime, "conversation.sla_at_risk") == []
    assert (await conversation(world, ana))["sla"]["status"] == "ok"


async def test_at_risk_and_breach_are_announced_once_to_the_assignee_and_supervisors(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    acme = world.acme
    alice, bob = world.client("alice"), world.client("bob")
    await policy(world, first_response_minutes=10, at_risk_percent=80)
    channel = await support_chat(runtime, world)
    clock.set(utc(5, 9))
    ana = await Visitor(world, channel, "Ana").writes("Hello")
    await ok(
        alice.post(
            f"/api/v1/conversations/{ana}/assign", json={"assignee_id": str(acme.members["bob"].id)}
        )
    )
    clock.set(utc(5, 9, 5))
    await track_sla_targets(runtime, {})
    assert await sla_notices(bob) == []
    clock.set(utc(5, 9, 8))
    await track_sla_targets(runtime, {})
    await track_sla_targets(runtime, {})  # a second run announces nothing again
    [risk] = await events(runtime, "conversation.sla_at_risk")
    assert (risk["conversation_id"], risk["target"], risk["due_at"]) == (
        ana,
        "first_response",
        utc(5, 9, 10).isoformat(),
    )
    for member in ("alice", "bob", "dave"):
        assert await sla_notices(world.client(member)) == [(ana, "first_response:at_risk")]
    assert await sla_notices(world.client("carol")) == []
    at_risk = (await alice.get("/api/v1/conversations", params={"sla": "at_risk"})).json()
    assert [c["id"] for c in at_risk["items"]] == [ana]
    assert await wallboard_sla(world) == (1, 0)
    clock.set(utc(5, 9, 11))
    await track_sla_targets(runtime, {})
    clock.set(utc(5, 9, 12))
    await track_sla_targets(runtime, {})
    assert len(await events(runtime, "conversation.sla_breached")) == 1
    for member in ("alice", "bob", "dave"):
        assert await sla_notices(world.client(member)) == [
            (ana, "first_response:at_risk"),
            (ana, "first_response:breached"),
        ]
    assert (await conversation(world, ana))["sla"]["status"] == "breached"
    assert await wallboard_sla(world) == (0, 1)
    breached = (await bob.get("/api/v1/conversations", params={"sla": "breached"})).json()
    assert [c["id"] for c in breached["items"]] == [ana]
    assert (await bob.get("/api/v1/conversations", params={"sla": "at_risk"})).json()["items"] == []
    # A saved view of breached conversations counts it.
    view = await ok(
        alice.post(
            "/api/v1/views",
            json={"name": "Late", "is_shared": True, "filters": {"sla": "breached"}},
        )
    )
    counts = (await alice.get("/api/v1/views/counts")).json()["counts"]
    assert counts[view["id"]] == 1
    # The late reply ends the clock: neither met nor breached a second time.
    clock.set(utc(5, 9, 15))
    await reply(bob, ana, "Sorry for the wait")
    await track_sla_targets(runtime, {})
    assert len(await events(runtime, "conversation.sla_breached")) == 1
    assert await events(runtime, "conversation.sla_met") == []
    assert (await conversation(world, ana))["sla"]["status"] == "none"
    assert (await alice.get("/api/v1/views/counts")).json()["counts"][view["id"]] == 0


async def test_clocks_follow_replies_priority_close_and_reopen_and_reports_count_them(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    acme = world.acme
    alice, bob = world.client("alice"), world.client("bob")
    await policy(world, first_response_minutes=10, next_response_minutes=30, resolution_minutes=240)
    await policy(
        world, name="Urgent", priority="urgent", first_response_minutes=5, resolution_minutes=60
    )
    channel = await support_chat(runtime, world)
    clock.set(utc(5, 9))
    visitor = Visitor(world, channel, "Ana")
    ana = await visitor.writes("Hello")
    await ok(
        alice.post(
            f"/api/v1/conversations/{ana}/assign", json={"assignee_id": str(acme.members["bob"].id)}
        )
    )
    await track_sla_targets(runtime, {})
    sla = (await conversation(world, ana))["sla"]
    assert [(t["target"], t["due_at"]) for t in sla["targets"]] == [
        ("first_response", iso(utc(5, 9, 10))),
        ("resolution", iso(utc(5, 13))),
    ]
    # Urgent now: the urgent policy's targets, from the same clock starts.
    await ok(alice.patch(f"/api/v1/conversations/{ana}", json={"priority": "urgent"}))
    await track_sla_targets(runtime, {})
    sla = (await conversation(world, ana))["sla"]
    assert [(t["target"], t["due_at"]) for t in sla["targets"]] == [
        ("first_response", iso(utc(5, 9, 5))),
        ("resolution", iso(utc(5, 10))),
    ]
    await ok(alice.patch(f"/api/v1/conversations/{ana}", json={"priority": "normal"}))
    clock.set(utc(5, 9, 4))
    await reply(bob, ana, "Hi Ana")
    clock.set(utc(5, 9, 20))
    await visitor.writes("One more question")
    await track_sla_targets(runtime, {})
    sla = (await conversation(world, ana))["sla"]
    assert [(t["target"], t["due_at"]) for t in sla["targets"]] == [
        ("next_response", iso(utc(5, 9, 50))),
        ("resolution", iso(utc(5, 13))),
    ]
    clock.set(utc(5, 9, 30))
    await reply(bob, ana, "Sure")
    clock.set(utc(5, 10))
    await ok(bob.post(f"/api/v1/conversations/{ana}/close", json={}))
    await track_sla_targets(runtime, {})
    met = [(e["target"], e["at"]) for e in await events(runtime, "conversation.sla_met")]
    assert met == [
        ("first_response", utc(5, 9, 4).isoformat()),
        ("next_response", utc(5, 9, 30).isoformat()),
        ("resolution", utc(5, 10).isoformat()),
    ]
    assert (await conversation(world, ana))["sla"]["targets"] == []
    # Reopened: the resolution clock starts again from the reopening.
    clock.set(utc(5, 11))
    await ok(bob.post(f"/api/v1/conversations/{ana}/reopen", json={}))
    await track_sla_targets(runtime, {})
    sla = (await conversation(world, ana))["sla"]
    assert [(t["target"], t["due_at"]) for t in sla["targets"]] == [("resolution", iso(utc(5, 15)))]
    # Beside a conversation of the same team whose first response was breached.
    clock.set(utc(5, 11, 30))
    chi = await Visitor(world, channel, "Chi").writes("Anyone?")
    clock.set(utc(5, 11, 45))
    await track_sla_targets(runtime, {})
    await update_reports(runtime, {})
    params = {"period": "today", "tz": "UTC"}
    figures = (await alice.get("/api/v1/reports/overview", params=params)).json()["current"]
    assert (figures["sla_met"], figures["sla_breached"], figures["sla_met_rate"]) == (3, 1, 0.75)
    teams = (await alice.get("/api/v1/reports/teams", params=params)).json()["rows"]
    [row] = [r for r in teams if r["id"] == str(acme.teams["support"].id)]
    assert row["current"]["sla_met_rate"] == 0.75
    assert chi != ana


async def test_policy_api_refuses_bad_input_and_audits_changes(
    runtime: Runtime, world: World
) -> None:
    alice, bob = world.client("alice"), world.client("bob")
    support = str(world.acme.teams["support"].id)
    bad = [
        {"name": "No target", "team_id": support},
        {"name": "Zero", "first_response_minutes": 0},
        {"name": "Huge", "resolution_minutes": 10**9},
        {"name": "Risk", "first_response_minutes": 5, "at_risk_percent": 100},
        {"name": "", "first_response_minutes": 5},
        {"name": "Prio", "first_response_minutes": 5, "priority": "critical"},
        {"name": "Extra", "first_response_minutes": 5, "colour": "red"},
        {
            "name": "Theirs",
            "first_response_minutes": 5,
            "team_id": str(world.other.teams["desk"].id),
        },
    ]
    for body in bad:
        r = await alice.post(API, json=body)
        assert r.status_code == 422, (body, r.text)
    r = await bob.post(API, json={"name": "Mine", "first_response_minutes": 5})
    assert r.status_code == 403, r.text
    created = await policy(world, first_response_minutes=15)
    twin = await alice.post(
        API, json={"name": "Twin", "team_id": support, "first_response_minutes": 5}
    )
    assert twin.status_code == 409, twin.text
    assert (
        await alice.post(API, json={"name": "All", "first_response_minutes": 30})
    ).status_code == 201
    url = f"{API}/{created['id']}"
    assert (await alice.patch(url, json={"name": None})).status_code == 422
    assert (await alice.patch(url, json={"first_response_minutes": None})).status_code == 422
    assert (await bob.patch(url, json={"name": "x"})).status_code == 403
    assert (await bob.get(url)).json()["first_response_minutes"] == 15  # every member reads
    changed = await ok(alice.patch(url, json={"resolution_minutes": 600, "priority": "high"}))
    assert (changed["resolution_minutes"], changed["priority"]) == (600, "high")
    assert (await bob.delete(url)).status_code == 403
    assert (await alice.delete(url)).status_code == 204
    assert (await alice.get(url)).status_code == 404
    async with runtime.database.read_session() as s:
        actions = list(
            await s.scalars(
                select(AuditLogEntry.action)
                .where(AuditLogEntry.target_type == "sla_policy")
                .order_by(AuditLogEntry.created_at, AuditLogEntry.action)
            )
        )
        changes = await s.scalar(
            select(func.count())
            .select_from(EventLogEntry)
            .where(EventLogEntry.type == "sla_policy.changed")
        )
    assert sorted(actions) == sorted(
        ["sla_policy.created", "sla_policy.created", "sla_policy.updated", "sla_policy.deleted"]
    )
    assert changes == 4
    r = await alice.get("/api/v1/conversations", params={"sla": "late"})
    assert r.status_code == 422, r.text


async def test_pruning_keeps_the_events_the_sla_job_has_not_read(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    frank = world.acme.conversations["frank_unassigned"].id
    alice = world.client("alice")
    await ok(alice.patch(f"/api/v1/conversations/{frank}", json={"priority": "high"}))
    await track_sla_targets(runtime, {})
    await ok(alice.patch(f"/api/v1/conversations/{frank}", json={"priority": "low"}))
    clock.advance(hours=30)
    await prune_event_log(runtime, {"retention_hours": 24})
    kept = await events(runtime, "conversation.updated")
    assert [e["conversation"]["priority"] for e in kept] == ["low"]
    await track_sla_targets(runtime, {})  # reads it: then it may go
    await prune_event_log(runtime, {"retention_hours": 24})
    assert await events(runtime, "conversation.updated") == []
