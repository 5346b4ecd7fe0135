"""The outcomes report against targets, the weekday-by-hour heatmap and the agents' state
timeline, on a scripted two days (a frozen clock, driven through the API) checked by hand in
São Paulo (UTC-3) and Ho Chi Minh City (UTC+7).

Targets: "hired" 2 a day for each agent of Support (Bob), 3 a day for Support as a whole,
1 a day for Carol alone; "interview" 4 a week for Bob.

States (UTC, Monday 2026-01-05): Bob online 09:00, away 12:40, online 13:00, offline 13:30.

Closes (UTC), all on a Support website chat; E is moved to Sales and Carol:

| | opened and closed | by | outcome | São Paulo day | Ho Chi Minh City day |
|---|---|---|---|---|---|
| A | Mon 14:00 | Bob | hired | Mon 5 | Mon 5 |
| B | Mon 23:30 | Bob | hired | Mon 5 | Tue 6 |
| C | Tue 01:00 | Bob | interview | Mon 5 | Tue 6 |
| D | Tue 12:00 | Bob | hired | Tue 6 | Tue 6 |
| E | Tue 13:00 | Carol (Sales) | hired | Tue 6 | Tue 6 |

The reports are read on Tuesday 20:00 UTC: Tuesday 17:00 in São Paulo, Wednesday 03:00 in
Ho Chi Minh City.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import HO_CHI_MINH, SAO_PAULO, Visitor, ok
from tests.conftest import World
from tests.factories import Factory

R = "/api/v1/reports"
TWO_DAYS = {"period": "custom", "start_date": "2026-01-05", "end_date": "2026-01-06"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


async def _close(
    world: World, clock: FrozenClock, visitor: Visitor, when: datetime, agent: str, outcome: str
) -> str:
    clock.set(when)
    conversation = await visitor.writes("Hello, about the job")
    alice = world.client("alice")
    member = world.acme.members[agent]
    if agent == "carol":
        await ok(
            alice.post(
                f"/api/v1/conversations/{conversation}/transfer",
                json={
                    "team_id": str(world.acme.teams["sales"].id),
                    "assignee_id": str(member.id),
                },
            )
        )
    else:
        await ok(
            alice.post(
                f"/api/v1/conversations/{conversation}/assign",
                json={"assignee_id": str(member.id)},
            )
        )
    await ok(
        world.client(agent).post(
            f"/api/v1/conversations/{conversation}/close", json={"outcome": outcome}
        )
    )
    return conversation


async def play_two_days(runtime: Runtime, world: World, clock: FrozenClock) -> dict[str, str]:
    """Drives the two days above and runs the report job at the end (Tuesday 20:00 UTC)."""
    acme = world.acme
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(acme.workspace, "webchat", "Careers chat")
        channel.team_id = acme.teams["support"].id
        await s.commit()
    clock.set(at(5, 8))
    alice, bob = world.client("alice"), world.client("bob")
    support = str(acme.teams["support"].id)
    for body in (
        {"outcome": "hired", "count": 2, "applies_to": "each_agent", "team_id": support},
        {"outcome": "hired", "count": 3, "applies_to": "team", "team_id": support},
        {
            "outcome": "hired",
            "count": 1,
            "applies_to": "agent",
            "agent_id": str(acme.members["carol"].id),
        },
        {
            "outcome": "interview",
            "count": 4,
            "period": "week",
            "applies_to": "agent",
            "agent_id": str(acme.members["bob"].id),
        },
    ):
        await ok(alice.post(f"{R}/targets", json=body))
    for when, state in (
        (at(5, 9), "online"),
        (at(5, 12, 40), "away"),
        (at(5, 13), "online"),
        (at(5, 13, 30), "offline"),
    ):
        clock.set(when)
        await ok(bob.put("/api/v1/me/state", json={"state": state}))
    found = {}
    for key, when, agent, outcome in (
        ("a", at(5, 14), "bob", "hired"),
        ("b", at(5, 23, 30), "bob", "hired"),
        ("c", at(6, 1), "bob", "interview"),
        ("d", at(6, 12), "bob", "hired"),
        ("e", at(6, 13), "carol", "hired"),
    ):
        found[key] = await _close(
            world, clock, Visitor(world, channel.id, key.upper()), when, agent, outcome
        )
    clock.set(at(6, 20))
    await update_reports(runtime, {})
    return found


@pytest.fixture
async def days(runtime: Runtime, world: World, clock: FrozenClock) -> dict[str, str]:
    return await play_two_days(runtime, world, clock)


def _days(*counts: tuple[str, int, int | None]) -> list[dict[str, Any]]:
    return [{"day": day, "count": count, "target": target} for day, count, target in counts]


def _progress(data: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(p["outcome"], p["subject"], p["name"]): p for p in data["progress"]}


async def _get(client: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any]:
    r = await client.get(f"{R}/{path}", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_outcomes_against_targets_in_two_time_zones(
    world: World, days: dict[str, str]
) -> None:
    acme = world.acme
    data = await _get(world.client("dave"), "outcomes", tz=SAO_PAULO, **TWO_DAYS)
    assert data["today"] == "2026-01-06"
    rows = _progress(data)
    assert set(rows) == {
        ("hired", "team", "Support"),
        ("hired", "agent", "Bob"),
        ("hired", "agent", "Carol"),
        ("interview", "agent", "Bob"),
    }
    bob = rows[("hired", "agent", "Bob")]
    assert (bob["target"], bob["target_period"], bob["current"], bob["total"]) == (2, "day", 1, 3)
    assert bob["days"] == _days(("2026-01-05", 2, 2), ("2026-01-06", 1, 2))
    team = rows[("hired", "team", "Support")]
    assert (team["target"], team["current"], team["total"]) == (3, 1, 3)
    assert team["team_id"] == str(acme.teams["support"].id)
    carol = rows[("hired", "agent", "Carol")]
    assert (carol["target"], carol["current"], carol["total"]) == (1, 1, 1)
    interview = rows[("interview", "agent", "Bob")]
    assert (interview["target"], interview["target_period"]) == (4, "week")
    assert (interview["current"], interview["total"]) == (1, 1)
    assert interview["days"] == _days(("2026-01-05", 1, None), ("2026-01-06", 0, None))
    totals = {o["outcome"]: o for o in data["outcomes"]}
    assert set(totals) == {"hired", "interview"}
    hired = totals["hired"]
    assert hired["total"] == 4
    assert hired["days"] == _days(("2026-01-05", 2, None), ("2026-01-06", 2, None))
    assert {a["id"]: a["count"] for a in hired["agents"]} == {
        str(acme.members["bob"].id): 3,
        str(acme.members["carol"].id): 1,
    }
    assert {t["id"]: t["count"] for t in hired["teams"]} == {
        str(acme.teams["support"].id): 3,
        str(acme.teams["sales"].id): 1,
    }
    await _in_ho_chi_minh_city_outcomes_fall_on_other_days(world)
    await _an_agent_sees_only_their_own_progress(world, days)


async def _in_ho_chi_minh_city_outcomes_fall_on_other_days(world: World) -> None:
    dave = world.client("dave")
    data = await _get(dave, "outcomes", tz=HO_CHI_MINH, **TWO_DAYS)
    assert data["today"] == "2026-01-07"
    rows = _progress(data)
    bob = rows[("hired", "agent", "Bob")]
    assert (bob["current"], bob["total"]) == (0, 3)
    assert bob["days"] == _days(("2026-01-05", 1, 2), ("2026-01-06", 2, 2))
    # A week's target counts from Monday the 5th to today, Wednesday the 7th.
    assert rows[("interview", "agent", "Bob")]["current"] == 1
    assert rows[("interview", "agent", "Bob")]["days"][1]["count"] == 1
    today = await _get(dave, "outcomes", tz=HO_CHI_MINH, period="today")
    assert [o["outcome"] for o in today["outcomes"]] == []
    assert _progress(today)[("hired", "team", "Support")]["days"] == _days(("2026-01-07", 0, 3))


async def _an_agent_sees_only_their_own_progress(world: World, days: dict[str, str]) -> None:
    bob = world.client("bob")
    data = await _get(bob, "outcomes", tz=SAO_PAULO, **TWO_DAYS)
    assert sorted(_progress(data)) == [("hired", "agent", "Bob"), ("interview", "agent", "Bob")]
    assert {o["outcome"]: o["total"] for o in data["outcomes"]} == {"hired": 3, "interview": 1}
    # The number's conversations: the closes with that outcome, newest first.
    behind = await _get(
        world.client("dave"),
        "conversations",
        metric="closed",
        detail="hired",
        agent_id=str(world.acme.members["bob"].id),
        tz=SAO_PAULO,
        **TWO_DAYS,
    )
    assert [i["conversation_id"] for i in behind["items"]] == [days["d"], days["b"], days["a"]]
    # A team filter narrows the rows to its members and itself.
    sales = await _get(
        world.client("dave"),
        "outcomes",
        tz=SAO_PAULO,
        team_id=str(world.acme.teams["sales"].id),
        **TWO_DAYS,
    )
    assert sorted(_progress(sales)) == [("hired", "agent", "Carol")]
    # The outcome filter reads the facts: only the interview is left.
    narrowed = await _get(
        world.client("dave"), "outcomes", tz=SAO_PAULO, outcome="interview", **TWO_DAYS
    )
    assert {o["outcome"]: o["total"] for o in narrowed["outcomes"]} == {"interview": 1}
    other = await _get(world.client("oscar"), "outcomes", tz=SAO_PAULO, **TWO_DAYS)
    assert other["outcomes"] == []
    assert other["progress"] == []


def _cells(data: dict[str, Any]) -> dict[tuple[int, int], int]:
    return {(c["weekday"], c["hour"]): c["count"] for c in data["cells"] if c["count"]}


async def test_heatmap_and_state_timeline(world: World, days: dict[str, str]) -> None:
    dave = world.client("dave")
    data = await _get(dave, "heatmap", tz=HO_CHI_MINH, **TWO_DAYS)
    assert len(data["cells"]) == 168
    assert data["total"] == 5
    # A on Monday 21:00; B (23:30 UTC, in the 23:00 hour) on Tuesday 06:00; C 08:00; D 19:00;
    # E 20:00.
    assert _cells(data) == {(0, 21): 1, (1, 6): 1, (1, 8): 1, (1, 19): 1, (1, 20): 1}
    sao_paulo = await _get(dave, "heatmap", tz=SAO_PAULO, **TWO_DAYS)
    assert _cells(sao_paulo) == {(0, 11): 1, (0, 20): 1, (0, 22): 1, (1, 9): 1, (1, 10): 1}
    hired = await _get(dave, "heatmap", tz=SAO_PAULO, outcome="hired", **TWO_DAYS)
    assert _cells(hired) == {(0, 11): 1, (0, 20): 1, (1, 9): 1, (1, 10): 1}
    closed = await _get(dave, "heatmap", tz=SAO_PAULO, metric="closed", **TWO_DAYS)
    assert closed["total"] == 5
    assert (await world.client("bob").get(f"{R}/heatmap")).status_code == 403
    assert (await dave.get(f"{R}/heatmap", params={"metric": "nothing"})).status_code == 422
    await _state_timeline_of_a_day(world)


async def _state_timeline_of_a_day(world: World) -> None:
    dave = world.client("dave")
    bob_id = str(world.acme.members["bob"].id)
    data = await _get(dave, "agent-states", day="2026-01-05", tz="UTC", agent_id=bob_id)
    assert (data["start"], data["end"]) == ("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")
    [bob] = data["agents"]
    assert [(i["state"], i["start"][11:16], i["end"][11:16]) for i in bob["intervals"]] == [
        ("offline", "00:00", "09:00"),
        ("online", "09:00", "12:40"),
        ("away", "12:40", "13:00"),
        ("online", "13:00", "13:30"),
        ("offline", "13:30", "00:00"),
    ]
    # Ho Chi Minh City's Monday runs from 17:00 UTC on Sunday to 17:00 UTC on Monday.
    local = await _get(dave, "agent-states", day="2026-01-05", tz=HO_CHI_MINH, agent_id=bob_id)
    assert (local["start"], local["end"]) == ("2026-01-04T17:00:00Z", "2026-01-05T17:00:00Z")
    assert [(i["state"], i["end"][11:16]) for i in local["agents"][0]["intervals"]] == [
        ("offline", "09:00"),
        ("online", "12:40"),
        ("away", "13:00"),
        ("online", "13:30"),
        ("offline", "17:00"),
    ]
    # Its Wednesday (today) has gone on since 17:00 UTC: it ends now.
    today = await _get(dave, "agent-states", tz=HO_CHI_MINH, agent_id=bob_id)
    assert (today["day"], today["end"]) == ("2026-01-07", "2026-01-06T20:00:00Z")
    assert [i["state"] for i in today["agents"][0]["intervals"]] == ["offline"]
    everyone = await _get(dave, "agent-states", day="2026-01-05", tz="UTC")
    assert [a["name"] for a in everyone["agents"]] == ["Alice", "Bob", "Carol", "Dave"]
    own = await _get(world.client("bob"), "agent-states", day="2026-01-05", tz="UTC")
    assert [a["agent_id"] for a in own["agents"]] == [bob_id]
    bad = await dave.get(f"{R}/agent-states", params={"tz": "Mars/Olympus"})
    assert bad.status_code == 422, bad.text
