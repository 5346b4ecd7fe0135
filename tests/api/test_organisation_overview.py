"""The organisation overview: a scripted morning in two workspaces of one organisation, and
another organisation that never appears.

Acme Recruitment has "Acme Clients" (UTC; the world's three open conversations, waiting since
09:00, one queued in Sales) and "Acme Vietnam" (Asia/Ho_Chi_Minh, UTC+7), where Nina, the
organisation's admin, is not a member. On Monday 5 January 2026 (UTC):

- Clients: Ana writes on the site chat 09:00, Alice replies 09:03 and closes 09:10. Bob goes
  online, Dave away, Carol busy.
- Vietnam: Bao writes 09:00, Carol replies 09:20 and closes 09:25; Chi writes 09:05 and Carol
  closes it 09:06 unanswered (abandoned); Duc writes 09:30 and waits. Carol is online.

At 10:00 the report job has run; every figure below is worked out by hand.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from frontdesk.core.accounts.models import User
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import Visitor, ok, reply
from tests.conftest import QueryCounter, World
from tests.factories import Factory

URL = "/api/v1/organisation/overview"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, 5, hour, minute, tzinfo=UTC)


class Morning:
    def __init__(self, world: World, nina: httpx.AsyncClient, otto: httpx.AsyncClient) -> None:
        self.world, self.nina, self.otto = world, nina, otto
        self.vietnam_id = uuid.UUID(int=0)


def _client(world: World, token: str, csrf: str, workspace: uuid.UUID | None = None) -> Any:
    headers = {"X-CSRF-Token": csrf}
    if workspace is not None:
        headers["X-Workspace-Id"] = str(workspace)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
        headers=headers,
    )
    client.cookies.set("frontdesk_session", token)
    return client


async def _workspace(f: Factory, org_id: uuid.UUID, name: str, slug: str, zone: str) -> Workspace:
    ws = Workspace(
        organisation_id=org_id, name=name, slug=slug, timezone=zone, settings={}, created_at=f.now
    )
    f.s.add(ws)
    await f.flush()
    return ws


async def _admin(
    f: Factory, email: str, org_id: uuid.UUID, workspace: Workspace
) -> tuple[str, str]:
    user: User = await f.user(email, email.split("@", maxsplit=1)[0].title())
    user.organisation_id, user.is_org_admin = org_id, True
    await f.member(workspace, user, "owner")
    return await f.session_for(user, workspace)


@pytest.fixture
async def morning(runtime: Runtime, world: World, clock: FrozenClock) -> Morning:
    acme, other = world.acme, world.other
    async with runtime.database.write_session() as s:
        f = Factory(s, clock.now())
        vietnam = await _workspace(
            f, acme.workspace.organisation_id, "Acme Vietnam", "acme-vn", "Asia/Ho_Chi_Minh"
        )
        carol = world.persona("carol")
        await f.member(vietnam, carol.user, "agent")
        site = await f.channel(acme.workspace, "webchat", "Clients site")
        vn_site = await f.channel(vietnam, "webchat", "Vietnam site")
        nina = await _admin(f, "nina@acme.test", acme.workspace.organisation_id, acme.workspace)
        otto = await _admin(f, "otto@other.test", other.workspace.organisation_id, other.workspace)
        await s.commit()
    alice, bob, dave = (world.client(n) for n in ("alice", "bob", "dave"))
    carol_acme = world.client("carol")
    carol_vn = world.client("carol")
    carol_vn.headers["X-Workspace-Id"] = str(vietnam.id)

    clock.set(at(9))
    await ok(bob.put("/api/v1/me/state", json={"state": "online"}))
    await ok(dave.put("/api/v1/me/state", json={"state": "away"}))
    await ok(carol_acme.put("/api/v1/me/state", json={"state": "busy"}))
    await ok(carol_vn.put("/api/v1/me/state", json={"state": "online"}))
    ana = Visitor(world, site.id, "Ana")
    a = await ana.writes("Hello, is the job open?")
    bao = Visitor(world, vn_site.id, "Bao")
    b = await bao.writes("Xin chào")
    clock.set(at(9, 3))
    await reply(alice, a, "Yes it is")
    clock.set(at(9, 5))
    chi = Visitor(world, vn_site.id, "Chi")
    c = await chi.writes("Wrong number")
    clock.set(at(9, 6))
    await ok(carol_vn.post(f"/api/v1/conversations/{c}/close", json={}))
    clock.set(at(9, 10))
    await ok(alice.post(f"/api/v1/conversations/{a}/close", json={}))
    clock.set(at(9, 20))
    await reply(carol_vn, b, "Chào bạn")
    clock.set(at(9, 25))
    await ok(carol_vn.post(f"/api/v1/conversations/{b}/close", json={}))
    clock.set(at(9, 30))
    await Visitor(world, vn_site.id, "Duc").writes("When do you open?")
    clock.set(at(10))
    await update_reports(runtime, {})
    for client in (alice, bob, dave, carol_acme, carol_vn):
        await client.aclose()
    result = Morning(world, _client(world, *nina), _client(world, *otto))
    result.vietnam_id = vietnam.id
    return result


def live(**figures: Any) -> dict[str, Any]:
    base = {
        "open": 0,
        "waiting": 0,
        "queued": 0,
        "awaiting_first_reply": 0,
        "longest_wait_seconds": None,
        "agents_online": 0,
        "agents_busy": 0,
        "agents_away": 0,
    }
    return base | figures


async def test_the_admin_sees_every_workspace_of_the_organisation(morning: Morning) -> None:
    body = await ok(morning.nina.get(URL))
    assert body["organisation"]["name"] == "Acme Recruitment"
    assert body["generated_at"] == "2026-01-05T10:00:00Z"
    clients, vietnam = body["workspaces"]
    assert (clients["name"], clients["role"]) == ("Acme Clients", "owner")
    assert (vietnam["name"], vietnam["role"], vietnam["id"]) == (
        "Acme Vietnam",
        None,  # not a member: figures, but no switching into it
        str(morning.vietnam_id),
    )
    # The world's three conversations, waiting since 09:00 and never answered (Erin's in
    # Sales in its queue); Ana's is closed.
    assert clients["live"] == live(
        open=3,
        waiting=3,
        queued=1,
        awaiting_first_reply=3,
        longest_wait_seconds=3600.0,
        agents_online=1,
        agents_busy=1,
        agents_away=1,
    )
    assert clients["today"] == {
        "day": "2026-01-05",
        "timezone": "UTC",
        "opened": 1,
        "closed": 1,
        "answered": 1,
        "abandoned": 0,
        "first_response_median": 180.0,
        "service_level": 1.0,
        "abandonment_rate": 0.0,
    }
    # Duc waits since 09:30.
    assert vietnam["live"] == live(
        open=1, waiting=1, awaiting_first_reply=1, longest_wait_seconds=1800.0, agents_online=1
    )
    # 10:00 UTC is 17:00 on the 5th in Ho Chi Minh City; Bao's 20-minute answer misses the
    # promised 5 minutes, and Chi's close unanswered is an abandonment.
    assert vietnam["today"] == {
        "day": "2026-01-05",
        "timezone": "Asia/Ho_Chi_Minh",
        "opened": 3,
        "closed": 2,
        "answered": 1,
        "abandoned": 1,
        "first_response_median": 1200.0,
        "service_level": 0.0,
        "abandonment_rate": 0.5,
    }


async def test_today_is_each_workspace_s_own_day(
    morning: Morning, clock: FrozenClock, runtime: Runtime
) -> None:
    # 17:30 UTC: already the 6th in Ho Chi Minh City (nothing yet), still the 5th in UTC.
    clock.set(at(17, 30))
    body = await ok(morning.nina.get(URL))
    clients, vietnam = body["workspaces"]
    assert (clients["today"]["day"], clients["today"]["opened"]) == ("2026-01-05", 1)
    assert vietnam["today"]["day"] == "2026-01-06"
    assert (vietnam["today"]["opened"], vietnam["today"]["first_response_median"]) == (0, None)
    assert vietnam["live"]["longest_wait_seconds"] == 8 * 3600.0


async def test_another_organisation_never_appears(morning: Morning) -> None:
    nina = await ok(morning.nina.get(URL))
    other_id = str(morning.world.other.id)
    assert other_id not in str(nina)
    otto = await ok(morning.otto.get(URL))
    assert otto["organisation"]["name"] == "Other Org"
    assert [w["name"] for w in otto["workspaces"]] == ["Other Workspace"]
    assert str(morning.world.acme.id) not in str(otto)
    assert str(morning.vietnam_id) not in str(otto)
    # Olga waits in Other Workspace's Desk queue since 09:00.
    assert otto["workspaces"][0]["live"] == live(
        open=1, waiting=1, queued=1, awaiting_first_reply=1, longest_wait_seconds=3600.0
    )


async def test_only_organisation_admins_see_it(
    morning: Morning, world: World, runtime: Runtime
) -> None:
    for name in ("alice", "bob", "oscar"):  # an owner, an agent, another organisation's owner
        async with world.client(name) as client:
            r = await client.get(URL)
            assert r.status_code == 403, r.text
            assert r.json()["error"]["code"] == "forbidden"
    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    async with world.bearer(token) as bot:
        assert (await bot.get(URL)).status_code == 401
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as anonymous:
        assert (await anonymous.get(URL)).status_code == 401


async def test_the_number_of_queries_does_not_grow_with_workspaces(
    morning: Morning, runtime: Runtime, count_queries: Any
) -> None:
    counter: QueryCounter = count_queries()
    await ok(morning.nina.get(URL))  # the session's first use of the day is recorded once
    with counter:
        await ok(morning.nina.get(URL))
    two = counter.count
    # The session, the organisation, its workspaces, conversations, agents, rollups, digests.
    assert two <= 7, counter.statements
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        org_id = morning.world.acme.workspace.organisation_id
        for n, zone in enumerate(("America/Sao_Paulo", "Asia/Kolkata", "UTC")):
            await _workspace(f, org_id, f"Branch {n}", f"branch-{n}", zone)
        await s.commit()
    with counter:
        body = await ok(morning.nina.get(URL))
    assert len(body["workspaces"]) == 5
    assert counter.count == two
    branch = next(w for w in body["workspaces"] if w["name"] == "Branch 1")
    assert branch["live"] == live()
    assert (branch["today"]["opened"], branch["today"]["timezone"]) == (0, "Asia/Kolkata")
