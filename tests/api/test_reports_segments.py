"""Segments and abandonment as a customer lives them: writing again after a close reopens the
conversation (a new segment, measured from that message), and a customer who waited past the
hour is abandoned at that hour even when an answer comes later — the same whether the report
job runs in between or only at the end."""

from __future__ import annotations

from typing import Any

import pytest

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import Visitor, at, ok, reply
from tests.conftest import World
from tests.factories import Factory


async def play(runtime: Runtime, world: World, clock: FrozenClock, *, job_between: bool) -> None:
    acme = world.acme
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(acme.workspace, "webchat", "Site chat")
        channel.team_id = acme.teams["support"].id
        await s.commit()
    alice, bob = world.client("alice"), world.client("bob")
    ana, chi = Visitor(world, channel.id, "Ana"), Visitor(world, channel.id, "Chi")
    clock.set(at(9))
    a = await ana.writes("Hello")
    await ok(
        alice.post(
            f"/api/v1/conversations/{a}/assign", json={"assignee_id": str(acme.members["bob"].id)}
        )
    )
    clock.set(at(9, 5))
    await reply(bob, a, "Hi Ana")
    clock.set(at(9, 10))
    await ok(bob.post(f"/api/v1/conversations/{a}/close", json={}))
    clock.set(at(10))
    assert await ana.writes("One more thing") == a  # within the reopen window: the same one
    clock.set(at(10, 20))
    await reply(bob, a, "Sure")
    clock.set(at(11))
    c = await chi.writes("Anyone there?")
    if job_between:
        clock.set(at(12, 30))
        await update_reports(runtime, {})
    clock.set(at(12, 40))
    await ok(
        alice.post(
            f"/api/v1/conversations/{c}/assign", json={"assignee_id": str(acme.members["bob"].id)}
        )
    )
    await reply(bob, c, "Sorry for the wait")
    clock.set(at(13))
    await update_reports(runtime, {})


@pytest.mark.parametrize("job_between", [True, False])
async def test_reopening_and_late_answers(
    runtime: Runtime, world: World, clock: FrozenClock, job_between: bool
) -> None:
    await play(runtime, world, clock, job_between=job_between)
    alice = world.client("alice")
    params: dict[str, Any] = {"period": "today", "tz": "UTC"}
    body = (await alice.get("/api/v1/reports/overview", params=params)).json()["current"]
    assert (body["opened"], body["reopened"], body["closed"]) == (2, 1, 1)
    # First responses: Ana 300 s, Ana again 1,200 s (from her 10:00 message), Chi 6,000 s.
    assert body["first_response"]["wall"] == {
        "count": 3,
        "avg": 2500.0,
        "median": 1200.0,
        "p90": 5040.0,  # 1,200 + 0.8 * (6,000 - 1,200)
    }
    assert body["service_level"] == 1 / 3
    # Chi waited past the hour: abandoned at 12:00, and answered at 12:40 all the same.
    assert (body["abandoned"], body["answered"]) == (1, 3)
    r = await alice.get("/api/v1/reports/conversations", params=params | {"metric": "abandoned"})
    [item] = r.json()["items"]
    assert (item["contact_name"], item["at"], item["seconds"], item["detail"]) == (
        "Chi",
        "2026-01-05T12:00:00Z",
        3600.0,
        "idle",
    )
    assert body["resolution"]["wall"]["count"] == 1  # Ana's first segment; the second is open
