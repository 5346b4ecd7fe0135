"""CSAT in Chromium: the owner turns the survey on in Settings → Workspace, takes a website
visitor's conversation and closes it (the app moves on to the next; she goes back to it); the
visitor answers "4"; the conversation view shows the rating as it arrives, without reopening;
Reports → CSAT shows 100 % of one answer, and the rating opens the conversation behind it; a
phone still reads the tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from frontdesk.web.routes import APP_DIR
from tests.api.test_reports_scenario import Visitor, at
from tests.factories import PASSWORD, Factory
from tests.realtime.conftest import Live

SHARE = "Satisfied (4\u20135): 100%"


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def test_the_owner_asks_and_reads_customer_satisfaction(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    runtime: Runtime,
    clock: FrozenClock,
) -> None:
    world = live.world
    clock.set(at(10))
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(world.acme.workspace, "webchat", "Site")
        channel.team_id = world.acme.teams["support"].id
        await s.commit()
    ana = Visitor(world, channel.id, "Ana Souza")
    conv = await ana.writes("Hello, I would like to know if the driver position is open")

    ctx = await browser.new_context(base_url=live.http_url, timezone_id="UTC")
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.clock.set_fixed_time(at(10, 5))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("alice@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Alice").click()
    await page.get_by_role("menuitem", name="Settings").click()
    await page.get_by_role("tab", name="Workspace").click()
    form = page.get_by_role("form", name="Customer satisfaction (CSAT)")
    await form.get_by_label("Send the survey when a conversation is closed").check()
    await form.get_by_role("button", name="Save").click()
    await expect(form.get_by_role("status")).to_have_text("Saved")

    await page.goto(f"{live.http_url}/conversations/{conv}")
    await page.get_by_role("button", name="Assign to me").click()
    await expect(page.get_by_text("Assigned to Alice")).to_be_visible()
    await page.get_by_role("button", name="Close", exact=True).click()
    await expect(page.get_by_role("heading", name="Ana Souza")).to_be_hidden()  # the next one
    await page.goto(f"{live.http_url}/conversations/{conv}")
    csat = page.get_by_role("group", name="Customer satisfaction")
    await expect(csat).to_contain_text("Survey sent")

    clock.set(at(10, 10))
    assert await ana.writes("4") == conv
    await expect(csat).to_contain_text("Rated 4 of 5")
    await expect(page.get_by_label("4 out of 5 stars")).to_be_visible()
    await expect(page.get_by_role("button", name="Reopen")).to_be_visible()  # still closed
    await page.screenshot(path=screenshots / "csat-conversation.png")

    clock.set(at(11))
    await update_reports(runtime, {})
    await page.get_by_role("button", name="Alice").click()
    await page.get_by_role("menuitem", name="Reports").click()
    await page.get_by_role("tab", name="CSAT").click()
    await expect(page.get_by_role("button", name=SHARE)).to_be_visible()
    await expect(page.get_by_role("button", name="Answers: 1")).to_be_visible()
    agents = page.get_by_role("table", name="Per agent")
    await expect(agents.get_by_role("row", name="Alice")).to_be_visible()
    await page.screenshot(path=screenshots / "csat-report.png", full_page=True)
    ratings = page.get_by_role("table", name="Answers by rating")
    await ratings.get_by_role("row", name="Rating 4").get_by_role("button").click()
    drill = page.get_by_role("dialog", name="Conversations rated 4")
    await drill.get_by_role("link", name="Ana Souza").click()
    await expect(page).to_have_url(f"{live.http_url}/conversations/{conv}")

    await page.go_back()
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.get_by_role("tab", name="CSAT").click()
    share = page.get_by_role("button", name=SHARE)
    await share.scroll_into_view_if_needed()
    await expect(share).to_be_in_viewport(ratio=1)  # the whole tile fits the phone's width
    await page.screenshot(path=screenshots / "csat-phone.png")
    assert crashes == []
    await ctx.close()
