"""The breakdown tabs in Chromium: after the scripted day (tests/api/test_reports_scenario.py) a
manager in São Paulo reads the teams table beside the day before, opens the conversations behind
Support's new ones, reads the service level per team and the transfer from Support to Sales, and
narrows everything to an outcome; on a phone the tables scroll inside the page."""

from __future__ import annotations

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


async def test_a_manager_reads_the_breakdowns(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    runtime: Runtime,
    clock: FrozenClock,
) -> None:
    await play_the_day(runtime, live.world, clock)
    ctx = await browser.new_context(base_url=live.http_url, timezone_id="America/Sao_Paulo")
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.clock.set_fixed_time(at(20))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("dave@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Dave")).to_be_visible()
    await page.goto(f"{live.http_url}/reports")

    await page.get_by_role("tab", name="Teams").click()
    teams = page.get_by_role("table", name="Teams")
    support = teams.get_by_role("row", name="Support")
    # New, closed, answered, abandoned: A, B, C and D opened in Support.
    await expect(support.get_by_role("cell").nth(0)).to_contain_text("4")
    await expect(support.get_by_role("cell").nth(1)).to_contain_text("3")
    await expect(support.get_by_role("cell").nth(11)).to_contain_text("50%")
    await page.screenshot(path=screenshots / "reports-teams.png")
    await support.get_by_role("button", name="4").first.click()
    drill = page.get_by_role("dialog", name="New — Support")
    for name in ("Ana", "Bao", "Chi", "Duc"):
        await expect(drill.get_by_role("link", name=name)).to_be_visible()
    await page.keyboard.press("Escape")

    await page.get_by_role("tab", name="Service level").click()
    level = page.get_by_role("table", name="Service level")
    await expect(level.get_by_role("row", name="Sales").get_by_role("cell").nth(0)).to_have_text(
        "5m"
    )
    await expect(level.get_by_role("row", name="Support").get_by_role("cell").nth(1)).to_have_text(
        "50%"
    )
    await expect(page.get_by_role("heading", name="How long replies took")).to_be_visible()
    await page.screenshot(path=screenshots / "reports-service-level.png")

    await page.get_by_role("tab", name="Routing").click()
    transfers = page.get_by_role("table", name="Transfers between teams")
    await expect(transfers.get_by_role("row").nth(1)).to_contain_text("Support")
    await expect(transfers.get_by_role("row").nth(1)).to_contain_text("Sales")
    agents = page.get_by_role("table", name="By agent")
    bob = agents.get_by_role("row", name="Bob")
    await expect(bob.get_by_role("button", name="3", exact=True)).to_be_visible()

    # Narrowed to the segments closed as "interview": A's first only, one assignment.
    outcomes = page.get_by_role("textbox", name="Outcomes")
    await outcomes.fill("interview")
    await outcomes.press("Enter")
    await expect(bob.get_by_role("button", name="1", exact=True).first).to_be_visible()
    routing = page.get_by_role("tabpanel", name="Routing")
    await expect(routing.get_by_text("Narrowed by tag or outcome")).to_be_visible()
    await page.screenshot(path=screenshots / "reports-routing.png")

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.get_by_role("tab", name="Teams").click()
    phone_support = page.get_by_role("table", name="Teams").get_by_role("row", name="Support")
    await expect(phone_support.get_by_role("cell").nth(0)).to_contain_text("1")  # A only
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await page.screenshot(path=screenshots / "reports-teams-phone.png")
    assert crashes == []
    await ctx.close()
