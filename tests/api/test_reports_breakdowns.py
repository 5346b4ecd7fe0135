"""The breakdown reports (teams, channels, responses, service level, routing) and the tag and
outcome filters, on the scripted day of test_reports_scenario.py, every figure worked out by hand.

The day's facts by team (UTC): Support opens A, B, C and D; A's first responses (240 s, 900 s)
are Support's, B's (1,200 s, by Carol after the transfer) is Sales'. Support closes A twice
(7,200 s and 1,800 s) and D (1,200 s); Sales closes B (1,800 s). C (idle, 3,600 s) and D
(closed, 1,200 s) are Support's abandons.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import (
    DAY,
    HO_CHI_MINH,
    NONE,
    SAO_PAULO,
    SAO_PAULO_DAY,
    Visitor,
    custom,
    durations,
    figures,
    ok,
    play_the_day,
    stat,
)
from tests.conftest import World

R = "/api/v1/reports"

SUPPORT = figures(
    opened=4,
    reopened=1,
    closed=3,
    assigned=3,
    transferred=1,
    abandoned=2,
    answered=2,
    # 240 s (0 in hours: before 10:00) and 900 s.
    first_response=durations(stat(2, 570.0, 570.0, 834.0), stat(2, 450.0, 450.0, 810.0)),
    assignment_response=durations(stat(2, 810.0, 810.0, 1362.0), stat(2, 750.0, 750.0, 1350.0)),
    # 240 s (0 in hours), 600 s and 900 s.
    response=durations(stat(3, 580.0, 600.0, 840.0), stat(3, 500.0, 600.0, 840.0)),
    # 7,200 s (3,600 in hours), 1,800 s and D's 1,200 s (0 in hours: after 18:00).
    resolution=durations(stat(3, 3400.0, 1800.0, 6120.0), stat(3, 1800.0, 1800.0, 3240.0)),
    # Bob's active work on A: 180 s (60 in hours), then 90 s.
    handle=durations(stat(2, 135.0, 135.0, 171.0), stat(2, 75.0, 75.0, 87.0)),
    service_level=0.5,
    average_speed_of_answer=570.0,
    abandonment_rate=0.5,
)
B_ONLY = stat(1, 1200.0, 1200.0, 1200.0)
SALES = figures(
    closed=1,
    assigned=1,
    answered=1,
    first_response=durations(B_ONLY, B_ONLY),
    response=durations(B_ONLY, B_ONLY),
    resolution=durations(stat(1, 1800.0, 1800.0, 1800.0), stat(1, 1800.0, 1800.0, 1800.0)),
    handle=durations(stat(1, 270.0, 270.0, 270.0), stat(1, 270.0, 270.0, 270.0)),  # B's 30 + 240 s
    service_level=0.0,
    average_speed_of_answer=1200.0,
    abandonment_rate=0.0,
)


@pytest.fixture
async def day(runtime: Runtime, world: World, clock: FrozenClock) -> dict[str, str]:
    return await play_the_day(runtime, world, clock)


async def get(world: World, path: str, **params: Any) -> Any:
    r = await world.client("alice").get(f"{R}/{path}", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def rows_by_name(body: Any) -> dict[str | None, Any]:
    return {row["name"]: row for row in body["rows"]}


async def check_teams(world: World) -> None:
    body = await get(world, "teams", **custom(DAY, SAO_PAULO))
    assert [r["name"] for r in body["rows"]] == ["Sales", "Support", None]
    rows = rows_by_name(body)
    assert rows["Support"]["current"] == SUPPORT
    assert rows["Sales"]["current"] == SALES
    assert rows[None]["current"] == figures()  # Frank's email, waiting with no team
    assert all(row["previous"] == figures() for row in body["rows"])
    # Waiting now: Erin's and C (Support), Erin's sales question, Frank's (no team).
    assert {name: row["waiting_now"] for name, row in rows.items()} == {
        "Support": 2,
        "Sales": 1,
        None: 1,
    }
    # The next day in São Paulo has the 5th as its period before.
    body = await get(world, "teams", **custom("2026-01-06", SAO_PAULO))
    assert rows_by_name(body)["Support"]["previous"] == SUPPORT
    assert rows_by_name(body)["Support"]["current"] == figures()


async def check_channels(world: World) -> None:
    body = await get(world, "channels", **custom(DAY, SAO_PAULO))
    rows = rows_by_name(body)
    assert set(rows) == {"Careers WhatsApp", "Support mail", "Site chat"}
    assert rows["Site chat"]["type"] == "webchat"
    assert rows["Site chat"]["current"] == SAO_PAULO_DAY  # the day played on that channel
    assert rows["Support mail"]["current"] == figures()
    waiting = {name: row["waiting_now"] for name, row in rows.items()}
    assert waiting == {"Careers WhatsApp": 1, "Support mail": 2, "Site chat": 1}
    # Narrowed to one channel: only its row.
    only = await get(
        world,
        "channels",
        **custom(DAY, SAO_PAULO),
        channel_id=[str(world.acme.channels["email"].id)],
    )
    assert [r["name"] for r in only["rows"]] == ["Support mail"]
    # Narrowed to Sales: the channels with its figures or its customers waiting only.
    sales = await get(
        world, "channels", **custom(DAY, SAO_PAULO), team_id=[str(world.acme.teams["sales"].id)]
    )
    assert {r["name"]: r["waiting_now"] for r in sales["rows"]} == {
        "Site chat": 0,
        "Support mail": 1,
    }


ZEROS = [0] * 8


async def check_responses(world: World, tz: str, hours: tuple[int, int, int, int]) -> None:
    body = await get(world, "responses", **custom(DAY, tz))
    # First responses 240, 900, 1,200 s; responses 240, 600, 900, 1,200 s.
    assert body["current"]["first_response"] == SAO_PAULO_DAY["first_response"]
    assert body["current"]["response"] == SAO_PAULO_DAY["response"]
    assert body["previous"]["response"] == durations(NONE, NONE)
    histogram = body["histogram"]
    assert [b["min_seconds"] for b in histogram] == [0, 60, 300, 900, 1800, 3600, 14400, 86400]
    assert histogram[-1]["max_seconds"] is None
    assert [b["first_response"] for b in histogram] == [0, 1, 0, 2, 0, 0, 0, 0]
    assert [b["response"] for b in histogram] == [0, 1, 1, 2, 0, 0, 0, 0]
    assert [b["previous_response"] for b in histogram] == ZEROS
    # Replies at 09:04, 10:40, 12:25 and 13:20 UTC, in the viewer's local hours.
    by_hour = {h["hour"]: h for h in body["by_hour_of_day"] if h["response"]["count"]}
    first, second, third, fourth = hours
    assert set(by_hour) == set(hours)
    assert by_hour[first]["first_response"] == stat(1, 240.0, 240.0, 240.0)
    assert by_hour[second]["first_response"] == NONE
    assert by_hour[second]["response"] == stat(1, 600.0, 600.0, 600.0)
    assert by_hour[fourth]["response"] == B_ONLY
    assert by_hour[third]["first_response"] == stat(1, 900.0, 900.0, 900.0)
    [point] = body["series"]
    assert point["start"].startswith(DAY)
    assert point["first_response"] == stat(3, 780.0, 900.0, 1140.0)
    hourly = await get(world, "responses", **custom(DAY, tz), group_by="hour")
    assert len(hourly["series"]) == 4  # the hours with a reply; the others have no rollups


def service(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "answered": 0,
        "met": 0,
        "service_level": None,
        "average_speed_of_answer": None,
        "abandoned": 0,
        "short_abandoned": 0,
        "abandonment_rate": None,
        "abandonment_rate_with_short": None,
    }
    return base | overrides


async def test_service_level_report(
    runtime: Runtime, world: World, clock: FrozenClock, day: dict[str, str]
) -> None:
    # Eve writes at 20:10 and is closed on 5 s later: a short abandon (under 10 s).
    clock.set(datetime(2026, 1, 5, 20, 10, tzinfo=UTC))
    eve = await Visitor(world, await _site_chat(runtime, world), "Eve").writes("Hi")
    clock.set(datetime(2026, 1, 5, 20, 10, 5, tzinfo=UTC))
    await ok(world.client("alice").post(f"/api/v1/conversations/{eve}/close", json={}))
    clock.set(datetime(2026, 1, 5, 21, tzinfo=UTC))
    await update_reports(runtime, {})
    body = await get(world, "service-level", **custom(DAY, SAO_PAULO))
    assert body["short_abandon_seconds"] == 10
    support, sales = (rows_by_name(body)[n] for n in ("Support", "Sales"))
    assert [r["name"] for r in body["rows"]] == ["Sales", "Support"]
    assert support["threshold_seconds"] == sales["threshold_seconds"] == 300
    assert support["current"] == service(
        answered=2,
        met=1,
        service_level=0.5,
        average_speed_of_answer=570.0,
        abandoned=2,
        short_abandoned=1,
        abandonment_rate=0.5,
        abandonment_rate_with_short=0.6,
    )
    assert sales["current"] == service(
        answered=1,
        service_level=0.0,
        average_speed_of_answer=1200.0,
        abandonment_rate=0.0,
        abandonment_rate_with_short=0.0,
    )
    assert support["previous"] == service()
    assert body["current"] == service(
        answered=3,
        met=1,
        service_level=pytest.approx(1 / 3),
        average_speed_of_answer=780.0,
        abandoned=2,
        short_abandoned=1,
        abandonment_rate=0.4,
        abandonment_rate_with_short=0.5,
    )
    [point] = body["series"]
    assert (point["answered"], point["met"], point["abandoned"]) == (3, 1, 2)
    await check_service_level_series_in_ho_chi_minh(world)


async def _site_chat(runtime: Runtime, world: World) -> uuid.UUID:
    async with runtime.database.read_session() as db:
        channel_id = await db.scalar(
            select(Channel.id).where(
                Channel.workspace_id == world.acme.id, Channel.name == "Site chat"
            )
        )
    assert channel_id is not None
    return channel_id


async def check_service_level_series_in_ho_chi_minh(world: World) -> None:
    params = {"period": "custom", "start_date": DAY, "end_date": "2026-01-06", "tz": HO_CHI_MINH}
    body = await get(world, "service-level", **params)
    # 17:00 UTC is midnight there: both abandons (17:30 and 18:20 UTC) fall on the 6th.
    fifth, sixth = body["series"]
    assert fifth["start"] == "2026-01-05T00:00:00+07:00"
    assert (fifth["answered"], fifth["met"], fifth["abandoned"]) == (3, 1, 0)
    assert (sixth["answered"], sixth["service_level"], sixth["abandoned"]) == (0, None, 2)


async def check_routing(world: World) -> None:
    body = await get(world, "routing", **custom(DAY, SAO_PAULO))
    assert (body["offered"], body["accepted"]) == (4, 3)
    assert (body["previous_offered"], body["previous_accepted"]) == (0, 0)
    teams = {r["name"]: (r["offered"], r["accepted"], r["acceptance_rate"]) for r in body["teams"]}
    # Support offered A, A reopened and B (to Bob); Sales offered B to Carol.
    assert teams == {"Support": (3, 2, 2 / 3), "Sales": (1, 1, 1.0)}
    agents = [(r["name"], r["offered"], r["accepted"]) for r in body["agents"]]
    assert agents == [("Bob", 3, 2), ("Carol", 1, 1)]
    [transfer] = body["transfers"]
    assert (transfer["from_name"], transfer["to_name"], transfer["count"]) == (
        "Support",
        "Sales",
        1,
    )
    assert transfer["time_to_transfer"] == stat(1, 600.0, 600.0, 600.0)  # B: 13:00 → 13:10
    assert body["reassignments"] == 1  # B, from Bob to Carol
    # Waits for a first assignment: A 120 s, A reopened with Bob 0 s, B 300 s.
    assert body["assignment_wait"] == stat(3, 140.0, 120.0, 264.0)
    # Bob 3 and Carol 1, both online: spread 2, mean 2, standard deviation 1.
    assert body["fairness"] == {"agents": 2, "max_minus_min": 2, "coefficient_of_variation": 0.5}


async def check_tag_filter(world: World, day: dict[str, str]) -> None:
    alice = world.client("alice")
    tag = await ok(alice.post("/api/v1/tags", json={"name": "vip", "color": "red"}))
    await ok(alice.put(f"/api/v1/conversations/{day['a']}/tags", json={"tag_ids": [tag["id"]]}))
    params = {**custom(DAY, SAO_PAULO), "tag_id": [tag["id"]]}
    overview = (await get(world, "overview", **params))["current"]
    assert (overview["opened"], overview["reopened"], overview["closed"]) == (1, 1, 2)
    assert (overview["answered"], overview["assigned"], overview["abandoned"]) == (2, 2, 0)
    assert overview["first_response"]["wall"] == stat(2, 570.0, 570.0, 834.0)
    teams = rows_by_name(await get(world, "teams", **params))
    # Narrowed by a tag, only teams with figures (or someone waiting) under it are listed:
    # Sales had none of A, so its name does not show.
    assert set(teams) == {"Support"}
    assert teams["Support"]["current"]["closed"] == 2
    assert teams["Support"]["waiting_now"] == 0
    routing = await get(world, "routing", **params)
    assert (routing["offered"], routing["reassignments"], routing["transfers"]) == (2, 0, [])
    page = await get(world, "conversations", **params, metric="closed")
    assert {item["conversation_id"] for item in page["items"]} == {day["a"]}
    assert len(page["items"]) == 2


async def check_outcome_filter(world: World) -> None:
    # A's first segment closed with "interview": its figures only, not the reopened segment's.
    params = {**custom(DAY, SAO_PAULO), "outcome": ["interview", "hired"]}
    support = rows_by_name(await get(world, "teams", **params))["Support"]["current"]
    assert (support["opened"], support["closed"], support["answered"]) == (1, 1, 1)
    assert support["resolution"]["wall"] == stat(1, 7200.0, 7200.0, 7200.0)
    assert support["service_level"] == 1.0
    level = await get(world, "service-level", **params)
    assert level["current"]["answered"] == 1
    responses = await get(world, "responses", **params)
    assert responses["current"]["response"]["wall"]["count"] == 2  # 240 s and 600 s
    routing = await get(world, "routing", **params)
    assert routing["assignment_wait"] == stat(1, 120.0, 120.0, 120.0)
    agents = {row["name"]: row for row in (await get(world, "agents", **params))["rows"]}
    assert (agents["Bob"]["closed"], agents["Bob"]["assigned"]) == (1, 1)
    assert agents["Carol"]["assigned"] == 0
    nothing = await get(world, "teams", **custom(DAY, SAO_PAULO), outcome=["hired"])
    assert all(row["current"] == figures() for row in nothing["rows"])


async def test_teams_and_channels(world: World, day: dict[str, str]) -> None:
    await check_teams(world)
    await check_channels(world)


async def test_responses_in_two_zones(world: World, day: dict[str, str]) -> None:
    await check_responses(world, SAO_PAULO, (6, 7, 9, 10))
    await check_responses(world, HO_CHI_MINH, (16, 17, 19, 20))


async def test_routing_and_the_tag_and_outcome_filters(world: World, day: dict[str, str]) -> None:
    await check_routing(world)
    await check_tag_filter(world, day)
    await check_outcome_filter(world)


PATHS = ("teams", "channels", "responses", "service-level", "routing")
BAD = (
    {"tz": "Mars/Olympus"},
    {"period": "custom", "start_date": DAY},
    {"period": "fortnight"},
    {"tag_id": "not-an-id"},
    {"outcome": "x" * 81},
    {"team_id": "12"},
)


async def test_bad_input_is_a_422(world: World) -> None:
    alice = world.client("alice")
    for path in PATHS:
        for params in BAD:
            r = await alice.get(f"{R}/{path}", params=params)
            assert r.status_code == 422, (path, params, r.text)


async def test_bad_grouping_and_threshold(world: World) -> None:
    alice = world.client("alice")
    for path, params in (
        ("responses", {"group_by": "year"}),
        ("service-level", {"group_by": "minute"}),
        ("routing", {"outcome": ""}),
    ):
        r = await alice.get(f"{R}/{path}", params=params)
        assert r.status_code == 422, r.text


async def test_agents_do_not_see_breakdowns(world: World) -> None:
    for path in PATHS:
        r = await world.client("bob").get(f"{R}/{path}")
        assert r.status_code == 403, r.text
        r = await world.client("vera").get(f"{R}/{path}")
        assert r.status_code == 200, r.text
