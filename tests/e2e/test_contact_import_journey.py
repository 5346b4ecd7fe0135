"""Importing contacts in Chromium: a manager uploads a generated CSV of 5,000 contacts (three
of them bad), maps its columns, watches the progress bar, and reads the report of the three
refused rows; on a phone the wizard still fits the screen."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from playwright.async_api import Browser, expect
from sqlalchemy import func, select

from frontdesk.core.contacts.models import Contact
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from frontdesk.jobs.handlers import build_registry
from tests.e2e.test_accessibility import audit, axe_ready
from tests.e2e.test_app_journey import app_built, sign_in
from tests.realtime.conftest import Live

__all__ = ["app_built", "axe_ready"]

ROWS = 5000
# Row number -> (name, phone, email) replacing the good values.
BAD = {1200: (None, "+55 11", None), 2400: (None, None, "not-an-email"), 4800: ("", "", "")}


def five_thousand_contacts(folder: Path) -> Path:
    """name;phone;email;stage with three bad rows: a short phone, a broken email, nothing."""
    lines = ["Nome;Telefone;E-mail;Estágio"]
    for i in range(1, ROWS + 1):
        good = (f"Pessoa {i}", f"+55 11 9{i:04d}-{i:04d}", f"pessoa{i}@example.com")
        name, phone, email = (
            b if b is not None else g for b, g in zip(BAD.get(i, good), good, strict=True)
        )
        lines.append(f"{name};{phone};{email};customer")
    path = folder / "contatos.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def run_import_job(runtime: Runtime) -> float:
    """The worker's part: wait for the import's job, run it; how long it took."""
    for _ in range(200):
        async with runtime.database.read_session() as db:
            job = await db.scalar(select(Job).where(Job.kind == "contact_import"))
        if job is not None:
            break
        await asyncio.sleep(0.05)
    assert job is not None, "starting the import enqueued its job"
    handler = build_registry().get(job.kind)
    assert handler is not None
    started = time.perf_counter()
    await handler(runtime, dict(job.payload))
    return time.perf_counter() - started


async def test_a_manager_imports_5000_contacts_with_three_bad_rows(
    live: Live,
    browser: Browser,
    runtime: Runtime,
    app_built: None,
    axe_ready: None,
    screenshots: Path,
    tmp_path: Path,
) -> None:
    csv_file = five_thousand_contacts(tmp_path)
    page = await (await browser.new_context(base_url=live.http_url)).new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await sign_in(page, live, "dave@acme.test")
    await page.get_by_role("button", name="Dave").click()
    await page.get_by_role("menuitem", name="Contacts").click()
    await expect(page.get_by_role("table", name="Contacts")).to_be_visible()

    await page.get_by_role("button", name="Import contacts").click()
    wizard = page.get_by_role("dialog", name="Import contacts from a CSV")
    await wizard.locator("input[type=file]").set_input_files(csv_file)
    await wizard.get_by_role("button", name="Upload and preview").click()
    # The headers are Portuguese: each is recognised; the stage column is mapped too.
    await expect(wizard.get_by_role("textbox", name="What Telefone fills")).to_have_value("Phone")
    await expect(wizard.get_by_role("textbox", name="What E-mail fills")).to_have_value("Email")
    await expect(wizard.get_by_text("Pessoa 1", exact=True)).to_be_visible()
    await page.screenshot(path=str(screenshots / "contacts-import-mapping.png"))
    assert await audit(page, "import mapping") == []
    await wizard.get_by_role("button", name="Import 5000 rows").click()

    # The bar (empty while the job waits), then full once the job has written every row.
    progress = wizard.get_by_role("progressbar", name="Import progress")
    await expect(wizard.locator(".mantine-Progress-root")).to_be_visible()
    await expect(progress).to_have_attribute("aria-valuenow", "0")
    await expect(wizard.get_by_text("Waiting to start…")).to_be_visible()
    took = await run_import_job(runtime)
    await expect(progress).to_be_visible()
    await expect(progress).to_have_attribute("aria-valuenow", "100")
    report = wizard.get_by_role("region", name="Import report")
    await expect(report.get_by_text("4997 contacts added")).to_be_visible()
    await expect(report.get_by_text("3 rows refused")).to_be_visible()
    refused = report.get_by_role("table", name="Refused rows").locator("tbody tr")
    await expect(refused).to_have_count(3)
    await expect(refused.nth(0)).to_contain_text("1201")
    await expect(refused.nth(0)).to_contain_text("Not a valid phone number")
    await expect(refused.nth(1)).to_contain_text("Not a valid email address")
    await expect(refused.nth(2)).to_contain_text("No name, phone or email")
    link = report.get_by_role("link", name="Download the refused rows (CSV)")
    await expect(link).to_be_visible()
    await page.screenshot(path=str(screenshots / "contacts-import-report.png"))
    assert await audit(page, "import report") == []
    async with runtime.database.read_session() as db:
        count = await db.scalar(
            select(func.count())
            .select_from(Contact)
            .where(Contact.workspace_id == live.world.acme.id)
        )
    assert count == 2 + 4997  # Erin and Frank, and the good rows
    # A few seconds on a shared two-core machine; far more means row-by-row writes crept in.
    assert took < 30, f"5,000 rows took {took:.1f} s"

    # On a phone the wizard's report fits the screen.
    await page.set_viewport_size({"width": 390, "height": 844})
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await page.screenshot(path=str(screenshots / "contacts-import-phone.png"))
    assert crashes == []
