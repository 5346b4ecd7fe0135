"""The wallboard after the scripted day (tests/api/test_reports_scenario.py), at 20:00 UTC, with
two more customers: Eva writes to Support at 19:30 and waits in its queue (Bob is offline, Alice
takes nobody); Gil writes at 19:50 and Alice gives him to Carol (Sales), who has not answered.

Support's day in the workspace's time zone (UTC): first responses A 240 s (within 5 minutes),
A again 900 s, and B's 1,200 s counts for Sales (it was Sales' when Carol answered); closes A,
A and D; abandoned C and D. Nothing was answered in the last 30 minutes.
"""

from __future__ import annotations

from typing import Any

import pytest

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import Visitor, at, ok, play_the_day
from tests.conftest import World


@pytest.fixture
async def board(runtime: Runtime, world: World, clock: FrozenClock) -> dict[str, Any]:
    day = await play_the_day(runtime, world, clock)
    acme = world.acme
    channel_id = await _site_chat(world)
    clock.set(at(19, 30))
    await Visitor(world, channel_id, "Eva").writes("Is anyone there?")
    clock.set(at(19, 50))
    gil = await Visitor(world, channel_id, "Gil").writes("I want to sell")
    await ok(
        world.client("alice").post(
            f"/api/v1/conversations/{gil}/transfer",
            json={
                "team_id": str(acme.teams["sales"].id),
                "assignee_id": str(acme.members["carol"].id),
            },
        )
    )
    clock.set(at(20))
    await update_reports(runtime, {})
    r = await world.client("dave").get("/api/v1/wallboard")
    assert r.status_code == 200, r.text
    return {"day": day, "body": r.json()}


async def _site_chat(world: World) -> Any:
    channels = (await world.client("alice").get("/api/v1/channels")).json()
    return next(c["id"] for c in channels if c["name"] == "Site chat")


def tile(body: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in body["teams"] if t["name"] == name)
    return found


async def test_every_team_s_queue_and_day(world: World, board: dict[str, Any]) -> None:
    body = board["body"]
    assert body["service_level_target"] == 0.8
    support = tile(body, "Support")
    assert support["team_id"] == str(world.acme.teams["support"].id)
    # Eva has waited 30 minutes in the queue; C (Chi) too, since 16:30, never answered.
    assert support["waiting_now"] == 2
    assert support["longest_wait_seconds"] == 3.5 * 3600
    # Eva, Chi, and Erin of the starting world (with Bob) have had no human reply.
    assert support["awaiting_first_reply"] == 3
    assert support["threshold_seconds"] == 300.0
    assert support["service_level_today"] == 0.5  # A in 240 s; A again in 900 s
    assert (support["service_level_30_minutes"], support["answered_30_minutes"]) == (None, 0)
    assert (support["handled_today"], support["abandoned_today"]) == (3, 2)
    sales = tile(body, "Sales")
    # Erin's email of the starting world waits in Sales' queue; Gil waits for Carol.
    assert (sales["waiting_now"], sales["awaiting_first_reply"]) == (1, 2)
    assert sales["service_level_today"] == 0.0  # B answered in 1,200 s
    assert (sales["handled_today"], sales["abandoned_today"]) == (1, 0)
    # Frank's email has no team: its own tile, shared by every agent.
    shared = next(t for t in body["teams"] if t["team_id"] is None)
    assert (shared["waiting_now"], shared["awaiting_first_reply"]) == (1, 1)


async def test_every_agent_s_state_and_load(world: World, board: dict[str, Any]) -> None:
    agents = {a["name"]: a for a in board["body"]["agents"]}
    assert set(agents) == {"Alice", "Bob", "Carol", "Dave"}
    bob, carol = agents["Bob"], agents["Carol"]
    assert (bob["state"], bob["state_since"]) == ("offline", "2026-01-05T17:00:00Z")
    assert bob["team_ids"] == [str(world.acme.teams["support"].id)]
    # Erin's conversation of the starting world waits for Bob.
    assert (bob["open_conversations"], bob["awaiting_reply"]) == (1, 1)
    assert carol["state"] == "online"
    assert (carol["open_conversations"], carol["awaiting_reply"]) == (1, 1)
    assert carol["oldest_unanswered_since"] == "2026-01-05T19:50:00Z"


@pytest.mark.parametrize("name", ["bob", "carol"])
async def test_agents_do_not_see_the_wallboard(world: World, name: str) -> None:
    r = await world.client(name).get("/api/v1/wallboard")
    assert r.status_code == 403, r.text


async def test_a_viewer_sees_it_and_another_workspace_sees_its_own(world: World) -> None:
    r = await world.client("vera").get("/api/v1/wallboard")
    assert r.status_code == 200, r.text
    theirs = (await world.client("oscar").get("/api/v1/wallboard")).json()
    assert [t["name"] for t in theirs["teams"]] == ["Desk"]
    assert {a["name"] for a in theirs["agents"]} == {"Oscar", "Olive"}
