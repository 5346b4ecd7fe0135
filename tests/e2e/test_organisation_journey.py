"""The organisation overview in Chromium: the demo's organisation admin opens it, reads both demo
workspaces' figures (as the API gives them), sees a visitor's new conversation arrive without
reloading, opens a new workspace with its time zone and language, and switches into it."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import select

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.organisation.overview import get_organisation_overview
from frontdesk.core.organisation.schemas import OrganisationOverviewRead
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_password
from frontdesk.core.workspaces.models import Membership, Workspace
from frontdesk.db.base import Base
from frontdesk.demo import DEMO_PASSWORD, DEMO_SLUG, LOGISTICS_SLUG, OWNER_EMAIL
from frontdesk.demo.loader import build_setup
from frontdesk.demo.names import OWNER_NAME
from frontdesk.jobs.reports import update_reports
from frontdesk.web.routes import APP_DIR
from tests.api.test_reports_scenario import Visitor, reply
from tests.e2e.test_accessibility import AXE, audit
from tests.factories import Factory
from tests.realtime.conftest import Live

NEW = "Talenta · Healthcare clients"


async def overview(runtime: Runtime) -> OrganisationOverviewRead:
    async with runtime.database.read_session() as db:
        owner = await db.scalar(select(User).where(User.email == OWNER_EMAIL))
        assert owner is not None
        return await get_organisation_overview(db, owner, runtime.clock.now())


@pytest.fixture
async def demo(live: Live, runtime: Runtime, clock: FrozenClock) -> None:
    """The demo's organisation, owner and two workspaces as `make run` sets them up (without
    the weeks of history it plays, too slow here), and a morning scripted on both."""
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make app` installs the app's dev dependencies")
    setup = build_setup(clock.now(), hash_password(DEMO_PASSWORD), 0.3)
    async with runtime.database.write_session() as s:
        for table in Base.metadata.sorted_tables:  # parents first
            rows = [r for r in setup.rows if r.__table__ is table]
            if rows:
                s.add_all(rows)
                await s.flush()
        owner = await s.scalar(select(User).where(User.email == OWNER_EMAIL))
        assert owner is not None
        logistics = await s.scalar(select(Workspace).where(Workspace.slug == LOGISTICS_SLUG))
        assert logistics is not None
        await Factory(s, clock.now()).channel(logistics, "webchat", "Drivers site")
        retail = await s.scalar(select(Workspace).where(Workspace.slug == DEMO_SLUG))
        token, csrf = await Factory(s, clock.now()).session_for(owner, retail)
        await s.commit()
    sites = await webchats(runtime)
    ana = Visitor(live.world, sites[DEMO_SLUG], "Ana")
    retail_conversation = await ana.writes("Do you still hire for the holidays?")
    await Visitor(live.world, sites[DEMO_SLUG], "Bao").writes("Is the shop job part time?")
    await Visitor(live.world, sites[LOGISTICS_SLUG], "Chi").writes("I drive forklifts")
    clock.advance(minutes=2)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=live.app),
        base_url="http://testserver",
        headers={"X-CSRF-Token": csrf},
        cookies={"frontdesk_session": token},
    ) as marina:
        await reply(marina, retail_conversation, "Yes, until the end of January")
    clock.advance(minutes=3)
    await update_reports(runtime, {})


async def webchats(runtime: Runtime) -> dict[str, uuid.UUID]:
    async with runtime.database.read_session() as db:
        rows = await db.execute(
            select(Workspace.slug, Channel.id)
            .join(Channel, Channel.workspace_id == Workspace.id)
            .where(Channel.type == "webchat")
        )
        return {slug: channel_id for slug, channel_id in rows if slug != "acme"}


async def test_the_admin_oversees_the_organisation_and_opens_a_workspace(
    live: Live,
    demo: None,
    browser: Browser,
    screenshots: Path,
    runtime: Runtime,
) -> None:
    before = await overview(runtime)
    assert len(before.workspaces) == 2
    retail = next(w for w in before.workspaces if w.slug == DEMO_SLUG)
    assert (retail.today.opened, retail.today.answered, retail.live.open) == (2, 1, 2)
    ctx = await browser.new_context(base_url=live.http_url, timezone_id="America/Sao_Paulo")
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(OWNER_EMAIL)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name=OWNER_NAME).click()
    await page.get_by_role("menuitem", name="Organisation").click()

    await expect(page.get_by_role("heading", name="Organisation", exact=True)).to_be_visible()
    await expect(page.get_by_text("Talenta Recruitment")).to_be_visible()
    for ws in before.workspaces:
        card = page.get_by_role("article", name=ws.name)
        await expect(card.get_by_role("group", name=f"Open: {ws.live.open}")).to_be_visible()
        await expect(
            card.get_by_role("group", name=f"New conversations: {ws.today.opened}")
        ).to_be_visible()
        await expect(
            card.get_by_role("group", name=f"In queue, unassigned: {ws.live.queued}")
        ).to_be_visible()
    await expect(page.get_by_role("status").filter(has_text="Updated at")).to_be_visible()
    await page.screenshot(path=screenshots / "organisation-overview.png", full_page=True)
    problems = await audit(page, "organisation")

    # A visitor writes on the retail workspace's website chat: its card follows, no reload.
    await Visitor(live.world, (await webchats(runtime))[DEMO_SLUG], "Duc").writes("Hello?")
    await expect(
        page.get_by_role("article", name=retail.name).get_by_role(
            "group", name=f"Open: {retail.live.open + 1}"
        )
    ).to_be_visible(timeout=10_000)

    await page.get_by_role("button", name="New workspace").click()
    dialog = page.get_by_role("dialog", name="New workspace")
    problems += await audit(page, "new workspace")
    await dialog.get_by_role("textbox", name="Name", exact=True).fill(NEW)
    await expect(dialog.get_by_label("Address name")).to_have_value("talenta-healthcare-clients")
    await expect(dialog.get_by_role("textbox", name="Time zone")).to_have_value("America/Sao_Paulo")
    await dialog.get_by_role("textbox", name="Default language").click()
    await page.get_by_role("option", name="Tiếng Việt").click()
    await dialog.get_by_role("button", name="Create workspace").click()
    await expect(page.get_by_role("article", name=NEW)).to_be_visible()
    await page.get_by_role("button", name=f"Open {NEW}").click()

    await expect(page).to_have_url(f"{live.http_url}/")
    await expect(page.get_by_role("textbox", name="Workspace")).to_have_value(NEW)
    async with runtime.database.read_session() as db:
        created = await db.scalar(select(Workspace).where(Workspace.name == NEW))
        assert created is not None
        assert (created.timezone, created.settings.get("default_language")) == (
            "America/Sao_Paulo",
            "vi",
        )
        role = await db.scalar(
            select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(Membership.workspace_id == created.id, User.email == OWNER_EMAIL)
        )
        assert role == "owner"

    # On a phone the overview reads in one column, its figures within the screen.
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{live.http_url}/organisation")
    card = page.get_by_role("article", name=retail.name)
    await expect(card).to_be_visible()
    box = await card.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    await page.screenshot(path=screenshots / "organisation-phone.png")
    problems += await audit(page, "organisation on a phone")
    assert problems == [], "\n".join(problems)
    assert crashes == []
    await ctx.close()
