"""Reports on the demo as `make run` leaves it, on a weekday afternoon in São Paulo: a recruiter
closes a conversation with "hired"; the manager opens Reports → Agents and sees today's hires
per recruiter against the target of 8,
clicks a number and lands on those conversations, and downloads the per-conversation CSV —
on a desktop in English, and on a phone in Brazilian Portuguese and in Vietnamese, every label
in the manager's language."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from frontdesk.core.accounts.models import User
from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.demo import DEMO_PASSWORD, DEMO_SLUG, load_demo
from frontdesk.demo.spec import MANAGER_EMAIL
from frontdesk.jobs.reports import update_reports
from frontdesk.web.routes import APP_DIR
from tests.e2e.test_reports_exports_journey import run_export_job
from tests.realtime.conftest import Live

LOCALES = Path(__file__).parents[2] / "frontend" / "src" / "locales"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def texts(language: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for file in sorted((LOCALES / language).glob("*.json")):
        merged |= json.loads(file.read_text(encoding="utf-8"))
    return merged


@pytest.fixture
def clock() -> FrozenClock:
    """The last Wednesday at 17:00 in São Paulo before now: the recruiters' afternoon."""
    local = datetime.now(SAO_PAULO)
    wednesday = local - timedelta(days=(local.weekday() - 2) % 7)
    at = wednesday.replace(hour=17, minute=0, second=0, microsecond=0)
    if at > local:
        at -= timedelta(days=7)
    return FrozenClock(at.astimezone(UTC))


@pytest.fixture
async def demo(live: Live) -> Runtime:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")
    runtime: Runtime = live.app.state.runtime
    runtime.public_url = live.http_url
    await load_demo(runtime)
    return runtime


async def sign_in(page: Page, live: Live, language: str) -> None:
    """The manager signs in and picks the app's language (their profile's)."""
    await page.goto(live.http_url)
    await page.locator("input[type=email], input[name=email]").first.fill(MANAGER_EMAIL)
    await page.locator("input[type=password]").first.fill(DEMO_PASSWORD)
    await page.locator("button[type=submit]").first.click()
    await expect(page.locator("input[type=password]")).to_have_count(0)
    cookies = await page.context.cookies()
    csrf = next(c["value"] for c in cookies if c["name"] == "frontdesk_csrf")
    r = await page.request.patch(
        "/api/v1/me", data={"language": language}, headers={"X-CSRF-Token": csrf}
    )
    assert r.ok, await r.text()


async def open_hires(page: Page, live: Live, t: dict[str, Any], recruiter: str) -> Any:
    """Reports → Agents; the recruiter's number of hires today against the target."""
    await page.goto(f"{live.http_url}/reports")
    await expect(page.get_by_role("heading", name=t["reports"]["title"])).to_be_visible()
    await page.get_by_role("tab", name=t["reports"]["tabs"]["agents"], exact=True).click()
    table = page.get_by_role("table", name=t["reports"]["agents"]["title"])
    column = t["outcomes"]["column"].replace("{{outcome}}", "hired")
    column = column.replace("{{window}}", t["outcomes"]["window"]["day"])
    await expect(table.get_by_role("columnheader", name=column)).to_be_visible()
    progress = table.get_by_role(
        "button", name=re.compile(rf"^{re.escape(recruiter)}: [1-9]\d* \/ 8 hired$")
    )
    await expect(progress).to_be_visible()
    return progress


async def test_the_manager_s_morning_report_on_the_demo(
    live: Live, demo: Runtime, browser: Browser, screenshots: Path, clock: FrozenClock
) -> None:
    # A recruiter closes one of their open conversations with "hired", in the app's own way.
    async with demo.database.read_session() as db:
        conversation_id, email, recruiter = (
            await db.execute(
                select(Conversation.id, User.email, User.name)
                .join(User, User.id == Conversation.assignee_id)
                .join(Workspace, Workspace.id == Conversation.workspace_id)
                .where(Workspace.slug == DEMO_SLUG, Conversation.status == "open")
                .order_by(Conversation.last_activity_at.desc())
                .limit(1)
            )
        ).one()
    async with httpx.AsyncClient(base_url=live.http_url) as client:
        r = await client.post(
            "/api/v1/auth/sign-in", json={"email": email, "password": DEMO_PASSWORD}
        )
        assert r.status_code == 200, r.text
        client.headers["X-CSRF-Token"] = client.cookies["frontdesk_csrf"]
        r = await client.post(
            f"/api/v1/conversations/{conversation_id}/close", json={"outcome": "hired"}
        )
        assert r.status_code == 200, r.text
    await update_reports(demo, {})

    # A desktop, in English: hires against the target, the conversations behind one number,
    # and the per-conversation CSV.
    t = texts("en")
    ctx = await browser.new_context(
        base_url=live.http_url, timezone_id="America/Sao_Paulo", accept_downloads=True
    )
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await sign_in(page, live, "en")
    number = await open_hires(page, live, t, recruiter)
    label = await number.get_attribute("aria-label") or ""
    hired = int(label.split(": ")[1].split(" / ")[0])
    await page.screenshot(path=screenshots / "demo-reports-agents.png")
    await number.click()
    drill = page.get_by_role("dialog", name=f"hired — {recruiter}")
    await expect(drill.get_by_role("link")).to_have_count(hired)
    await drill.get_by_role("link").first.click()
    await expect(page).to_have_url(re.compile(r"/conversations/[0-9a-f-]+$"))
    await page.go_back()
    await page.get_by_role("button", name=t["exports"]["conversations"]).click()
    await page.get_by_role("menuitem", name=t["exports"]["csv"]).click()
    await run_export_job(demo)
    link = page.get_by_role("link", name=re.compile(r"^Download conversations-.*\.csv$"))
    async with page.expect_download() as waiting:
        await link.first.click()
    path = await (await waiting.value).path()
    text = await asyncio.to_thread(Path(path).read_text, encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, "today's conversations, one row each"
    assert {"conversation_id", "started_at", "first_response_seconds", "outcome"} <= set(rows[0])
    assert sum(1 for r in rows if r["outcome"] == "hired") >= hired
    await ctx.close()

    # A phone, in Brazilian Portuguese and in Vietnamese.
    for language in ("pt-BR", "vi"):
        t = texts(language)
        assert t["reports"]["tabs"]["agents"] != "Agents"
        ctx = await browser.new_context(
            base_url=live.http_url,
            timezone_id="America/Sao_Paulo",
            viewport={"width": 390, "height": 844},
            locale=language,
        )
        page = await ctx.new_page()
        page.on("pageerror", lambda error: crashes.append(str(error)))
        await sign_in(page, live, language)
        number = await open_hires(page, live, t, recruiter)
        # The figures first: only the period shows, the other filters open from a button.
        more = page.get_by_role("button", name=t["reports"]["filters"]["more"], exact=True)
        teams = page.get_by_role("textbox", name=t["reports"]["filters"]["teams"])
        await expect(more).to_have_attribute("aria-expanded", "false")
        await expect(teams).to_be_hidden()
        await more.click()
        await expect(teams).to_be_visible()
        await more.click()
        await expect(teams).to_be_hidden()
        await number.scroll_into_view_if_needed()
        await page.screenshot(path=screenshots / f"demo-reports-agents-{language}.png")
        await number.click()
        drill = page.get_by_role("dialog")
        await drill.get_by_role("link").first.click()
        await expect(page).to_have_url(re.compile(r"/conversations/[0-9a-f-]+$"))
        await expect(page.get_by_role("log")).to_be_visible()
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        await page.screenshot(path=screenshots / f"demo-reports-phone-{language}.png")
        await ctx.close()
    assert crashes == []
