"""SLA in Chromium: a manager adds an SLA policy in Settings; in the inbox each conversation
counts down to its due time, amber once at risk and red once overdue, ticking in the browser
(the server's clock is set just before the due times, so the browser's own clock carries it
past them: no sleeps); the breach reaches the manager's bell live; on a phone the
conversation's header shows the countdown."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import update

from frontdesk.core.accounts.models import AuthSession
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.sla import track_sla_targets
from frontdesk.web.routes import APP_DIR
from tests.api.test_reports_scenario import Visitor
from tests.factories import PASSWORD, Factory
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def test_a_countdown_turns_red_and_the_breach_reaches_the_manager(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    runtime: Runtime,
    clock: FrozenClock,
) -> None:
    world = live.world
    support = world.acme.teams["support"]
    # The server's clock moves to the browser's (the world was made at its default time): the
    # world's sessions move along.
    clock.set(datetime.now(UTC))
    async with runtime.database.write_session() as s:
        await s.execute(
            update(AuthSession).values(
                last_seen_at=clock.now(), expires_at=clock.now() + timedelta(days=14)
            )
        )
        channel = await Factory(s, clock.now()).channel(world.acme.workspace, "webchat", "Site")
        channel.team_id = support.id
        await s.commit()
    async with world.client("alice") as alice:
        r = await alice.post(
            "/api/v1/sla-policies",
            json={"name": "Support", "team_id": str(support.id), "first_response_minutes": 60},
        )
        assert r.status_code == 201, r.text

    ctx = await browser.new_context(base_url=live.http_url, timezone_id="UTC")
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("dave@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    bell = page.get_by_role("button", name=re.compile("^Notifications"))
    await expect(bell).to_be_visible()

    # Dave adds a one-minute first response for Support's urgent conversations.
    await page.goto(f"{live.http_url}/settings?tab=sla")
    form = page.get_by_role("form", name="New SLA policy")
    await form.get_by_label("Name").fill("Urgent")
    await form.get_by_role("textbox", name="Team", exact=True).click()
    await page.get_by_role("option", name="Support", exact=True).click()
    await form.get_by_role("textbox", name="Priority", exact=True).click()
    await page.get_by_role("option", name="Urgent", exact=True).click()
    await form.get_by_label("First response", exact=True).fill("1")
    await form.get_by_role("switch", name="Count only business hours").uncheck()
    await form.get_by_role("button", name="Add policy").click()
    table = page.get_by_role("table", name="SLA policies")
    await expect(table.get_by_role("row", name=re.compile("^Urgent"))).to_contain_text("1 minute")
    await expect(table.get_by_role("row", name=re.compile("^Support"))).to_contain_text("1 hour")
    await page.screenshot(path=screenshots / "sla-settings.png")

    # Ana wrote 50 minutes ago (at risk after 48), Chi 55 seconds ago and is urgent.
    now = datetime.now(UTC)
    clock.set(now - timedelta(minutes=50))
    ana = await Visitor(world, channel.id, "Ana").writes("Hello, any news on my application?")
    clock.set(now - timedelta(seconds=55))
    chi = await Visitor(world, channel.id, "Chi").writes("I need help now")
    async with world.client("dave") as dave:
        r = await dave.patch(f"/api/v1/conversations/{chi}", json={"priority": "urgent"})
        assert r.status_code == 200, r.text
    clock.set(now)
    await track_sla_targets(runtime, {})

    await page.goto(live.http_url)
    ana_timer = page.get_by_role("link", name=re.compile("Ana")).get_by_role("timer")
    chi_timer = page.get_by_role("link", name=re.compile("Chi")).get_by_role("timer")
    await expect(ana_timer).to_have_attribute("data-tone", "at_risk")
    await expect(ana_timer).to_have_attribute(
        "aria-label", re.compile(r"^First response at risk: due in \d+:\d\d$")
    )
    # Chi's due time passes in the browser: red, counting how long overdue.
    await expect(chi_timer).to_have_attribute("data-tone", "breached", timeout=30_000)
    await expect(chi_timer).to_have_attribute(
        "aria-label", re.compile(r"^First response overdue by \d+:\d\d$")
    )
    await page.screenshot(path=screenshots / "sla-inbox.png")

    # The job finds the breach: the notice reaches Dave's bell without a reload.
    clock.set(datetime.now(UTC))
    await track_sla_targets(runtime, {})
    await expect(page.get_by_role("button", name="Notifications: 3 unread")).to_be_visible()
    await page.get_by_role("button", name="Notifications: 3 unread").click()
    listed = page.get_by_role("dialog", name="Notifications")
    await expect(listed.get_by_text("SLA breached: First response")).to_have_count(1)
    await expect(listed.get_by_text("SLA at risk: First response")).to_have_count(2)
    await listed.get_by_text("SLA breached: First response").click()
    await expect(page).to_have_url(f"{live.http_url}/conversations/{chi}")

    # In the SLA breached view only Chi's conversation shows.
    await page.goto(live.http_url)
    await page.get_by_role("textbox", name="SLA").click()
    await page.get_by_role("option", name="SLA breached").click()
    await expect(page.get_by_role("link", name=re.compile("Chi"))).to_be_visible()
    await expect(page.get_by_role("link", name=re.compile("Ana"))).to_have_count(0)

    # On a phone the conversation's header counts down too.
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live.http_url}/conversations/{ana}")
    header_timer = page.get_by_role("timer").first
    await expect(header_timer).to_have_attribute("data-tone", "at_risk")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await page.screenshot(path=screenshots / "sla-phone.png")
    assert crashes == []
    await ctx.close()
