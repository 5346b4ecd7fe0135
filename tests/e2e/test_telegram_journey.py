"""Connecting a Telegram bot in Chromium: a refused token says why, a good one connects the bot,
and a customer's message to it arrives in the inbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from frontdesk.demo.fake_telegram import FakeTelegram, serve
from frontdesk.settings import Settings
from tests.e2e.test_app_journey import app_built, sign_in
from tests.realtime.conftest import Live

__all__ = ["app_built"]


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    async with serve(fake):
        yield fake


@pytest.fixture
def settings(settings: Settings, fake_telegram: FakeTelegram) -> Settings:
    settings.telegram_api_url = fake_telegram.base_url
    return settings


async def test_an_owner_connects_a_bot_and_its_messages_reach_the_inbox(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    fake_telegram: FakeTelegram,
) -> None:
    live.app.state.runtime.public_url = live.http_url
    bot = fake_telegram.add_bot(username="acme_careers_bot", first_name="Acme Careers")
    context = await browser.new_context(base_url=live.http_url)
    page = await context.new_page()
    await sign_in(page, live, "alice@acme.test")
    await expect(page.get_by_role("link", name="Frank")).to_be_visible()  # signed in
    await page.goto(f"{live.http_url}/settings?tab=channels")
    await page.get_by_role("button", name="Connect a channel").click()
    await page.get_by_role("button", name="Telegram", exact=True).click()

    form = page.get_by_role("form", name="Connect a Telegram bot")
    await form.get_by_label("Channel name").fill("Careers bot")
    await form.get_by_label("Bot token").fill("123456:" + "A" * 35)
    await form.get_by_role("button", name="Connect bot").click()
    await expect(page.get_by_text("The bot could not be connected")).to_be_visible()
    await expect(page.get_by_text("Telegram answered 401: Unauthorized")).to_be_visible()

    await form.get_by_label("Bot token").fill(bot.token)
    await form.get_by_role("button", name="Connect bot").click()
    await expect(page.get_by_text("Bot connected")).to_be_visible()
    await expect(page.get_by_role("link", name="@acme_careers_bot")).to_be_visible()
    await expect(form.get_by_label("Bot token")).to_have_value("")
    await page.screenshot(path=str(screenshots / "app-telegram-connected.png"))
    assert bot.webhook_url.startswith(f"{live.http_url}/webhooks/telegram/")

    update = fake_telegram.text_update(4242, "Hello, is the driver job open?", "Maria", "Silva")
    assert (await fake_telegram.post_update(bot, update)).status_code == 200
    await page.goto(live.http_url)
    await page.get_by_text("Unassigned").first.click()
    await page.get_by_role("link", name="Maria Silva").click()
    await expect(
        page.get_by_role("log").get_by_text("Hello, is the driver job open?")
    ).to_be_visible()
    await context.close()
