"""The workspace's own abandonment thresholds, and handle time as the active work members record.

- A customer who waits `abandon_after_minutes` with no human reply has abandoned; one whose
  conversation is closed unanswered within `short_abandon_seconds` is a short abandon, kept
  out of the abandonment rate.
- `POST /conversations/{id}/work` records a span of active work: the member's worked time,
  and at the close the segment's handle time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import Visitor, at, ok, reply
from tests.conftest import World
from tests.factories import Factory

TODAY: dict[str, Any] = {"period": "today", "tz": "UTC"}


async def site_chat(runtime: Runtime, world: World, clock: FrozenClock) -> Any:
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(world.acme.workspace, "webchat", "Site")
        channel.team_id = world.acme.teams["support"].id
        await s.commit()
    return channel


async def overview(client: httpx.AsyncClient) -> dict[str, Any]:
    r = await client.get("/api/v1/reports/overview", params=TODAY)
    assert r.status_code == 200, r.text
    current: dict[str, Any] = r.json()["current"]
    return current


async def test_thresholds_are_the_workspace_s_own(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    alice = world.client("alice")
    channel = await site_chat(runtime, world, clock)
    workspace = (await alice.get("/api/v1/workspaces/current")).json()
    assert (workspace["abandon_after_minutes"], workspace["short_abandon_seconds"]) == (60, 10)
    await ok(
        alice.patch(
            "/api/v1/workspaces/current",
            json={"abandon_after_minutes": 30, "short_abandon_seconds": 20},
        )
    )
    clock.set(at(9))
    # Ana's conversation is closed 15 s after she wrote, unanswered: a short abandon.
    a = await Visitor(world, channel.id, "Ana").writes("Wrong chat, sorry")
    clock.set(at(9) + timedelta(seconds=15))
    await ok(alice.post(f"/api/v1/conversations/{a}/close", json={}))
    # Bao is closed 25 s after writing: past the 20 s, a true abandon.
    clock.set(at(9, 10))
    b = await Visitor(world, channel.id, "Bao").writes("Hello?")
    clock.set(at(9, 10) + timedelta(seconds=25))
    await ok(alice.post(f"/api/v1/conversations/{b}/close", json={}))
    # Chi waits: abandoned after 30 minutes (the workspace's threshold), not the default hour.
    clock.set(at(10))
    await Visitor(world, channel.id, "Chi").writes("Anyone?")
    clock.set(at(10, 31))
    await update_reports(runtime, {})
    body = await overview(alice)
    assert (body["abandoned"], body["short_abandoned"], body["answered"]) == (2, 1, 0)
    assert body["abandonment_rate"] == 1.0
    r = await alice.get(
        "/api/v1/reports/conversations", params=TODAY | {"metric": "abandoned_short"}
    )
    assert r.status_code == 200, r.text
    assert [item["conversation_id"] for item in r.json()["items"]] == [a]


@pytest.mark.parametrize(
    "change",
    [
        {"abandon_after_minutes": 0},
        {"abandon_after_minutes": 24 * 60 + 1},
        {"short_abandon_seconds": -1},
        {"short_abandon_seconds": 601},
        {"short_abandon_seconds": "soon"},
    ],
)
async def test_thresholds_out_of_range_are_refused(world: World, change: dict[str, Any]) -> None:
    alice = world.client("alice")
    r = await alice.patch("/api/v1/workspaces/current", json=change)
    assert r.status_code == 422, r.text
    workspace = (await alice.get("/api/v1/workspaces/current")).json()
    assert (workspace["abandon_after_minutes"], workspace["short_abandon_seconds"]) == (60, 10)


async def test_handle_time_is_the_segment_s_active_work(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    alice, bob, dave = (world.client(n) for n in ("alice", "bob", "dave"))
    channel = await site_chat(runtime, world, clock)
    clock.set(at(9))
    await ok(bob.put("/api/v1/me/state", json={"state": "online"}))
    a = await Visitor(world, channel.id, "Ana").writes("Hi")
    await ok(
        alice.post(
            f"/api/v1/conversations/{a}/assign",
            json={"assignee_id": str(world.acme.members["bob"].id)},
        )
    )
    clock.set(at(9, 5))
    await reply(bob, a, "Hello Ana")
    for client, seconds in ((bob, 45.5), (dave, 30), (bob, 60)):
        r = await client.post(f"/api/v1/conversations/{a}/work", json={"seconds": seconds})
        assert r.status_code == 204, r.text
    clock.set(at(9, 30))
    await ok(bob.post(f"/api/v1/conversations/{a}/close", json={}))
    # Work after the close belongs to no segment's handle time, only to the member's time.
    r = await bob.post(f"/api/v1/conversations/{a}/work", json={"seconds": 10})
    assert r.status_code == 204, r.text
    clock.set(at(10))
    await update_reports(runtime, {})
    body = await overview(alice)
    assert body["handle"]["wall"] == {"count": 1, "avg": 135.5, "median": 135.5, "p90": 135.5}
    rows = (await alice.get("/api/v1/reports/agents", params=TODAY)).json()["rows"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["Bob"]["handle"]["count"] == 1
    assert (by_name["Bob"]["worked_seconds"], by_name["Dave"]["worked_seconds"]) == (115.5, 30)
    # Bob was online 09:00-10:00: 115.5 s of work in 3,600 s.
    assert by_name["Bob"]["occupancy"] == pytest.approx(115.5 / 3600)


@pytest.mark.parametrize("seconds", [0, -5, 300.5, "long", None])
async def test_a_work_span_out_of_range_is_refused(
    runtime: Runtime, world: World, clock: FrozenClock, seconds: Any
) -> None:
    channel = await site_chat(runtime, world, clock)
    a = await Visitor(world, channel.id, "Ana").writes("Hi")
    r = await world.client("alice").post(
        f"/api/v1/conversations/{a}/work", json={"seconds": seconds}
    )
    assert r.status_code == 422, r.text


async def test_work_needs_a_member_who_can_write_and_see_it(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    channel = await site_chat(runtime, world, clock)
    a = await Visitor(world, channel.id, "Ana").writes("Hi")
    r = await world.client("vera").post(f"/api/v1/conversations/{a}/work", json={"seconds": 10})
    assert r.status_code == 403, r.text
    r = await world.client("oscar").post(f"/api/v1/conversations/{a}/work", json={"seconds": 10})
    assert r.status_code == 404, r.text
