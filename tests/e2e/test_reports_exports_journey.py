"""Exports in Chromium: after the scripted day (tests/api/test_reports_scenario.py) a manager in
São Paulo asks for the per-conversation CSV, watches the job's progress arrive on the socket,
and downloads the file; on a phone the Exports box still fits the screen."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from frontdesk.jobs.handlers import build_registry
from frontdesk.web.routes import APP_DIR
from tests.api.test_reports_scenario import at, play_the_day
from tests.factories import PASSWORD
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def run_export_job(runtime: Runtime) -> None:
    """The worker's part: wait for the export's job to be enqueued, then run it."""
    for _ in range(200):
        async with runtime.database.read_session() as db:
            job = await db.scalar(select(Job).where(Job.kind == "report_export"))
        if job is not None:
            break
        await asyncio.sleep(0.05)
    assert job is not None, "asking for the export enqueued its job"
    handler = build_registry().get(job.kind)
    assert handler is not None
    await handler(runtime, dict(job.payload))


async def test_a_manager_downloads_the_per_conversation_csv(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    runtime: Runtime,
    clock: FrozenClock,
) -> None:
    day = await play_the_day(runtime, live.world, clock)
    ctx = await browser.new_context(
        base_url=live.http_url, timezone_id="America/Sao_Paulo", accept_downloads=True
    )
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.clock.set_fixed_time(at(20))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("dave@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Dave").click()
    await page.get_by_role("menuitem", name="Reports").click()
    await expect(page.get_by_role("button", name="New conversations: 4")).to_be_visible()

    await page.get_by_role("button", name="Export conversations").click()
    await page.get_by_role("menuitem", name="CSV").click()
    await expect(page.get_by_text("Waiting to start…").first).to_be_visible()
    await run_export_job(runtime)
    link = page.get_by_role("link", name="Download conversations-2026-01-05-2026-01-05.csv")
    await expect(link.first).to_be_visible()
    await page.screenshot(path=screenshots / "reports-export-done.png")
    async with page.expect_download() as waiting:
        await link.first.click()
    download = await waiting.value
    assert download.suggested_filename == "conversations-2026-01-05-2026-01-05.csv"
    path = await download.path()
    text = await asyncio.to_thread(Path(path).read_text, encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((r["contact_name"], r["segment"]) for r in rows) == [
        ("Ana", "1"),
        ("Ana", "2"),
        ("Bao", "1"),
        ("Chi", "1"),
        ("Duc", "1"),
    ]
    ana = next(r for r in rows if r["conversation_id"] == day["a"] and r["segment"] == "1")
    assert (ana["started_at"], ana["first_response_seconds"]) == ("2026-01-05 06:00:00", "240.0")

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live.http_url}/reports")
    await expect(page.get_by_role("button", name="Export conversations")).to_be_visible()
    await expect(link.first).to_be_visible()  # the recent exports are listed
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await page.screenshot(path=screenshots / "reports-export-phone.png")
    assert crashes == []
    await ctx.close()
