"""A scripted day on a frozen clock, driven through the API, and every report figure computed
by hand: the reports API must return exactly them, in São Paulo (UTC-3, the whole day on one
local date) and in Ho Chi Minh City (UTC+7, where the evening falls on the next day).

The day (UTC; business hours 10:00-18:00 UTC on Mondays; Support and Sales promise 5 minutes):

- Bob and Carol go online at 09:00; Bob is away 12:40-13:00 and offline from 17:00.
- A (Ana, Support): writes 09:00 and 09:01 (one wait), assigned to Bob 09:02 (the automatic
  "assigned" message is no reply), Bob replies 09:04; Ana 10:30, Bob 10:40; Bob closes 11:00.
  Alice reopens it 12:00 (Bob still its assignee); Ana 12:10, Bob 12:25; Bob closes 12:30.
- B (Bao, Support): writes 13:00, Dave assigns it to Bob 13:05, Bob writes a note 13:06,
  Dave transfers it to Sales and Carol 13:10, Carol replies 13:20 and closes 13:30.
- C (Chi, Support): writes 16:30 and is never answered: abandoned at 17:30 (one hour idle).
- D (Duc, Support): writes 18:00, Alice closes it 18:20 with no reply: abandoned.

Active work (handle time), as the app records it: Bob works A 120 s to 09:04 and 60 s to
10:40 (handle 180 s, 60 s of it in business hours), then 90 s to 12:25 (handle 90 s); B gets
30 s from Bob to 13:06 and 240 s from Carol to 13:20 (handle 270 s, Carol's at the close).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from tests.conftest import World
from tests.factories import Factory

W = "/api/widget/v1"
DAY = "2026-01-05"
SAO_PAULO = "America/Sao_Paulo"
HO_CHI_MINH = "Asia/Ho_Chi_Minh"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, 5, hour, minute, tzinfo=UTC)


class Visitor:
    def __init__(self, world: World, channel_id: uuid.UUID, name: str) -> None:
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
            base_url="http://testserver",
        )
        self.channel_id, self.name = channel_id, name
        self.conversation_id = ""

    async def writes(self, text: str) -> str:
        if "X-Visitor-Token" not in self.client.headers:
            r = await self.client.post(
                f"{W}/channels/{self.channel_id}/sessions", json={"name": self.name}
            )
            assert r.status_code == 200, r.text
            self.client.headers["X-Visitor-Token"] = r.json()["visitor_token"]
        r = await self.client.post(
            f"{W}/messages", json={"body": text, "client_message_id": uuid.uuid4().hex}
        )
        assert r.status_code == 201, r.text
        self.conversation_id = str(r.json()["conversation_id"])
        return self.conversation_id


async def ok(response: Any) -> Any:
    r = await response
    assert r.status_code in (200, 201), r.text
    return r.json()


async def reply(client: httpx.AsyncClient, conversation_id: str, text: str) -> None:
    await ok(
        client.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"body": text, "client_message_id": uuid.uuid4().hex},
        )
    )


async def works(client: httpx.AsyncClient, conversation_id: str, seconds: float) -> None:
    r = await client.post(
        f"/api/v1/conversations/{conversation_id}/work", json={"seconds": seconds}
    )
    assert r.status_code == 204, r.text


async def play_the_day(runtime: Runtime, world: World, clock: FrozenClock) -> dict[str, str]:
    """Drives the day above; runs the report job part-way and at the end, as it runs live."""
    acme = world.acme
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(acme.workspace, "webchat", "Site chat")
        channel.team_id = acme.teams["support"].id
        await s.commit()
    alice, bob, carol, dave = (world.client(n) for n in ("alice", "bob", "carol", "dave"))
    clock.set(at(9))
    await ok(
        alice.put(
            "/api/v1/business-hours",
            json={
                "timezone": "UTC",
                "periods": [{"weekday": "monday", "start": "10:00", "end": "18:00"}],
            },
        )
    )
    for agent in (bob, carol):
        await ok(agent.put("/api/v1/me/state", json={"state": "online"}))
    ana, bao, chi, duc = (Visitor(world, channel.id, n) for n in ("Ana", "Bao", "Chi", "Duc"))
    a = await ana.writes("Hi, I applied last week")
    clock.set(at(9, 1))
    await ana.writes("Any news?")
    clock.set(at(9, 2))
    await ok(
        alice.post(
            f"/api/v1/conversations/{a}/assign", json={"assignee_id": str(acme.members["bob"].id)}
        )
    )
    clock.set(at(9, 4))
    await reply(bob, a, "Hello Ana, let me check")
    await works(bob, a, 120)
    clock.set(at(10, 30))
    await ana.writes("Thanks!")
    clock.set(at(10, 40))
    await reply(bob, a, "You are through to the interview")
    await works(bob, a, 60)
    clock.set(at(11))
    await ok(bob.post(f"/api/v1/conversations/{a}/close", json={"outcome": "interview"}))
    clock.set(at(11, 30))
    await update_reports(runtime, {})  # the job runs while the day goes on
    clock.set(at(12))
    await ok(alice.post(f"/api/v1/conversations/{a}/reopen"))
    clock.set(at(12, 10))
    await ana.writes("One more question")
    clock.set(at(12, 25))
    await reply(bob, a, "Sure")
    await works(bob, a, 90)
    clock.set(at(12, 30))
    await ok(bob.post(f"/api/v1/conversations/{a}/close", json={}))
    clock.set(at(12, 40))
    await ok(bob.put("/api/v1/me/state", json={"state": "away"}))
    clock.set(at(13))
    await ok(bob.put("/api/v1/me/state", json={"state": "online"}))
    b = await bao.writes("Do you hire in sales?")
    clock.set(at(13, 5))
    await ok(
        dave.post(
            f"/api/v1/conversations/{b}/assign", json={"assignee_id": str(acme.members["bob"].id)}
        )
    )
    clock.set(at(13, 6))
    await ok(bob.post(f"/api/v1/conversations/{b}/notes", json={"body": "Sales lead"}))
    await works(bob, b, 30)
    clock.set(at(13, 10))
    await ok(
        dave.post(
            f"/api/v1/conversations/{b}/transfer",
            json={
                "team_id": str(acme.teams["sales"].id),
                "assignee_id": str(acme.members["carol"].id),
            },
        )
    )
    clock.set(at(13, 20))
    await reply(carol, b, "Yes we do")
    await works(carol, b, 240)
    clock.set(at(13, 30))
    await ok(carol.post(f"/api/v1/conversations/{b}/close", json={}))
    clock.set(at(16, 30))
    c = await chi.writes("Hello?")
    clock.set(at(17))
    await ok(bob.put("/api/v1/me/state", json={"state": "offline"}))
    clock.set(at(18))
    d = await duc.writes("Wrong number, sorry")
    clock.set(at(18, 20))
    await ok(alice.post(f"/api/v1/conversations/{d}/close", json={}))
    clock.set(at(20))
    await update_reports(runtime, {})
    return {"a": a, "b": b, "c": c, "d": d}


def stat(count: int, avg: float | None, median: float | None, p90: float | None) -> dict[str, Any]:
    return {"count": count, "avg": avg, "median": median, "p90": p90}


NONE = stat(0, None, None, None)


def durations(wall: dict[str, Any], business: dict[str, Any]) -> dict[str, Any]:
    return {"wall": wall, "business": business}


def figures(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "opened": 0,
        "reopened": 0,
        "closed": 0,
        "assigned": 0,
        "transferred": 0,
        "abandoned": 0,
        "short_abandoned": 0,
        "answered": 0,
        "first_response": durations(NONE, NONE),
        "assignment_response": durations(NONE, NONE),
        "response": durations(NONE, NONE),
        "resolution": durations(NONE, NONE),
        "handle": durations(NONE, NONE),
        "service_level": None,
        "average_speed_of_answer": None,
        "abandonment_rate": None,
        # No SLA policy in this day (tests/api/test_sla.py counts SLA met %).
        "sla_met": 0,
        "sla_breached": 0,
        "sla_met_rate": None,
    }
    return base | overrides


# First responses: A 240 s (09:00-09:04, before opening: 0 business), A's second segment 900 s,
# B 1,200 s. Only A's first is within the promised 5 minutes.
FIRST = durations(stat(3, 780.0, 900.0, 1140.0), stat(3, 700.0, 900.0, 1140.0))
# Assignment to the first assignee's reply: A 120 s (09:02-09:04), A again 1,500 s (12:00-12:25);
# B's first assignee (Bob) never replied, Carol was not its first.
ASSIGNMENT = durations(stat(2, 810.0, 810.0, 1362.0), stat(2, 750.0, 750.0, 1350.0))
# Waits ended by a human reply: 240 (two messages, one wait), 600, 900, 1,200 s.
RESPONSE = durations(stat(4, 735.0, 750.0, 1110.0), stat(4, 675.0, 750.0, 1110.0))
# Handle times (active work) of the three worked closes: 180 s (60 in hours), 90 s and 270 s.
HANDLE = durations(stat(3, 180.0, 180.0, 252.0), stat(3, 140.0, 90.0, 234.0))

SAO_PAULO_DAY = figures(
    opened=4,
    reopened=1,
    closed=4,
    assigned=4,  # A to Bob, A reopened with Bob, B to Bob, B to Carol
    transferred=1,
    abandoned=2,
    answered=3,
    first_response=FIRST,
    assignment_response=ASSIGNMENT,
    response=RESPONSE,
    # Closes: A 7,200 s (3,600 in hours), A again 1,800, B 1,800, D 1,200 (0 in hours).
    resolution=durations(stat(4, 3000.0, 1800.0, 5580.0), stat(4, 1800.0, 1800.0, 3060.0)),
    handle=HANDLE,
    service_level=1 / 3,
    average_speed_of_answer=780.0,
    abandonment_rate=0.4,
)
# In Ho Chi Minh City 17:00 UTC is midnight: C's abandonment (17:30) and all of D are the 6th.
HO_CHI_MINH_DAY = figures(
    opened=3,
    reopened=1,
    closed=3,
    assigned=4,
    transferred=1,
    abandoned=0,
    answered=3,
    first_response=FIRST,
    assignment_response=ASSIGNMENT,
    response=RESPONSE,
    resolution=durations(stat(3, 3600.0, 1800.0, 6120.0), stat(3, 2400.0, 1800.0, 3240.0)),
    handle=HANDLE,
    service_level=1 / 3,
    average_speed_of_answer=780.0,
    abandonment_rate=0.0,
)
HO_CHI_MINH_NEXT_DAY = figures(
    opened=1,
    closed=1,
    abandoned=2,
    resolution=durations(stat(1, 1200.0, 1200.0, 1200.0), stat(1, 0.0, 0.0, 0.0)),
    abandonment_rate=1.0,
)


def custom(day: str, tz: str, **extra: Any) -> dict[str, Any]:
    return {"period": "custom", "start_date": day, "end_date": day, "tz": tz, **extra}


@pytest.fixture
async def day(runtime: Runtime, world: World, clock: FrozenClock) -> dict[str, str]:
    return await play_the_day(runtime, world, clock)


async def test_the_day_was_played_as_scripted(runtime: Runtime, day: dict[str, str]) -> None:
    async with runtime.database.read_session() as db:
        automatic = await db.scalar(
            select(func.count()).where(
                Message.conversation_id == uuid.UUID(day["a"]), Message.sender_type == "system"
            )
        )
    assert automatic, "the assigned notice (an automatic message) was sent and must not count"


@pytest.mark.parametrize(
    ("tz", "expected"), [(SAO_PAULO, SAO_PAULO_DAY), (HO_CHI_MINH, HO_CHI_MINH_DAY)]
)
async def test_overview_of_the_day(
    world: World, day: dict[str, str], tz: str, expected: dict[str, Any]
) -> None:
    r = await world.client("alice").get("/api/v1/reports/overview", params=custom(DAY, tz))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["current"] == expected
    assert body["previous"] == figures()
    assert body["period"]["timezone"] == tz
    # Waiting now: the three conversations of the starting world and C.
    assert (body["waiting_now"], body["open_now"]) == (4, 4)


async def test_overview_of_the_next_day_in_ho_chi_minh(world: World, day: dict[str, str]) -> None:
    r = await world.client("dave").get(
        "/api/v1/reports/overview", params=custom("2026-01-06", HO_CHI_MINH)
    )
    assert r.status_code == 200, r.text
    assert r.json()["current"] == HO_CHI_MINH_NEXT_DAY
    assert r.json()["previous"] == HO_CHI_MINH_DAY
