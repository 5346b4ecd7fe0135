"""An agent saves a filtered view and follows it live; unread markers come and go in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD, Factory
from tests.realtime.conftest import Live


@pytest.fixture
async def site_chat(live: Live, runtime: Runtime) -> Channel:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            live.world.acme.workspace, "webchat", "Careers website", demo_site=True
        )
        channel.team_id = live.world.acme.teams["support"].id
        await s.commit()
    return channel


async def agent(browser: Browser, live: Live, email: str) -> Page:
    page = await (await browser.new_context(base_url=live.http_url)).new_page()
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    return page


async def choose(page: Page, field: str, option: str) -> None:
    await page.get_by_role("textbox", name=field, exact=True).click()
    await page.get_by_role("option", name=option, exact=True).click()


def builtin_view(page: Page, name: str) -> Locator:
    """A built-in view in the segmented control; its label ends with the open count."""
    return page.get_by_text(re.compile(rf"^{name}( \d+)?$"))


def view_button(page: Page, name: str, count: int) -> Locator:
    saved = page.get_by_role("navigation", name="Saved views")
    return saved.get_by_role("button", name=re.compile(rf"^{re.escape(name)}\s*{count}$"))


async def test_an_agent_saves_a_view_and_follows_unread_conversations_live(
    live: Live, site_chat: Channel, browser: Browser, screenshots: Path
) -> None:
    bob = await agent(browser, live, "bob@acme.test")  # agent in Support, the chat's team
    alice = await agent(browser, live, "alice@acme.test")  # owner: watches the same chats

    # Bob narrows "All" down to the website's chats nobody has taken, and saves that.
    await builtin_view(bob, "All").click()
    await choose(bob, "Channel", "Careers website")
    await choose(bob, "Assignee", "Unassigned")
    await bob.get_by_role("button", name="Save view").click()
    dialog = bob.get_by_role("dialog", name="Save these filters as a view")
    await dialog.get_by_role("textbox", name="Name").fill("Website, untaken")
    # Agents keep private views: sharing is for owners and managers.
    await expect(dialog.get_by_text("Share with the workspace")).to_have_count(0)
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    view = view_button(bob, "Website, untaken", 0)
    await expect(view).to_be_visible()
    await expect(view).to_have_attribute("aria-pressed", "true")
    # Private: alice, though she owns the workspace, does not see it.
    await expect(alice.get_by_role("navigation", name="Saved views")).to_be_visible()
    await expect(alice.get_by_text("Website, untaken")).to_have_count(0)

    # A visitor writes: the view's count and an unread row appear without a reload.
    visitor = await (await browser.new_context()).new_page()
    await visitor.goto(f"{live.http_url}/demo/site")
    await visitor.get_by_role("button", name="Open chat").click()
    box = visitor.get_by_role("textbox", name="Write a message…")
    await box.fill("Hello, is the warehouse job still open?")
    await box.press("Enter")
    await expect(view_button(bob, "Website, untaken", 1)).to_be_visible(timeout=10_000)
    row = bob.get_by_role("link", name=re.compile("^Visitor"))
    await expect(row.get_by_label("Unread messages: 1")).to_be_visible()
    await bob.screenshot(path=str(screenshots / "views-unread.png"))

    # Opening it clears the marker, for bob only.
    await builtin_view(alice, "All").click()
    alices_row = alice.get_by_role("link", name=re.compile("^Visitor"))
    await expect(alices_row.get_by_label("Unread messages: 1")).to_be_visible(timeout=10_000)
    await row.click()
    await expect(bob.get_by_role("log").get_by_text("warehouse job still open")).to_be_visible()
    await expect(row.get_by_label(re.compile("^Unread messages"))).to_have_count(0, timeout=10_000)
    await expect(alices_row.get_by_label("Unread messages: 1")).to_be_visible()

    # The visitor writes again while bob has it open: unread for alice, not for bob.
    await box.fill("I can start on Monday")
    await box.press("Enter")
    await expect(bob.get_by_role("log").get_by_text("I can start on Monday")).to_be_visible()
    await expect(alices_row.get_by_label("Unread messages: 2")).to_be_visible(timeout=10_000)
    await expect(row.get_by_label(re.compile("^Unread messages"))).to_have_count(0)

    # Bob moves on: what the visitor writes next makes the row unread for him again.
    await builtin_view(bob, "Mine").click()
    await bob.get_by_role("link", name=re.compile("^Erin")).click()
    await expect(bob.get_by_role("heading", name="Erin")).to_be_visible()
    await view_button(bob, "Website, untaken", 1).click()
    await expect(row.get_by_label(re.compile("^Unread messages"))).to_have_count(0)
    await box.fill("Also, do you need my CV?")
    await box.press("Enter")
    await expect(row.get_by_label("Unread messages: 1")).to_be_visible(timeout=10_000)

    # It all holds after a reload: the view, its count and the marker come from the server.
    await bob.reload()
    await view_button(bob, "Website, untaken", 1).click()
    await expect(row.get_by_label("Unread messages: 1")).to_be_visible(timeout=10_000)
    await bob.screenshot(path=str(screenshots / "views-after-reload.png"))
