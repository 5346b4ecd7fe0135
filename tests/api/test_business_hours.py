"""Business hours through the API: the workspace's, a team's own, and the status they give.

The clock starts on Monday 5 January 2026 at 09:00 UTC, which is 06:00 in São Paulo.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.hours.calendar import Period, Schedule, is_open
from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.hours.queries import effective_schedule
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Team, Workspace
from frontdesk.demo import DEMO_SLUG, LOGISTICS_SLUG
from tests.conftest import Published, World
from tests.demo_snapshot import DemoSnapshot, play_demo
from tests.factories import Factory

API = "/api/v1/business-hours"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
STORE = {
    "timezone": "America/Sao_Paulo",
    "is_enabled": True,
    "periods": [
        *({"weekday": d, "start": "08:00", "end": "18:00"} for d in WEEKDAYS),
        {"weekday": "saturday", "start": "09:00", "end": "13:00"},
    ],
    "holidays": [{"date": "2026-12-25", "name": "Natal", "is_recurring": True}],
}
NIGHT_DESK = {
    "timezone": "Asia/Ho_Chi_Minh",
    "periods": [{"weekday": "monday", "start": "22:00", "end": "00:00"}],
}


def team_api(world: World, name: str = "support") -> str:
    return f"/api/v1/teams/{world.acme.teams[name].id}/business-hours"


async def stored(runtime: Runtime) -> list[dict[str, Any]]:
    """Every stored schedule, as comparable data."""
    async with runtime.database.read_session() as db:
        rows = (await db.scalars(select(BusinessHours).order_by(BusinessHours.id))).all()
    return [
        {
            "workspace_id": r.workspace_id,
            "team_id": r.team_id,
            "timezone": r.timezone,
            "is_enabled": r.is_enabled,
            "periods": r.periods,
            "holidays": r.holidays,
            "updated_at": r.updated_at,
        }
        for r in rows
    ]


async def audited(runtime: Runtime, action: str) -> list[AuditLogEntry]:
    async with runtime.database.read_session() as db:
        return list(
            await db.scalars(
                select(AuditLogEntry)
                .where(AuditLogEntry.action == action)
                .order_by(AuditLogEntry.created_at)
            )
        )


async def put(world: World, url: str, body: dict[str, Any], who: str = "alice") -> Any:
    async with world.client(who) as client:
        r = await client.put(url, json=body)
    assert r.status_code == 200, r.text
    return r.json()


async def test_an_owner_sets_the_workspace_hours_and_sees_when_it_opens(
    world: World, runtime: Runtime, published: Published
) -> None:
    body = await put(world, API, STORE)

    assert body["team_id"] is None
    assert body["source"] == "workspace"
    schedule = body["schedule"]
    assert {k: schedule[k] for k in STORE} == STORE
    # 06:00 in São Paulo on a Monday: closed, opening at 08:00 local (11:00 UTC).
    assert body["open_now"] is False
    assert body["next_opening"] == "2026-01-05T11:00:00Z"
    assert body["next_closing"] == "2026-01-05T09:00:00Z"
    [row] = await stored(runtime)
    assert (row["workspace_id"], row["team_id"], row["timezone"]) == (
        world.acme.id,
        None,
        "America/Sao_Paulo",
    )
    assert row["periods"] == STORE["periods"]
    assert published.types() == ["business_hours.updated"]
    event = published.events[0]
    assert event.audience == (f"ws:{world.acme.id}",)
    assert event.payload == {"team_id": None, "schedule": schedule}
    [entry] = await audited(runtime, "business_hours.updated")
    assert (entry.target_type, entry.target_id) == ("workspace", str(world.acme.id))
    assert entry.details["timezone"] == "America/Sao_Paulo"


async def test_the_status_follows_the_clock(world: World, clock: FrozenClock) -> None:
    await put(world, API, STORE)
    clock.set(clock.now().replace(hour=12))  # 09:00 in São Paulo
    async with world.client("bob") as bob:
        open_ = (await bob.get(API)).json()
        clock.set(clock.now().replace(day=10, hour=17))  # Saturday 14:00 in São Paulo
        weekend = (await bob.get(API)).json()
    assert (open_["open_now"], open_["next_opening"], open_["next_closing"]) == (
        True,
        "2026-01-05T12:00:00Z",
        "2026-01-05T21:00:00Z",
    )
    assert (weekend["open_now"], weekend["next_opening"]) == (False, "2026-01-12T11:00:00Z")


async def test_every_member_reads_the_hours_and_without_any_it_is_always_open(
    world: World,
) -> None:
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            r = await client.get(API)
        assert r.status_code == 200, r.text
        assert r.json() == {
            "team_id": None,
            "schedule": None,
            "source": "none",
            "open_now": True,
            "next_opening": None,
            "next_closing": None,
        }


async def test_only_owners_and_managers_change_hours(
    world: World, runtime: Runtime, published: Published
) -> None:
    await put(world, API, STORE, who="dave")
    await put(world, team_api(world), NIGHT_DESK, who="dave")
    before = await stored(runtime)
    published.events.clear()
    refused = []
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            refused += [
                await client.put(API, json=NIGHT_DESK),
                await client.delete(API),
                await client.put(team_api(world), json=STORE),
                await client.delete(team_api(world)),
            ]
    assert [r.status_code for r in refused] == [403] * 8
    assert refused[0].json()["error"]["code"] == "forbidden"
    assert await stored(runtime) == before
    assert published.types() == []


async def test_a_team_overrides_the_workspace_hours_until_cleared(
    world: World, runtime: Runtime, published: Published
) -> None:
    await put(world, API, STORE)
    support, sales = world.acme.teams["support"].id, world.acme.teams["sales"].id
    async with world.client("alice") as alice:
        following = (await alice.get(team_api(world))).json()
        own = await alice.put(team_api(world), json=NIGHT_DESK)
        sales_hours = (await alice.get(team_api(world, "sales"))).json()
    assert (following["team_id"], following["schedule"], following["source"]) == (
        str(support),
        None,
        "workspace",
    )
    assert following["next_opening"] == "2026-01-05T11:00:00Z"
    body = own.json()
    assert (body["team_id"], body["source"]) == (str(support), "team")
    # Midnight as an end is stored as 24:00; Monday 22:00 in Ho Chi Minh City is 15:00 UTC.
    assert body["schedule"]["periods"] == [{"weekday": "monday", "start": "22:00", "end": "24:00"}]
    assert body["schedule"]["holidays"] == []
    assert body["next_opening"] == "2026-01-05T15:00:00Z"
    assert sales_hours["source"] == "workspace"

    async with runtime.database.read_session() as db:
        team_schedule = await effective_schedule(db, world.acme.id, support)
        sales_schedule = await effective_schedule(db, world.acme.id, sales)
        no_team = await effective_schedule(db, world.acme.id, None)
        other = await effective_schedule(db, world.other.id, world.other.teams["desk"].id)
    assert team_schedule is not None
    assert team_schedule.timezone == "Asia/Ho_Chi_Minh"
    assert team_schedule.periods == (Period("monday", "22:00", "24:00"),)
    assert sales_schedule is not None
    assert no_team is not None
    assert sales_schedule.timezone == no_team.timezone == "America/Sao_Paulo"
    assert other is None

    published.events.clear()
    async with world.client("alice") as alice:
        cleared = await alice.delete(team_api(world))
        again = await alice.delete(team_api(world))
        after = (await alice.get(team_api(world))).json()
    assert (cleared.status_code, again.status_code) == (204, 204)
    assert (after["schedule"], after["source"]) == (None, "workspace")
    # Clearing what is not there changes nothing and tells no one.
    assert published.types() == ["business_hours.updated"]
    assert published.events[0].payload == {"team_id": str(support), "schedule": None}
    assert [e.target_id for e in await audited(runtime, "business_hours.cleared")] == [str(support)]
    assert [r["team_id"] for r in await stored(runtime)] == [None]


async def test_clearing_the_workspace_hours_leaves_teams_with_their_own(
    world: World, runtime: Runtime
) -> None:
    await put(world, API, STORE)
    await put(world, team_api(world), NIGHT_DESK)
    async with world.client("dave") as dave:
        r = await dave.delete(API)
        workspace = (await dave.get(API)).json()
        sales = (await dave.get(team_api(world, "sales"))).json()
        support = (await dave.get(team_api(world))).json()
    assert r.status_code == 204
    assert (workspace["source"], workspace["open_now"], workspace["next_opening"]) == (
        "none",
        True,
        None,
    )
    assert sales["source"] == "none"
    assert support["source"] == "team"
    assert [row["team_id"] for row in await stored(runtime)] == [world.acme.teams["support"].id]


async def test_a_disabled_schedule_is_kept_but_always_open(world: World, runtime: Runtime) -> None:
    body = await put(world, API, {**STORE, "is_enabled": False})
    assert (body["source"], body["open_now"], body["next_opening"]) == ("workspace", True, None)
    assert body["schedule"]["periods"] == STORE["periods"]
    async with runtime.database.read_session() as db:
        schedule = await effective_schedule(db, world.acme.id, None)
    assert schedule is not None
    assert not schedule.is_enabled
    assert is_open(schedule, runtime.clock.now())


async def test_writing_the_same_hours_again_changes_nothing(
    world: World, runtime: Runtime, published: Published, clock: FrozenClock
) -> None:
    await put(world, API, STORE)
    before = await stored(runtime)
    published.events.clear()
    clock.advance(minutes=5)
    await put(world, API, STORE)
    assert await stored(runtime) == before
    assert published.types() == []
    assert len(await audited(runtime, "business_hours.updated")) == 1
    changed = await put(world, API, {**STORE, "holidays": []})
    assert changed["schedule"]["holidays"] == []
    assert changed["schedule"]["updated_at"] == "2026-01-05T09:05:00Z"
    assert published.types() == ["business_hours.updated"]


BAD = {
    "timezone": ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    "overlap": (
        {
            "periods": [
                {"weekday": "monday", "start": "08:00", "end": "12:00"},
                {"weekday": "monday", "start": "11:00", "end": "14:00"},
            ]
        },
        "periods.1",
    ),
    "overnight overlap": (
        {
            "periods": [
                {"weekday": "sunday", "start": "22:00", "end": "09:00"},
                {"weekday": "monday", "start": "08:00", "end": "12:00"},
            ]
        },
        "periods.1",
    ),
    "end is start": (
        {"periods": [{"weekday": "monday", "start": "09:00", "end": "09:00"}]},
        "periods.0.end",
    ),
    "weekday": (
        {"periods": [{"weekday": "someday", "start": "09:00", "end": "10:00"}]},
        "periods.0.weekday",
    ),
    "time": (
        {"periods": [{"weekday": "monday", "start": "9:00", "end": "10:00"}]},
        "periods.0.start",
    ),
    "past midnight": (
        {"periods": [{"weekday": "monday", "start": "09:00", "end": "24:01"}]},
        "periods.0.end",
    ),
    "holiday twice": (
        {
            "holidays": [
                {"date": "2026-12-25", "name": "Natal"},
                {"date": "2026-12-25", "name": "Christmas"},
            ]
        },
        "holidays.1.date",
    ),
    "holiday date": ({"holidays": [{"date": "2026-02-30", "name": "No"}]}, "holidays.0.date"),
    "unknown field": ({"open_on_sundays": True}, "open_on_sundays"),
}


async def test_bad_hours_name_the_field_and_write_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    await put(world, API, STORE)
    await put(world, team_api(world), NIGHT_DESK)
    before = await stored(runtime)
    audit_before = len(await audited(runtime, "business_hours.updated"))
    published.events.clear()
    async with world.client("alice") as alice:
        for label, (change, field) in BAD.items():
            for url in (API, team_api(world)):
                r = await alice.put(url, json={**STORE, **change})
                assert r.status_code == 422, (label, url, r.text)
                error = r.json()["error"]
                assert error["code"] == "invalid"
                assert error["details"]["field"] == field, (label, error)
        missing = await alice.put(API, json={"periods": []})
        not_json = await alice.put(API, content=b"{", headers={"Content-Type": "application/json"})
    assert missing.status_code == 422
    assert missing.json()["error"]["details"]["field"] == "timezone"
    assert not_json.status_code == 422
    assert await stored(runtime) == before
    assert len(await audited(runtime, "business_hours.updated")) == audit_before
    assert published.types() == []


async def test_messages_say_what_is_wrong(world: World) -> None:
    async with world.client("alice") as alice:
        overlap = await alice.put(API, json={**STORE, **BAD["overlap"][0]})
        zone = await alice.put(API, json={**STORE, **BAD["timezone"][0]})
    assert "Monday 08:00-12:00" in overlap.json()["error"]["message"]
    assert "overlap" in overlap.json()["error"]["message"]
    assert "Mars/Olympus_Mons" in zone.json()["error"]["message"]


async def test_a_team_of_another_workspace_is_not_found(
    world: World, runtime: Runtime, published: Published
) -> None:
    await put(world, team_api(world), NIGHT_DESK)
    before = await stored(runtime)
    published.events.clear()
    support = world.acme.teams["support"].id
    async with world.client("oscar") as oscar:
        answers = [
            await oscar.get(f"/api/v1/teams/{support}/business-hours"),
            await oscar.put(f"/api/v1/teams/{support}/business-hours", json=STORE),
            await oscar.delete(f"/api/v1/teams/{support}/business-hours"),
        ]
        theirs = (await oscar.get(API)).json()
    assert [r.status_code for r in answers] == [404, 404, 404]
    assert (theirs["schedule"], theirs["source"]) == (None, "none")
    assert await stored(runtime) == before
    assert published.types() == []


async def test_deleting_a_team_deletes_its_hours(world: World, runtime: Runtime) -> None:
    await put(world, API, STORE)
    async with runtime.database.read_session() as db:
        teams_before = await db.scalar(select(func.count()).select_from(Team))
    async with world.client("alice") as alice:
        created = await alice.post("/api/v1/teams", json={"name": "Night desk"})
        assert created.status_code == 201, created.text
        night = created.json()["id"]
        await put(world, f"/api/v1/teams/{night}/business-hours", NIGHT_DESK)
        r = await alice.delete(f"/api/v1/teams/{night}")
    assert r.status_code == 204, r.text
    assert [row["team_id"] for row in await stored(runtime)] == [None]
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(Team)) == teams_before


async def test_an_api_token_reads_and_writes_by_its_role(world: World, runtime: Runtime) -> None:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        manager = await f.api_token(world.acme.workspace, "manager", "ops")
        agent = await f.api_token(world.acme.workspace, "agent", "bot")
        await s.commit()
    async with world.bearer(manager) as client:
        written = await client.put(API, json=STORE)
    async with world.bearer(agent) as client:
        read = await client.get(API)
        refused = await client.put(API, json=NIGHT_DESK)
    assert written.status_code == 200, written.text
    assert read.json()["schedule"]["timezone"] == "America/Sao_Paulo"
    assert refused.status_code == 403
    [row] = await stored(runtime)
    assert row["timezone"] == "America/Sao_Paulo"


async def test_the_demo_workspaces_keep_office_hours(
    runtime: Runtime, demo_snapshot: DemoSnapshot
) -> None:
    await play_demo(runtime, demo_snapshot)
    async with runtime.database.read_session() as db:
        workspaces = dict((await db.execute(select(Workspace.slug, Workspace.id))).all())
        teams = dict((await db.execute(select(Team.name, Team.id))).all())
        retail = await effective_schedule(db, workspaces[DEMO_SLUG], teams["Atacadão"])
        drivers = await effective_schedule(db, workspaces[LOGISTICS_SLUG], teams["Rota Express"])
    assert retail is not None
    assert drivers is not None
    assert (retail.timezone, drivers.timezone) == ("America/Sao_Paulo", "America/Sao_Paulo")
    assert Period("monday", "08:00", "18:00") in retail.periods
    assert Period("saturday", "09:00", "13:00") in retail.periods
    assert "Natal" in {h.name for h in retail.holidays if h.is_recurring}
    # The drivers' team has its own hours, with a lunch break.
    assert {p for p in drivers.periods if p.weekday == "monday"} == {
        Period("monday", "06:00", "12:00"),
        Period("monday", "13:00", "21:00"),
    }
    # Monday 5 January 2026, 09:00 UTC is 06:00 in São Paulo: drivers' desk open, stores not yet.
    now = runtime.clock.now()
    assert is_open(drivers, now)
    assert not is_open(retail, now)


async def test_the_editor_offers_every_region_city_zone_the_server_accepts(
    world: World, anon: Any
) -> None:
    async with world.client("bob") as bob:
        r = await bob.get(f"{API}/time-zones")
    zones = r.json()
    assert zones[0] == "UTC"
    assert {"America/Sao_Paulo", "Asia/Ho_Chi_Minh", "Europe/Berlin"} <= set(zones)
    assert not any(z.startswith(("US/", "Etc/")) for z in zones)
    assert zones[1:] == sorted(zones[1:])
    for zone in zones:
        Schedule(zone)  # every offered zone is accepted
    assert (await anon.get(f"{API}/time-zones")).status_code == 401
