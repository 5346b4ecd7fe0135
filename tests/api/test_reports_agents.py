"""The scripted day (tests/api/test_reports_scenario.py) seen through the agents table, staffing
and the conversations behind a number, and who may see which report."""

from __future__ import annotations

from typing import Any

import pytest

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from tests.api.test_reports_scenario import (
    DAY,
    HO_CHI_MINH,
    NONE,
    SAO_PAULO,
    custom,
    play_the_day,
    stat,
)
from tests.conftest import World


@pytest.fixture
async def day(runtime: Runtime, world: World, clock: FrozenClock) -> dict[str, str]:
    return await play_the_day(runtime, world, clock)


def states(online: float = 0.0, busy: float = 0.0, away: float = 0.0, offline: float = 0.0) -> Any:
    return {"online": online, "busy": busy, "away": away, "offline": offline}


def row(agent_id: str | None, name: str, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "agent_id": agent_id,
        "name": name,
        "closed": 0.0,
        "assigned": 0.0,
        "accepted": 0.0,
        "first_response": NONE,
        "assignment_response": NONE,
        "response": NONE,
        "resolution": NONE,
        "handle": NONE,
        "worked_seconds": 0.0,
        "occupancy": None,
        "online_seconds": 0.0,
        "state_seconds": states(),
        "queue_now": 0.0,
        "open_now": 0.0,
    }
    merged = base | values
    merged["online_seconds"] = merged["state_seconds"]["online"]
    return merged


def expected_rows(world: World, tz: str) -> list[dict[str, Any]]:
    ids = {n: str(world.acme.members[n].id) for n in ("alice", "bob", "carol", "dave")}
    in_sao_paulo = tz == SAO_PAULO
    return [
        # Alice closed D (18:20 UTC: the 6th in Ho Chi Minh City).
        row(
            ids["alice"],
            "Alice",
            closed=1.0 if in_sao_paulo else 0.0,
            resolution=stat(1, 1200.0, 1200.0, 1200.0) if in_sao_paulo else NONE,
        ),
        # Bob: offered A, A again on reopening and B; replied in both of A's; closed A twice.
        # Online 09:00-12:40 and 13:00-17:00, away 12:40-13:00, offline since 17:00 (now 20:00).
        row(
            ids["bob"],
            "Bob",
            closed=2.0,
            assigned=3.0,
            accepted=2.0,
            first_response=stat(2, 570.0, 570.0, 834.0),
            assignment_response=stat(2, 810.0, 810.0, 1362.0),
            response=stat(3, 580.0, 600.0, 840.0),
            resolution=stat(2, 4500.0, 4500.0, 6660.0),
            # Worked A 180 + 90 s (its two handles) and B 30 s; 300 s over 27,600 s online.
            handle=stat(2, 135.0, 135.0, 171.0),
            worked_seconds=300.0,
            occupancy=300.0 / 27600.0,
            state_seconds=states(
                online=27600.0, away=1200.0, offline=10800.0 if in_sao_paulo else 0.0
            ),
            queue_now=1.0,  # Erin's conversation of the starting world waits for him
            open_now=1.0,
        ),
        # Carol: given B on its transfer, answered it in 10 minutes, closed it; online since 09:00.
        row(
            ids["carol"],
            "Carol",
            closed=1.0,
            assigned=1.0,
            accepted=1.0,
            first_response=stat(1, 1200.0, 1200.0, 1200.0),
            response=stat(1, 1200.0, 1200.0, 1200.0),
            resolution=stat(1, 1800.0, 1800.0, 1800.0),
            handle=stat(1, 270.0, 270.0, 270.0),  # B's work, hers and Bob's, at her close
            worked_seconds=240.0,
            occupancy=240.0 / (39600.0 if in_sao_paulo else 28800.0),
            state_seconds=states(online=39600.0 if in_sao_paulo else 28800.0),
        ),
        row(ids["dave"], "Dave"),
    ]


@pytest.mark.parametrize("tz", [SAO_PAULO, HO_CHI_MINH])
async def test_agents_table_with_the_average_row(
    world: World, day: dict[str, str], tz: str
) -> None:
    r = await world.client("dave").get("/api/v1/reports/agents", params=custom(DAY, tz))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows"] == expected_rows(world, tz)
    in_sao_paulo = tz == SAO_PAULO
    # Counts and times are per agent (four rows); durations pool every fact of the rows.
    assert body["average"] == row(
        None,
        "",
        closed=1.0 if in_sao_paulo else 0.75,
        assigned=1.0,
        accepted=0.75,
        first_response=stat(3, 780.0, 900.0, 1140.0),
        assignment_response=stat(2, 810.0, 810.0, 1362.0),
        response=stat(4, 735.0, 750.0, 1110.0),
        resolution=stat(4, 3000.0, 1800.0, 5580.0)
        if in_sao_paulo
        else stat(3, 3600.0, 1800.0, 6120.0),
        handle=stat(3, 180.0, 180.0, 252.0),
        worked_seconds=135.0,
        occupancy=135.0 / (16800.0 if in_sao_paulo else 14100.0),
        state_seconds=states(
            online=16800.0 if in_sao_paulo else 14100.0,
            away=300.0,
            offline=2700.0 if in_sao_paulo else 0.0,
        ),
        queue_now=0.25,
        open_now=0.25,
    )


async def test_an_agent_sees_only_their_own_row(world: World, day: dict[str, str]) -> None:
    bob = world.client("bob")
    r = await bob.get("/api/v1/reports/agents", params=custom(DAY, SAO_PAULO))
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == [expected_rows(world, SAO_PAULO)[1]]
    assert r.json()["average"] is None
    # Asking for Carol changes nothing: an agent's filter is always themselves.
    carol = str(world.acme.members["carol"].id)
    r = await bob.get("/api/v1/reports/agents", params=custom(DAY, SAO_PAULO, agent_id=[carol]))
    assert [x["name"] for x in r.json()["rows"]] == ["Bob"]
    for path in ("overview", "staffing"):
        r = await bob.get(f"/api/v1/reports/{path}", params=custom(DAY, SAO_PAULO))
        assert r.status_code == 403, r.text
    r = await bob.get(
        "/api/v1/reports/conversations", params=custom(DAY, SAO_PAULO, metric="closed")
    )
    assert r.status_code == 200, r.text
    assert {x["agent_id"] for x in r.json()["items"]} == {str(world.acme.members["bob"].id)}
    assert len(r.json()["items"]) == 2


async def test_a_viewer_sees_the_overview(world: World, day: dict[str, str]) -> None:
    r = await world.client("vera").get("/api/v1/reports/overview", params=custom(DAY, SAO_PAULO))
    assert r.status_code == 200, r.text
    assert r.json()["current"]["opened"] == 4


async def test_the_conversations_behind_abandonment(world: World, day: dict[str, str]) -> None:
    alice = world.client("alice")
    params = custom(DAY, SAO_PAULO, metric="abandoned", limit=1)
    first = (await alice.get("/api/v1/reports/conversations", params=params)).json()
    assert [
        (x["conversation_id"], x["contact_name"], x["detail"], x["seconds"]) for x in first["items"]
    ] == [(day["d"], "Duc", "closed", 1200.0)]
    second = (
        await alice.get(
            "/api/v1/reports/conversations", params=params | {"cursor": first["next_cursor"]}
        )
    ).json()
    assert [
        (x["conversation_id"], x["detail"], x["seconds"], x["at"]) for x in second["items"]
    ] == [(day["c"], "idle", 3600.0, "2026-01-05T17:30:00Z")]
    assert second["next_cursor"] is None
    # Filtered by team: B's transfer left Support, so Support shows it and Sales does not.
    for team, count in (("support", 1), ("sales", 0)):
        r = await alice.get(
            "/api/v1/reports/conversations",
            params=custom(
                DAY, SAO_PAULO, metric="transferred", team_id=[str(world.acme.teams[team].id)]
            ),
        )
        assert len(r.json()["items"]) == count


async def test_staffing_per_hour(world: World, day: dict[str, str]) -> None:
    r = await world.client("alice").get("/api/v1/reports/staffing", params=custom(DAY, SAO_PAULO))
    assert r.status_code == 200, r.text
    hours = r.json()["hours"]
    assert len(hours) == 24
    assert hours[0]["start"] == "2026-01-05T00:00:00-03:00"
    # 09:00 UTC: A arrives; no close in the hour, so the day's mean handle time
    # (180 + 90 + 270) / 3 = 180 s: A = 0.05 Erlangs; one agent reaches
    # 1 - 0.05·e^(-0.95·20/180) = 95.5 % in 20 s. Bob was online all hour (Carol's open
    # interval is no fact yet).
    nine = hours[6]
    assert (nine["arrivals"], nine["handle_seconds"], nine["agents_needed"]) == (1, 180.0, 1)
    assert nine["load"] == pytest.approx(180 / 3600)
    assert nine["service_level"] == pytest.approx(0.95501, abs=1e-4)
    assert nine["agents_online"] == 1.0
    # 13:00 UTC: B arrives and its 270 s handle closes in the hour: A = 0.075, one agent
    # gives 1 - 0.075·e^(-0.925·20/270) = 93.0 %.
    one = hours[10]
    assert (one["arrivals"], one["handle_seconds"], one["agents_needed"]) == (1, 270.0, 1)
    assert one["service_level"] == pytest.approx(0.92997, abs=1e-4)
    # An hour with no arrivals needs nobody.
    assert (hours[0]["arrivals"], hours[0]["agents_needed"], hours[0]["load"]) == (0, 0, 0.0)


async def test_today_is_the_custom_day(world: World, day: dict[str, str]) -> None:
    alice = world.client("alice")
    today = (
        await alice.get("/api/v1/reports/overview", params={"period": "today", "tz": SAO_PAULO})
    ).json()
    same = (await alice.get("/api/v1/reports/overview", params=custom(DAY, SAO_PAULO))).json()
    assert today == same
    by_day = (
        await alice.get("/api/v1/reports/overview", params=custom(DAY, SAO_PAULO, group_by="day"))
    ).json()["series"]
    assert [
        (p["start"], p["opened"], p["closed"], p["answered"], p["abandoned"]) for p in by_day
    ] == [("2026-01-05T00:00:00-03:00", 4, 4, 3, 2)]
    assert by_day[0]["first_response_avg"] == 780.0
    by_hour = (
        await alice.get(
            "/api/v1/reports/overview", params=custom(DAY, HO_CHI_MINH, group_by="hour")
        )
    ).json()["series"]
    # A opened at 09:00 UTC, 16:00 in Ho Chi Minh City.
    assert by_hour[0]["start"] == "2026-01-05T16:00:00+07:00"
    assert by_hour[0]["opened"] == 1
    assert sum(p["opened"] for p in by_hour) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"tz": "Mars/Olympus"},
        {"period": "custom", "start_date": DAY},
        {"period": "custom", "start_date": DAY, "end_date": "2026-01-01"},
        {"period": "custom", "start_date": "2024-01-01", "end_date": DAY},
        {"period": "fortnight"},
        {"group_by": "minute"},
        {"team_id": "not-a-uuid"},
    ],
)
async def test_bad_report_queries_are_refused(world: World, params: dict[str, str]) -> None:
    r = await world.client("alice").get("/api/v1/reports/overview", params=params)
    assert r.status_code == 422, r.text


async def test_an_unknown_metric_is_refused(world: World) -> None:
    r = await world.client("alice").get("/api/v1/reports/conversations", params={"metric": "x"})
    assert r.status_code == 422, r.text
    r = await world.client("alice").get(
        "/api/v1/reports/conversations", params={"metric": "closed", "cursor": "garbage"}
    )
    assert r.status_code == 422, r.text


async def test_another_workspace_sees_nothing_of_the_day(world: World, day: dict[str, str]) -> None:
    acme = world.acme
    ids = [str(acme.members["bob"].id), str(acme.teams["support"].id), *day.values()]
    filters = {
        "team_id": [str(acme.teams["support"].id)],
        "agent_id": [str(acme.members["bob"].id)],
    }
    oscar = world.client("oscar")
    for path, extra in (
        ("overview", {}),
        ("agents", {}),
        ("staffing", {}),
        ("conversations", {"metric": "closed"}),
    ):
        for params in (custom(DAY, SAO_PAULO, **extra), custom(DAY, SAO_PAULO, **extra, **filters)):
            r = await oscar.get(f"/api/v1/reports/{path}", params=params)
            assert r.status_code == 200, r.text
            assert not any(i in r.text for i in ids), path
    overview = (await oscar.get("/api/v1/reports/overview", params=custom(DAY, SAO_PAULO))).json()
    assert overview["current"]["opened"] == 0
    assert overview["current"]["closed"] == 0
