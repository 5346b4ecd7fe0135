"""Search in real Chromium: a phrase a customer wrote last month is found from the search page
and from the command palette, typed without its accents, and opens the conversation at it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from tests.e2e.test_app_journey import app_built
from tests.e2e.test_palette_journey import PALETTE, signed_in
from tests.factories import Factory
from tests.realtime.conftest import Live

__all__ = ["app_built"]

PHRASE = "A minha encomenda não chegou e o cartão já foi cobrado"


async def last_month(runtime: Runtime, live: Live) -> tuple[str, str]:
    """Erin's conversation from 31 days ago (the frozen clock), and her message in it."""
    acme = live.world.acme
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        conv = await f.conversation(
            acme.workspace,
            acme.channels["whatsapp"],
            acme.contacts["erin"],
            team=acme.teams["support"],
            body=PHRASE,
            at=runtime.clock.now() - timedelta(days=31),
        )
        await s.commit()
        message = await s.scalar(select(Message.id).where(Message.conversation_id == conv.id))
    return str(conv.id), str(message)


async def opened_at_message(page: Page, conversation_id: str, message_id: str) -> None:
    at = re.compile(f"/conversations/{conversation_id}\\?message={message_id}")
    await expect(page).to_have_url(at)
    bubble = page.locator(f'[data-message-id="{message_id}"]')
    await expect(bubble).to_have_attribute("data-search-focus", "true")
    await expect(bubble).to_be_in_viewport()


async def test_a_phrase_from_last_month_is_found_and_opens_its_conversation(
    live: Live, runtime: Runtime, browser: Browser, app_built: None, screenshots: Path
) -> None:
    conversation_id, message_id = await last_month(runtime, live)
    page = await signed_in(browser, live, "bob@acme.test")

    # From the inbox, the palette: the words typed without their accents.
    await page.keyboard.press("Control+k")
    await expect(page.get_by_role("combobox", name=PALETTE)).to_be_focused()
    await page.keyboard.type("encomenda nao chegou")
    option = page.get_by_role("group", name="Messages and notes").get_by_role("option")
    await expect(option).to_have_count(1)
    await expect(option).to_contain_text("Erin")
    await expect(option).to_contain_text("encomenda")
    await option.click()
    await opened_at_message(page, conversation_id, message_id)

    # The search page, from the menu.
    await page.get_by_role("button", name="Bob").click()
    await page.get_by_role("menuitem", name="Search").click()
    await page.get_by_role("searchbox", name="Search for").fill("nao chegou cartao")
    await page.keyboard.press("Enter")
    results = page.get_by_role("list", name="Search results")
    hit = results.get_by_role("button", name="Open Message · Erin")
    await expect(hit).to_have_count(1)
    await expect(hit.locator("mark")).to_have_text(["não", "chegou", "cartão"])
    await page.screenshot(path=str(screenshots / "search-page.png"))
    await hit.click()
    await opened_at_message(page, conversation_id, message_id)

    # On a phone the page fits its width.
    signed = await page.context.storage_state()
    phone = await browser.new_context(
        base_url=live.http_url, viewport={"width": 390, "height": 844}, storage_state=signed
    )
    small = await phone.new_page()
    await small.goto("/search?q=encomenda")
    await expect(small.get_by_role("button", name="Open Message · Erin")).to_be_visible()
    # Its filters fold away behind one button there.
    await expect(small.get_by_role("textbox", name="Channel")).to_be_hidden()
    await small.get_by_role("button", name="Filters (0)").click()
    await expect(small.get_by_role("textbox", name="Channel")).to_be_visible()
    width = await small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the search page is {width} px wide"
    await small.screenshot(path=str(screenshots / "search-phone.png"))
    await phone.close()
