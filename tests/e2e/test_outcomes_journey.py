"""Outcomes in Chromium: after the two scripted days (tests/api/test_reports_outcomes.py) a
manager in São Paulo opens Reports → Agents, sees today's hires per agent against the target,
clicks Bob's number and lands on that conversation; the Outcomes tab shows the progress and the
history, the Activity tab the heatmap and Bob's states; a phone still reads it."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, expect

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from tests.api.test_reports_outcomes import at, play_two_days
from tests.e2e.test_accessibility import audit, axe_ready
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

__all__ = ["axe_ready"]


async def test_a_manager_follows_hires_against_the_target(
    live: Live,
    browser: Browser,
    axe_ready: None,
    screenshots: Path,
    runtime: Runtime,
    clock: FrozenClock,
) -> None:
    days = await play_two_days(runtime, live.world, clock)
    ctx = await browser.new_context(base_url=live.http_url, timezone_id="America/Sao_Paulo")
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.clock.set_fixed_time(at(6, 20))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("dave@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Dave").click()
    await page.get_by_role("menuitem", name="Reports").click()

    await page.get_by_role("tab", name="Agents").click()
    table = page.get_by_role("table", name="Agents")
    await expect(table.get_by_role("columnheader", name="hired (today)")).to_be_visible()
    bob = table.get_by_role("row", name="Bob")
    await expect(bob.get_by_role("button", name="Bob: 1 / 2 hired")).to_have_text("1 / 2")
    await expect(
        table.get_by_role("row", name="Carol").get_by_role("button", name="Carol: 1 / 1 hired")
    ).to_be_visible()
    await page.screenshot(path=screenshots / "outcomes-agents.png")
    await bob.get_by_role("button", name="Bob: 1 / 2 hired").click()
    drill = page.get_by_role("dialog", name="hired — Bob")
    await expect(drill.get_by_role("link")).to_have_count(1)
    await drill.get_by_role("link", name="D").click()
    await expect(page).to_have_url(f"{live.http_url}/conversations/{days['d']}")

    await page.go_back()
    await page.get_by_role("tab", name="Outcomes").click()
    await expect(page.get_by_role("button", name="Support (team): 1 / 3 hired")).to_be_visible()
    await expect(page.get_by_role("button", name="Bob: 1 / 4 interview")).to_be_visible()
    await expect(page.get_by_role("table", name="hired per day and agent")).to_be_visible()
    await expect(page.get_by_role("heading", name="Targets")).to_be_visible()
    await page.screenshot(path=screenshots / "outcomes-tab.png", full_page=True)
    found = await audit(page, "outcomes")
    assert found == [], "\n".join(found)

    await page.get_by_role("tab", name="Activity").click()
    heatmap = page.get_by_role("table", name="Volume by weekday and hour")
    # Today in São Paulo: D opened at 09:00 and E at 10:00.
    await expect(heatmap.get_by_label("Tuesday 9:00: 1")).to_be_visible()
    await expect(heatmap.get_by_label("Tuesday 10:00: 1")).to_be_visible()
    await page.get_by_label("Day shown").fill("2026-01-05")
    await expect(page.get_by_role("img", name="Bob: Away 09:40\u201310:00")).to_be_attached()
    await page.screenshot(path=screenshots / "outcomes-activity.png", full_page=True)
    found = await audit(page, "activity")
    assert found == [], "\n".join(found)

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.get_by_role("tab", name="Outcomes").click()
    # On a phone Bob's bar is read without scrolling sideways: once scrolled to, it lies
    # within the screen's width (where the page happens to be scrolled is not the point).
    bob = page.get_by_role("button", name="Bob: 1 / 2 hired")
    await bob.scroll_into_view_if_needed()
    await expect(bob).to_be_in_viewport()
    box = await bob.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    await page.screenshot(path=screenshots / "outcomes-phone.png")
    assert crashes == []
    await ctx.close()
