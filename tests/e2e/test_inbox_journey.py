"""Two agents and a website visitor, all in real Chromium: the inbox works live end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import Tag
from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD, Factory
from tests.realtime.conftest import Live

REPLY_BOX = "Write a reply… (Enter sends, Shift+Enter for a new line)"


@pytest.fixture
async def site_chat(live: Live, runtime: Runtime) -> Channel:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            live.world.acme.workspace, "webchat", "Careers website", demo_site=True
        )
        channel.team_id = live.world.acme.teams["support"].id
        s.add(
            Tag(
                workspace_id=live.world.acme.id,
                name="hired",
                is_outcome=True,
                created_at=runtime.clock.now(),
            )
        )
        await s.commit()
    return channel


async def agent(browser: Browser, live: Live, email: str) -> Page:
    page = await (await browser.new_context(base_url=live.http_url)).new_page()
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    return page


async def test_a_visitor_two_agents_take_reply_mention_and_close(
    live: Live, site_chat: Channel, browser: Browser, screenshots: Path
) -> None:
    alice = await agent(browser, live, "alice@acme.test")  # owner: sees everything
    bob = await agent(browser, live, "bob@acme.test")  # agent in Support, the chat's team
    await bob.get_by_text("Unassigned").first.click()
    await alice.get_by_text("Unassigned").first.click()

    visitor = await (await browser.new_context()).new_page()
    await visitor.goto(f"{live.http_url}/demo/site")
    await visitor.get_by_role("button", name="Open chat").click()
    box = visitor.get_by_role("textbox", name="Write a message…")
    await box.fill("Hi, I applied for the warehouse job")
    await box.press("Enter")

    # It appears live in both agents' "unassigned" views.
    for page in (alice, bob):
        await expect(page.get_by_role("link", name="Visitor")).to_be_visible(timeout=10_000)

    # Bob takes it: it leaves alice's unassigned view without a reload.
    await bob.get_by_role("link", name="Visitor").click()
    await bob.get_by_role("button", name="Assign to me").click()
    await expect(bob.get_by_text("Assigned to Bob")).to_be_visible()
    await expect(alice.get_by_role("link", name="Visitor")).to_be_hidden()

    # Messages flow both ways.
    reply = bob.get_by_role("textbox", name=REPLY_BOX)
    await reply.fill("Thanks! Can you start on Monday?")
    await reply.press("Enter")
    await expect(visitor.get_by_text("Can you start on Monday?")).to_be_visible()
    await box.fill("Yes, Monday is perfect")
    await box.press("Enter")
    await expect(bob.get_by_role("log").get_by_text("Yes, Monday is perfect")).to_be_visible()

    # A note mentioning alice notifies her; the visitor never sees it.
    await bob.locator("label", has_text="Internal note").click()
    note = bob.get_by_role("textbox", name="Write a note only your team sees…")
    await note.fill("@Ali")
    await bob.get_by_role("option", name="@Alice").click()
    await note.press("End")
    await note.type("can you approve the start date?")
    await note.press("Enter")
    await expect(alice.get_by_text("Bob mentioned you in a note")).to_be_visible()
    await expect(visitor.get_by_text("approve the start date")).to_have_count(0)

    # Bob closes it as hired.
    await bob.get_by_role("textbox", name="Outcome").click()
    await bob.get_by_role("option", name="hired").click()
    shown = bob.url
    await bob.get_by_role("button", name="Close", exact=True).click()
    # Closed: the app moves on to the next conversation of Bob's view; back to this one.
    await expect(bob).not_to_have_url(shown)
    await bob.go_back()
    await expect(bob.get_by_text("This conversation is closed.")).to_be_visible()
    await bob.screenshot(path=str(screenshots / "journey-closed.png"))
    await visitor.screenshot(path=str(screenshots / "journey-visitor.png"))
