"""Reports in Chromium: after the scripted day (tests/api/test_reports_scenario.py) an owner in
São Paulo opens Reports, reads today's tiles beside yesterday, the agents table with its average
row, and opens the conversations behind Bob's closes; on a phone the page still reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.web.routes import APP_DIR
from tests.api.test_reports_scenario import at, play_the_day
from tests.factories import PASSWORD
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def test_an_owner_reads_the_day(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    runtime: Runtime,
    clock: FrozenClock,
) -> None:
    day = await play_the_day(runtime, live.world, clock)
    ctx = await browser.new_context(base_url=live.http_url, timezone_id="America/Sao_Paulo")
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.clock.set_fixed_time(at(20))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("alice@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Alice").click()
    await page.get_by_role("menuitem", name="Reports").click()

    await expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    await expect(page.get_by_role("button", name="New conversations: 4")).to_be_visible()
    await expect(page.get_by_role("button", name="Service level: 33.3%")).to_be_visible()
    await expect(page.get_by_role("button", name="Abandonment: 40%")).to_be_visible()
    await expect(page.get_by_role("button", name="First response (median): 15m")).to_be_visible()
    await page.screenshot(path=screenshots / "reports-overview.png")
    await page.mouse.move(600, 500)
    await page.mouse.wheel(0, 600)
    await expect(page.get_by_role("heading", name="Over time")).to_be_in_viewport()
    await page.screenshot(path=screenshots / "reports-charts.png")

    # The two abandoned conversations behind the tile, newest first.
    await page.get_by_role("button", name="Abandonment: 40%").click()
    drill = page.get_by_role("dialog")
    await expect(drill.get_by_role("link", name="Duc")).to_be_visible()
    await expect(drill.get_by_role("link", name="Chi")).to_be_visible()
    await page.keyboard.press("Escape")

    await page.get_by_role("tab", name="Agents").click()
    table = page.get_by_role("table", name="Agents")
    bob = table.get_by_role("row", name="Bob")
    await expect(bob.get_by_role("cell").nth(0)).to_have_text("2")
    await expect(table.get_by_role("row", name="Team average")).to_be_visible()
    await table.get_by_role("button", name="Closed").click()  # sort by closed, most first
    await expect(table.get_by_role("row").nth(1)).to_contain_text("Bob")
    await page.screenshot(path=screenshots / "reports-agents.png")
    await bob.get_by_role("button", name="2").first.click()
    drill = page.get_by_role("dialog", name="Closed — Bob")
    await expect(drill.get_by_role("link", name="Ana")).to_have_count(2)
    await drill.get_by_role("link", name="Ana").first.click()
    await expect(page).to_have_url(f"{live.http_url}/conversations/{day['a']}")

    await expect(page.get_by_role("dialog")).to_have_count(0)  # the list closed as it went
    await page.go_back()
    await page.get_by_role("tab", name="Staffing").click()
    staffing = page.get_by_role("table", name="Staffing per hour")
    # 09:00 UTC (06:00 in São Paulo): one arrival, 180 s handle time (the day's mean active
    # work): one agent gives 95.5 % in 20 s, so 96 % needs two.
    six = staffing.get_by_role("row", name=re.compile("06:00"))
    await expect(six.get_by_role("cell").nth(0)).to_have_text("1")
    await expect(six.get_by_role("cell").nth(3)).to_have_text("1")
    await page.get_by_label("Target service level").fill("96")
    await expect(six.get_by_role("cell").nth(3)).to_have_text("2")
    await page.screenshot(path=screenshots / "reports-staffing.png")

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live.http_url}/reports")
    await expect(page.get_by_role("button", name="New conversations: 4")).to_be_visible()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await page.screenshot(path=screenshots / "reports-phone.png")
    assert crashes == []
    await ctx.close()
