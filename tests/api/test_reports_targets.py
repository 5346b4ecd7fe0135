"""Outcome targets: owners and managers set them for each agent of a team, a team, or one
agent; bad input is refused with nothing written; every change is audited and announced; no
other workspace sees or touches them."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.reports.target_models import OutcomeTarget
from frontdesk.core.runtime import Runtime
from tests.conftest import Published, World

T = "/api/v1/reports/targets"


async def _count(runtime: Runtime) -> int:
    async with runtime.database.read_session() as s:
        return int(await s.scalar(select(func.count()).select_from(OutcomeTarget)) or 0)


async def _create(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await client.post(T, json=body)


async def test_a_manager_sets_changes_and_removes_targets(
    world: World, runtime: Runtime, published: Published
) -> None:
    acme = world.acme
    dave = world.client("dave")
    support = str(acme.teams["support"].id)
    r = await _create(
        dave, outcome="hired", count=8, period="day", applies_to="each_agent", team_id=support
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["outcome"] == "hired"
    assert (created["count"], created["period"], created["applies_to"]) == (8, "day", "each_agent")
    assert created["team_id"] == support
    assert created["agent_id"] is None
    r = await _create(
        dave,
        outcome="interview",
        count=20,
        period="week",
        applies_to="agent",
        agent_id=str(acme.members["bob"].id),
    )
    assert r.status_code == 201, r.text
    listed = (await world.client("bob").get(T)).json()
    assert [t["outcome"] for t in listed] == ["hired", "interview"]

    r = await dave.patch(f"{T}/{created['id']}", json={"count": 10, "period": "week"})
    assert r.status_code == 200, r.text
    assert (r.json()["count"], r.json()["period"]) == (10, "week")
    r = await world.client("alice").delete(f"{T}/{created['id']}")
    assert r.status_code == 204, r.text
    assert [t["outcome"] for t in (await dave.get(T)).json()] == ["interview"]

    changes = [e.payload["change"] for e in published.events if e.type == "outcome_target.changed"]
    assert changes == ["created", "created", "updated", "deleted"]
    async with runtime.database.read_session() as s:
        actions = list(
            await s.scalars(
                select(AuditLogEntry.action)
                .where(AuditLogEntry.target_type == "outcome_target")
                .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
            )
        )
    assert sorted(actions) == sorted(
        [
            "outcome_target.created",
            "outcome_target.created",
            "outcome_target.updated",
            "outcome_target.deleted",
        ]
    )


async def test_bad_targets_are_refused_and_nothing_is_written(
    world: World, runtime: Runtime
) -> None:
    acme = world.acme
    alice = world.client("alice")
    support = str(acme.teams["support"].id)
    bob = str(acme.members["bob"].id)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"outcome": "hired", "count": 8, "applies_to": "each_agent"}, "team_id"),
        ({"outcome": "hired", "count": 8, "applies_to": "team", "agent_id": bob}, "team_id"),
        (
            {
                "outcome": "hired",
                "count": 8,
                "applies_to": "agent",
                "agent_id": bob,
                "team_id": support,
            },
            "team_id",
        ),
        ({"outcome": "hired", "count": 8, "applies_to": "agent"}, "agent_id"),
        (
            {
                "outcome": "hired",
                "count": 8,
                "applies_to": "agent",
                "agent_id": str(acme.members["vera"].id),
            },
            "agent_id",
        ),
        (
            {
                "outcome": "hired",
                "count": 8,
                "applies_to": "agent",
                "agent_id": str(world.other.members["olive"].id),
            },
            "agent_id",
        ),
        (
            {
                "outcome": "hired",
                "count": 8,
                "applies_to": "team",
                "team_id": str(world.other.teams["desk"].id),
            },
            "team_id",
        ),
        ({"outcome": "hired", "count": 0, "applies_to": "team", "team_id": support}, "count"),
        ({"outcome": "  ", "count": 1, "applies_to": "team", "team_id": support}, "outcome"),
        (
            {
                "outcome": "hired",
                "count": 1,
                "period": "year",
                "applies_to": "team",
                "team_id": support,
            },
            "period",
        ),
    ]
    for body, field in bad:
        r = await alice.post(T, json=body)
        assert r.status_code == 422, (body, r.text)
        assert field in r.text, (body, r.text)
    assert await _count(runtime) == 0

    first = await _create(alice, outcome="hired", count=8, applies_to="team", team_id=support)
    assert first.status_code == 201, first.text
    again = await _create(alice, outcome="hired", count=9, applies_to="team", team_id=support)
    assert again.status_code == 409, again.text
    # The same outcome for each agent of the team is another target.
    each = await _create(alice, outcome="hired", count=2, applies_to="each_agent", team_id=support)
    assert each.status_code == 201, each.text
    r = await alice.patch(f"{T}/{first.json()['id']}", json={"count": -1})
    assert r.status_code == 422, r.text
    assert await _count(runtime) == 2


async def test_agents_and_viewers_only_read_targets(world: World, runtime: Runtime) -> None:
    support = str(world.acme.teams["support"].id)
    for name in ("bob", "vera"):
        r = await _create(
            world.client(name), outcome="hired", count=8, applies_to="team", team_id=support
        )
        assert r.status_code == 403, r.text
    made = await _create(
        world.client("alice"), outcome="hired", count=8, applies_to="team", team_id=support
    )
    target = made.json()["id"]
    assert (await world.client("bob").patch(f"{T}/{target}", json={"count": 1})).status_code == 403
    assert (await world.client("vera").delete(f"{T}/{target}")).status_code == 403
    assert await _count(runtime) == 1


async def test_another_workspace_never_sees_or_touches_them(world: World) -> None:
    support = str(world.acme.teams["support"].id)
    made = await _create(
        world.client("alice"), outcome="hired", count=8, applies_to="team", team_id=support
    )
    target = made.json()["id"]
    oscar = world.client("oscar")
    assert (await oscar.get(T)).json() == []
    assert (await oscar.patch(f"{T}/{target}", json={"count": 1})).status_code == 404
    assert (await oscar.delete(f"{T}/{target}")).status_code == 404
    listed = (await world.client("dave").get(T)).json()
    assert [(t["id"], t["count"]) for t in listed] == [(target, 8)]
