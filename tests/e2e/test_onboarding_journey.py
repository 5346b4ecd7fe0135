"""A new agent joins in Portuguese and is told they are in no team; the owner is told too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import select

from frontdesk.core.accounts.models import User
from frontdesk.core.mail import LogMailer
from frontdesk.core.runtime import Runtime
from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

LINK = re.compile(r"/invite/([A-Za-z0-9_-]+)")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def test_an_invited_agent_lands_in_the_page_language_and_both_sides_hear_of_no_team(
    live: Live,
    runtime: Runtime,
    mailer: LogMailer,
    browser: Browser,
    app_built: None,
    screenshots: Path,
) -> None:
    async with live.world.client("alice") as alice:
        invited = await alice.post(
            "/api/v1/invitations", json={"email": "zoe@example.com", "role": "agent"}
        )
    assert invited.status_code == 201, invited.text
    match = LINK.search(mailer.sent[-1].get_content())
    assert match is not None

    # Zoe's browser speaks English; she switches the invitation page to Portuguese.
    zoe = await browser.new_context(base_url=live.http_url, locale="en-US", viewport=PHONE)
    page = await zoe.new_page()
    await page.goto(f"/invite/{match.group(1)}")
    await expect(page.get_by_role("heading", name="Join Frontdesk")).to_be_visible()
    await page.get_by_role("textbox", name="Language").click()
    await page.get_by_role("option", name="Português (Brasil)").click()
    await expect(page.get_by_role("heading", name="Entrar no Frontdesk")).to_be_visible()
    await page.get_by_label("Seu nome").fill("Zoe Lima")
    await page.get_by_label("Escolha uma senha").fill("zoe's long passphrase")
    await page.get_by_role("button", name="Entrar").click()

    # The app opens in Portuguese, and tells her no conversation will reach her yet.
    notice = page.get_by_role("status").filter(has_text="Você ainda não está em nenhuma equipe")
    await expect(notice).to_be_visible(timeout=15_000)  # the whole app loads first
    await expect(notice).to_contain_text("Peça ao seu gestor")
    await page.screenshot(path=str(screenshots / "app-no-team-agent.png"))
    async with runtime.database.read_session() as db:
        language = await db.scalar(select(User.language).where(User.email == "zoe@example.com"))
    assert language == "pt-BR"
    await zoe.close()

    # The owner sees how many agents are in no team, and who on the members list.
    owner = await browser.new_context(base_url=live.http_url, locale="en-US")
    page = await owner.new_page()
    await page.goto("/")
    await page.get_by_label("Email").fill("alice@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    banner = page.get_by_role("status").filter(has_text="1 agent is in no team")
    await expect(banner).to_be_visible(timeout=15_000)
    await expect(banner).to_contain_text("Zoe Lima will never be assigned a conversation")
    await banner.get_by_role("link", name="See the members").click()
    row = page.get_by_role("row").filter(has_text="Zoe Lima")
    await expect(row.get_by_text("In no team")).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-no-team-owner.png"))
    await banner.get_by_role("button", name="Dismiss").click()
    await expect(banner).to_be_hidden()
    await page.reload()
    await expect(page.get_by_role("row").filter(has_text="Zoe Lima")).to_be_visible()
    await expect(page.get_by_text("1 agent is in no team")).to_be_hidden()
    await owner.close()
