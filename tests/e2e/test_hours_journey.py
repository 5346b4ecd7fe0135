"""Business hours in Chromium: an owner edits the week, watches the preview, and it persists.

The browser's clock is fixed at Monday 5 January 2026, 10:00 UTC, so the preview reads the same
on every run; the workspace starts in UTC with no hours of its own.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, Response, expect

from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

MONDAY_10_UTC = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


def refused_requests(page: Page) -> list[str]:
    """The API requests the server refuses (4xx/5xx) from now on, as "METHOD url status"."""
    refused: list[str] = []

    def check(response: Response) -> None:
        if "/api/" in response.url and response.status >= 400:
            refused.append(f"{response.request.method} {response.url} {response.status}")

    page.on("response", check)
    return refused


async def save_hours(page: Page) -> None:
    """Save, then wait for the refetch of the workspace's hours that follows."""
    async with page.expect_response(
        lambda r: r.request.method == "GET" and "business-hours" in r.url
    ):
        await page.get_by_role("button", name="Save hours").click()
        await expect(page.get_by_text("Business hours saved.")).to_be_visible()


async def open_hours(page: Page, live: Live) -> None:
    await page.clock.set_fixed_time(MONDAY_10_UTC)
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("alice@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Alice").click()
    await page.get_by_role("menuitem", name="Settings").click()
    await page.get_by_role("tab", name="Business hours").click()


async def test_an_owner_sets_the_week_and_sees_when_it_opens(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    ctx = await browser.new_context(base_url=live.http_url)
    page = await ctx.new_page()
    await open_hours(page, live)
    refused = refused_requests(page)
    preview = page.get_by_role("status", name="Now")
    # No hours yet: the editor starts from office hours in the workspace's zone.
    await expect(page.get_by_text("No business hours yet")).to_be_visible()
    await expect(preview).to_have_text("Open now · closes Monday 17:00")

    await page.get_by_label("Monday, period 1: closes").fill("12:00")
    await expect(preview).to_have_text("Open now · closes Monday 12:00")
    await page.get_by_role("button", name="Add hours on Monday").click()
    await page.get_by_label("Monday, period 2: opens").fill("13:00")
    await page.get_by_label("Monday, period 2: closes").fill("18:00")
    await page.get_by_label("Monday, period 1: opens").fill("11:00")
    await expect(preview).to_have_text("Closed · opens Monday 11:00")
    # 10:00 UTC is 17:00 in Ho Chi Minh City: inside the afternoon period.
    await page.get_by_role("textbox", name="Time zone").click()
    await page.get_by_role("textbox", name="Time zone").fill("Ho_Chi")
    await page.get_by_role("option", name="Asia/Ho_Chi_Minh").click()
    await expect(preview).to_have_text("Open now · closes Monday 18:00")
    await page.get_by_label("Date").fill("2026-12-25")
    await page.get_by_label("Name", exact=True).fill("Christmas Day")
    await page.get_by_role("button", name="Add holiday").click()
    await expect(page.get_by_text("Christmas Day", exact=True)).to_be_visible()
    # Brazil's holidays, São Paulo's too: work on Good Friday, close on Carnival (optional).
    await page.get_by_role("textbox", name="Country").fill("Braz")
    await page.get_by_role("option", name="Brazil").click()
    await page.get_by_role("textbox", name="State or region").fill("Paulo")
    await page.get_by_role("option", name="São Paulo (SP)").click()
    holidays = page.get_by_role("list", name="Holidays in the coming year")
    good_friday = holidays.get_by_role("checkbox", name=re.compile("Good Friday"))
    carnival = holidays.get_by_role("checkbox", name=re.compile("Carnival")).first
    await expect(good_friday).to_be_checked()
    await expect(carnival).not_to_be_checked()
    await expect(holidays.get_by_text("Constitutionalist Revolution")).to_be_visible()
    await good_friday.uncheck()
    await carnival.check()
    await save_hours(page)
    # The refetch after saving asks for the workspace's hours at a URL the API accepts.
    assert refused == []
    await page.screenshot(path=str(screenshots / "app-business-hours.png"), full_page=True)

    await page.reload()
    await expect(page.get_by_label("Monday, period 1: opens")).to_have_value("11:00")
    await expect(page.get_by_label("Monday, period 2: closes")).to_have_value("18:00")
    await expect(page.get_by_role("textbox", name="Time zone")).to_have_value("Asia/Ho_Chi_Minh")
    await expect(page.get_by_text("Christmas Day", exact=True)).to_be_visible()
    await expect(page.get_by_role("textbox", name="Country")).to_have_value("Brazil")
    await expect(page.get_by_role("checkbox", name=re.compile("Good Friday"))).not_to_be_checked()
    await expect(preview).to_have_text("Open now · closes Monday 18:00")
    async with live.world.client("alice") as alice:
        stored = (await alice.get("/api/v1/business-hours")).json()["schedule"]
    assert stored["timezone"] == "Asia/Ho_Chi_Minh"
    assert [p for p in stored["periods"] if p["weekday"] == "monday"] == [
        {"weekday": "monday", "start": "11:00", "end": "12:00"},
        {"weekday": "monday", "start": "13:00", "end": "18:00"},
    ]
    assert stored["holidays"] == [
        {"date": "2026-12-25", "name": "Christmas Day", "is_recurring": False}
    ]
    assert (stored["holiday_country"], stored["holiday_subdivision"]) == ("BR", "SP")
    assert stored["skipped_holidays"] == ["Sexta-feira Santa"]
    assert stored["observed_holidays"] == ["Carnaval"]
    await ctx.close()


async def test_a_team_gets_its_own_hours_on_a_phone(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    support = live.world.acme.teams["support"].id
    ctx = await browser.new_context(base_url=live.http_url, viewport={"width": 390, "height": 844})
    page = await ctx.new_page()
    await open_hours(page, live)
    refused = refused_requests(page)
    await save_hours(page)  # the workspace: office hours
    assert refused == []
    await page.get_by_role("textbox", name="Hours for").click()
    await page.get_by_role("option", name="Support").click()
    follow = page.get_by_role("switch", name="Use the workspace's hours")
    await expect(follow).to_be_checked()
    preview = page.get_by_role("status", name="Now")
    await expect(preview).to_have_text("Open now · closes Monday 17:00")

    await follow.uncheck()
    # The team starts from a copy of the workspace's hours; a night shift on Monday.
    await page.get_by_label("Monday, period 1: opens").fill("22:00")
    await page.get_by_label("Monday, period 1: closes").fill("06:00")
    await expect(page.get_by_text("next day")).to_be_visible()
    await expect(preview).to_have_text("Closed · opens Monday 22:00")
    # Nothing may be wider than the phone.
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await page.screenshot(path=str(screenshots / "app-business-hours-phone.png"), full_page=True)
    await save_hours(page)
    async with live.world.client("alice") as alice:
        team = (await alice.get(f"/api/v1/teams/{support}/business-hours")).json()
    assert team["source"] == "team"
    assert team["schedule"]["periods"][0] == {"weekday": "monday", "start": "22:00", "end": "06:00"}

    await follow.check()
    await save_hours(page)
    async with live.world.client("alice") as alice:
        team = (await alice.get(f"/api/v1/teams/{support}/business-hours")).json()
    assert (team["source"], team["schedule"]) == ("workspace", None)
    assert refused == []
    await ctx.close()
