"""The wallboard in Chromium: after the scripted day (tests/api/test_reports_scenario.py) a
manager opens it from the menu, sees each team's queue and service level and each agent's
state; a customer writes and the board moves without a reload; TV mode shows the board alone
in large type; an agent's raised hand appears on it and the manager takes the conversation over
from there; on a phone it still reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from frontdesk.web.routes import APP_DIR
from tests.api.test_reports_scenario import Visitor, at, play_the_day
from tests.factories import PASSWORD
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def test_a_manager_watches_the_wallboard(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    runtime: Runtime,
    clock: FrozenClock,
) -> None:
    await play_the_day(runtime, live.world, clock)
    channels = (await live.world.client("alice").get("/api/v1/channels")).json()
    site = next(c["id"] for c in channels if c["name"] == "Site chat")
    clock.set(at(19, 30))
    await Visitor(live.world, site, "Eva").writes("Is anyone there?")
    clock.set(at(20))
    await update_reports(runtime, {})

    ctx = await browser.new_context(base_url=live.http_url, timezone_id="UTC")
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("dave@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Dave").click()
    await page.get_by_role("menuitem", name="Wallboard").click()

    support = page.get_by_role("region", name="Support")
    await expect(support.get_by_role("group", name="Waiting now: 2")).to_be_visible()
    await expect(support.get_by_role("group", name="Service level today: 50%")).to_be_visible()
    await expect(support.get_by_role("group", name="Abandoned today: 2")).to_be_visible()
    agents = page.get_by_role("table", name="Agents")
    await expect(agents.get_by_role("row", name="Bob")).to_contain_text("Offline")
    await page.screenshot(path=screenshots / "wallboard.png")

    # A customer writes: the board follows without a reload.
    await Visitor(live.world, site, "Fay").writes("Hello, I need help")
    await expect(support.get_by_role("group", name="Waiting now: 3")).to_be_visible()

    # Bob raises a hand on Erin's conversation: it shows up; Dave takes it over from there.
    erin = live.world.acme.conversations["erin_support"].id
    r = await live.world.client("bob").post(
        f"/api/v1/conversations/{erin}/help", json={"note": "She asks for a manager"}
    )
    assert r.status_code == 204, r.text
    hands = page.get_by_role("region", name="Raised hands")
    await expect(hands).to_contain_text("She asks for a manager")
    await hands.get_by_role("link", name="Erin").click()
    await expect(page.get_by_text("Hand raised")).to_be_visible()
    await page.get_by_role("button", name="Take over").click()
    dialog = page.get_by_role("dialog", name="Take over this conversation")
    await dialog.get_by_label("Note to Bob (internal, optional)").fill("I have this one")
    await dialog.get_by_label("Message to the customer (optional)").fill("Hello Erin, I am Dave.")
    await dialog.get_by_role("button", name="Take over").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_text("Assigned to Dave")).to_be_visible()
    await expect(page.get_by_text("Hand raised")).to_have_count(0)
    await expect(page.get_by_role("log").get_by_text("Hello Erin, I am Dave.")).to_be_visible()

    await page.goto(f"{live.http_url}/wallboard/tv")
    await expect(page.get_by_role("heading", name="Wallboard")).to_be_visible()
    await expect(page.get_by_role("region", name="Support")).to_be_visible()
    await expect(page.get_by_role("button", name="Dave")).to_have_count(0)  # no controls
    await expect(page.get_by_label("Teams")).to_have_count(0)
    await page.screenshot(path=screenshots / "wallboard-tv.png")

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live.http_url}/wallboard")
    await expect(page.get_by_role("region", name="Support")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await page.screenshot(path=screenshots / "wallboard-phone.png")
    assert crashes == []
    await ctx.close()
