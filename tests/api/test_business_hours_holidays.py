"""Holidays by country: a schedule follows Brazil's (São Paulo's) or Vietnam's holidays from the
holidays library, movable feasts included, works on some and closes on optional ones.

The clock starts on Monday 5 January 2026 at 09:00 UTC, which is 06:00 in São Paulo.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.routing.hours import opening
from frontdesk.core.runtime import Runtime
from tests.conftest import Published, World
from tests.factories import Factory

API = "/api/v1/business-hours"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
SAO_PAULO = {
    "timezone": "America/Sao_Paulo",
    "periods": [{"weekday": d, "start": "08:00", "end": "18:00"} for d in WEEKDAYS],
    "holiday_country": "BR",
    "holiday_subdivision": "SP",
    # Open on Good Friday; closed on Carnival (optional in Brazil), not on Ash Wednesday.
    "skipped_holidays": ["Sexta-feira Santa"],
    "observed_holidays": ["Carnaval"],
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def status_at(
    world: World, runtime: Runtime, clock: FrozenClock, at: datetime, url: str = API
) -> dict[str, Any]:
    """The status months ahead, read with an API token (a signed-in session would have ended)."""
    async with runtime.database.write_session() as s:
        token = await Factory(s, clock.now()).api_token(world.acme.workspace, "agent", "reader")
        await s.commit()
    clock.set(at)
    async with world.bearer(token) as client:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_schedule_follows_its_country_and_region(
    world: World, runtime: Runtime, clock: FrozenClock, published: Published
) -> None:
    async with world.client("alice") as alice:
        saved = await alice.put(API, json={**SAO_PAULO, "holiday_country": "br"})
    assert saved.status_code == 200, saved.text
    schedule = saved.json()["schedule"]
    assert (schedule["holiday_country"], schedule["holiday_subdivision"]) == ("BR", "SP")
    assert schedule["skipped_holidays"] == ["Sexta-feira Santa"]
    assert schedule["observed_holidays"] == ["Carnaval"]
    assert published.types() == ["business_hours.updated"]
    assert published.events[0].payload["schedule"]["holiday_country"] == "BR"

    # Carnival Monday, 09:00 in São Paulo: closed; Ash Wednesday is not observed.
    carnival = await status_at(world, runtime, clock, utc(2026, 2, 16, 12))
    assert carnival["open_now"] is False
    assert carnival["next_opening"] == "2026-02-18T11:00:00Z"
    # Good Friday is skipped: open. Tiradentes (21 April, national) and 9 July (São Paulo) close.
    assert (await status_at(world, runtime, clock, utc(2026, 4, 3, 12)))["open_now"] is True
    tiradentes = await status_at(world, runtime, clock, utc(2026, 4, 21, 12))
    assert (tiradentes["open_now"], tiradentes["next_opening"]) == (False, "2026-04-22T11:00:00Z")
    assert (await status_at(world, runtime, clock, utc(2026, 7, 9, 12)))["open_now"] is False
    # Corpus Christi is optional and not observed.
    assert (await status_at(world, runtime, clock, utc(2026, 6, 4, 12)))["open_now"] is True


async def test_routing_answers_with_the_country_holidays_in_the_schedule_zone(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    async with world.client("alice") as alice:
        assert (await alice.put(API, json=SAO_PAULO)).status_code == 200
    support = world.acme.teams["support"].id
    async with runtime.database.read_session() as db:
        # 1 May 2026 01:00 UTC is still 30 April (a Thursday, open until 18:00) in São Paulo:
        # the holiday is the local day, so at 22:00 local the next opening skips 1 May.
        evening = await opening(db, world.acme.id, support, utc(2026, 5, 1, 1))
        labour_day = await opening(db, world.acme.id, support, utc(2026, 5, 1, 14))
    assert (evening.open_now, evening.next_opening) == (False, utc(2026, 5, 4, 11))
    assert (labour_day.open_now, labour_day.next_opening) == (False, utc(2026, 5, 4, 11))
    assert evening.time_zone == "America/Sao_Paulo"


async def test_bad_countries_regions_and_holidays_are_refused_and_write_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    cases = [
        ({**SAO_PAULO, "holiday_country": "XX"}, "holiday_country"),
        ({**SAO_PAULO, "holiday_subdivision": "ZZ"}, "holiday_subdivision"),
        ({**SAO_PAULO, "holiday_country": None, "skipped_holidays": []}, "holiday_subdivision"),
        ({**SAO_PAULO, "skipped_holidays": ["Carnaval"]}, "skipped_holidays.0"),
        ({**SAO_PAULO, "observed_holidays": ["Natal"]}, "observed_holidays.0"),
        (
            {**SAO_PAULO, "holiday_country": None, "holiday_subdivision": None},
            "skipped_holidays",
        ),
    ]
    async with world.client("alice") as alice:
        for body, field in cases:
            response = await alice.put(API, json=body)
            assert response.status_code == 422, (field, response.text)
            assert response.json()["error"]["details"]["field"] == field
        malformed = await alice.put(API, json={**SAO_PAULO, "holiday_country": "Brazil"})
    assert malformed.status_code == 422
    async with runtime.database.read_session() as db:
        assert list(await db.scalars(select(BusinessHours))) == []
    assert published.types() == []


async def test_the_editor_previews_a_country_holidays_in_the_reader_language(
    world: World, clock: FrozenClock
) -> None:
    async with world.client("bob") as bob:
        pt = await bob.get(
            f"{API}/holidays", params={"country": "BR", "subdivision": "SP", "language": "pt-BR"}
        )
        en = await bob.get(f"{API}/holidays", params={"country": "br", "subdivision": "SP"})
        vi = await bob.get(f"{API}/holidays", params={"country": "VN", "language": "vi"})
        unknown = await bob.get(f"{API}/holidays", params={"country": "XX"})
        no_region = await bob.get(f"{API}/holidays", params={"country": "BR", "subdivision": "ZZ"})
        countries = await bob.get(f"{API}/holiday-countries")
    assert pt.status_code == en.status_code == vi.status_code == 200, pt.text
    by_date = {h["date"]: h for h in pt.json()}
    assert by_date["2026-02-16"] == {
        "date": "2026-02-16",
        "key": "Carnaval",
        "name": "Carnaval",
        "category": "optional",
    }
    assert by_date["2026-04-03"]["name"] == "Sexta-feira Santa"
    assert by_date["2026-06-04"]["key"] == "Corpus Christi"
    assert by_date["2026-07-09"]["category"] == "public"  # São Paulo's own
    english = {h["date"]: h for h in en.json()}
    assert english["2026-04-03"] == {**by_date["2026-04-03"], "name": "Good Friday"}
    assert [h["date"] for h in en.json()] == [h["date"] for h in pt.json()]
    assert min(by_date) >= "2026-01-05"  # from today on, for a year
    tet = [h for h in vi.json() if h["date"] == "2026-02-17"]
    assert tet == [
        {
            "date": "2026-02-17",
            "key": "Tết Nguyên Đán",
            "name": "Tết Nguyên Đán",
            "category": "public",
        }
    ]
    assert unknown.status_code == no_region.status_code == 422
    assert unknown.json()["error"]["details"]["field"] == "holiday_country"
    listed = {c["code"]: c for c in countries.json()}
    assert {"code": "SP", "name": "São Paulo"} in listed["BR"]["subdivisions"]
    assert listed["VN"]["subdivisions"] == []
    assert all(len(code) == 2 for code in listed)


async def test_a_team_follows_another_country(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    support = world.acme.teams["support"].id
    async with world.client("alice") as alice:
        await alice.put(API, json=SAO_PAULO)
        team = await alice.put(
            f"/api/v1/teams/{support}/business-hours",
            json={
                "timezone": "Asia/Ho_Chi_Minh",
                "periods": [{"weekday": d, "start": "08:00", "end": "17:00"} for d in WEEKDAYS],
                "holiday_country": "VN",
            },
        )
        assert team.status_code == 200, team.text
    tet_day = utc(2026, 2, 17, 3)  # Tết, 10:00 in Ho Chi Minh City; a Tuesday
    tet = await status_at(world, runtime, clock, tet_day, f"/api/v1/teams/{support}/business-hours")
    workspace = await status_at(world, runtime, clock, tet_day)
    assert (tet["source"], tet["open_now"]) == ("team", False)
    assert tet["next_opening"] == "2026-02-23T01:00:00Z"
    # 17 February is Carnival Tuesday in São Paulo: the workspace is closed too, until Wednesday.
    assert (workspace["open_now"], workspace["next_opening"]) == (False, "2026-02-18T11:00:00Z")
