"""The demo workspace on fake providers, in Chromium: customers on two WhatsApp numbers and on
Telegram chat with the owner — a photo, a template outside the window, ticks, a failure shown —
and every webhook delivered a second time changes nothing."""

from __future__ import annotations

import asyncio
import io
import re
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.async_api import Browser, Locator, Page, expect
from sqlalchemy import func, select

from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.conversations.models import Conversation, DeliveryReceipt, Message
from frontdesk.core.runtime import Runtime
from frontdesk.demo import DEMO_PASSWORD, OWNER_EMAIL
from frontdesk.demo.fake_graph_webhooks import message_webhook, text_webhook
from frontdesk.demo.providers import Connected, connect_whatsapp
from frontdesk.demo.telegram_demo import TelegramDemo, start_telegram
from frontdesk.settings import Settings
from tests.demo_snapshot import load_demo_setting
from tests.e2e.channel_fixtures import clock, settings
from tests.e2e.test_app_journey import app_built
from tests.e2e.test_channel_ui_journey import run_jobs
from tests.fakes.meta import FakeGraph, serve
from tests.realtime.conftest import Live

__all__ = ["app_built", "clock", "settings"]


@pytest.fixture
async def fake_graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph(auto_statuses=True, status_delays=(0.05, 0.1, 0.2))
    async with serve(fake):
        yield fake


@pytest.fixture
async def demo(
    live: Live, settings: Settings, fake_graph: FakeGraph
) -> AsyncIterator[tuple[list[Connected], TelegramDemo]]:
    """The demo workspace, its two numbers on the fake Graph API and its bot on the fake Bot
    API, as `frontdesk demo --fake-providers` connects them."""
    runtime: Runtime = live.app.state.runtime
    runtime.public_url = live.http_url
    # The demo played at the browser's now (the channel journeys' clock); the journey writes its
    # own customers, so the demo's history is played at its smallest share.
    await load_demo_setting(runtime)
    numbers = await connect_whatsapp(
        runtime, fake_graph, f"{live.http_url}/webhooks/whatsapp/{{workspace_id}}"
    )
    telegram = await start_telegram(runtime, settings, live.http_url)
    assert len(numbers) == 2
    assert telegram is not None
    yield numbers, telegram
    await telegram.close()


def bubble(page: Page, text: str) -> Locator:
    return page.get_by_role("log").locator("[data-message-id]").filter(has_text=text).last


async def conversation_with(runtime: Runtime, channel_id: uuid.UUID, provider_id: str) -> uuid.UUID:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(Conversation.id)
            .join(ContactIdentity, ContactIdentity.contact_id == Conversation.contact_id)
            .where(
                Conversation.channel_id == channel_id,
                ContactIdentity.channel_id == channel_id,
                ContactIdentity.provider_id == provider_id,
            )
            .order_by(Conversation.opened_at.desc())
            .limit(1)
        )
    assert found is not None, f"no conversation of {provider_id}"
    return found


async def counts(runtime: Runtime) -> tuple[int, int, int]:
    async with runtime.database.read_session() as db:
        messages = await db.scalar(select(func.count()).select_from(Message))
        conversations = await db.scalar(select(func.count()).select_from(Conversation))
        receipts = await db.scalar(select(func.count()).select_from(DeliveryReceipt))
    return int(messages or 0), int(conversations or 0), int(receipts or 0)


async def reply(page: Page, text: str) -> Locator:
    await page.get_by_label("Write a reply").fill(text)
    await page.get_by_role("button", name="Send", exact=True).click()
    sent = bubble(page, text)
    # The demo plays at the real now: during the demo agents' shifts routing has given the
    # conversation to one of them, and the owner is asked before replying in it.
    ask = page.get_by_role("dialog", name="Reply anyway?")
    await expect(sent.or_(ask)).to_be_visible()
    if await ask.is_visible():
        await ask.get_by_role("button", name="Reply anyway").click()
    await expect(sent).to_be_visible()
    return sent


async def test_the_demo_s_customers_chat_on_two_numbers_and_telegram(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    fake_graph: FakeGraph,
    demo: tuple[list[Connected], TelegramDemo],
) -> None:
    runtime: Runtime = live.app.state.runtime
    (first, second), telegram = demo
    now = int(time.time())
    # A new customer writes to the first number, another sends a photo to the second, a third
    # writes to the bot.
    hello = text_webhook(
        first.number,
        "5511955550001",
        "Renata Alves",
        "Oi! A vaga de repositor ainda existe?",
        timestamp=now,
    )
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(picture, format="JPEG")
    photo_id = fake_graph.add_media(picture.getvalue(), "image/jpeg")
    photo = message_webhook(
        second.number,
        "5519955550002",
        "Tiago Rocha",
        {
            "type": "image",
            "image": {"id": photo_id, "mime_type": "image/jpeg", "caption": "Meu CV"},
        },
        timestamp=now,
    )
    for connected, body in ((first, hello), (second, photo)):
        url = str(connected.number.webhook_url)
        posted = await fake_graph.post_webhook(url, body, connected.number.app_secret)
        assert posted.status_code == 200, posted.text
    update = telegram.fake.text_update(777001, "Hello! Is the night shift open?", "Ana", "Lima")
    assert (await telegram.fake.post_update(telegram.bot, update)).status_code == 200
    await run_jobs(runtime)

    context = await browser.new_context(base_url=live.http_url)
    page = await context.new_page()
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(OWNER_EMAIL)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("Unassigned").first).to_be_visible()  # signed in

    # First number: the owner answers, and the ticks follow Meta's reports.
    renata = await conversation_with(runtime, first.channel_id, "5511955550001")
    await page.goto(f"{live.http_url}/conversations/{renata}")
    await expect(page.get_by_role("log").get_by_text("A vaga de repositor")).to_be_visible()
    answer = await reply(page, "Existe sim! Pode vir amanhã às 9h?")
    await run_jobs(runtime)
    await expect(answer.get_by_role("img", name="Read")).to_be_visible(timeout=10_000)

    # Second number: the customer's photo is fetched from Meta and shown.
    tiago = await conversation_with(runtime, second.channel_id, "5519955550002")
    await page.goto(f"{live.http_url}/conversations/{tiago}")
    log = page.get_by_role("log")
    await expect(log.get_by_text("Meu CV")).to_be_visible()
    shown = log.locator("img[src*='/api/v1/attachments/']")
    await expect(shown).to_be_visible()
    await expect(log.get_by_text("could not be downloaded")).to_have_count(0)
    await page.screenshot(path=str(screenshots / "demo-whatsapp-photo.png"))

    # An older conversation on the first number is past its 24 hours: only a template.
    earlier = text_webhook(
        first.number, "5511955550003", "Carla Souza", "Oi, vi a vaga ontem", timestamp=now
    )
    url = str(first.number.webhook_url)
    posted = await fake_graph.post_webhook(url, earlier, first.number.app_secret)
    assert posted.status_code == 200, posted.text
    await run_jobs(runtime)
    older = await conversation_with(runtime, first.channel_id, "5511955550003")
    async with runtime.database.write_session() as db:
        stored = await db.get_one(Conversation, older)
        stored.last_inbound_at = runtime.clock.now() - timedelta(hours=30)
        await db.commit()
    await page.goto(f"{live.http_url}/conversations/{older}")
    await expect(page.get_by_role("status", name="The 24-hour window is closed")).to_be_visible()
    await page.get_by_role("button", name="Send a template").last.click()
    picker = page.get_by_role("dialog", name="Send an approved template")
    await picker.get_by_role("button", name="Use ainda_interessado").click()
    await picker.get_by_label("Variable 1").fill("Carla")
    await picker.get_by_role("button", name="Send template").click()
    template = bubble(page, "Oi Carla, você ainda tem interesse na vaga?")
    await expect(template).to_be_visible()
    await run_jobs(runtime)
    assert any(
        s.get("type") == "template" and s["template"]["name"] == "ainda_interessado"
        for s in fake_graph.sent
    )
    await expect(template.get_by_role("img", name="Read")).to_be_visible(timeout=10_000)

    # Telegram: one reply goes out; the customer then blocks the bot, and the next one says so.
    ana = await conversation_with(runtime, telegram_channel(telegram, runtime), "777001")
    await page.goto(f"{live.http_url}/conversations/{ana}")
    await expect(page.get_by_role("log").get_by_text("Is the night shift open?")).to_be_visible()
    sent = await reply(page, "Yes, from 22:00. Want to apply?")
    await run_jobs(runtime)
    await expect(sent.get_by_role("img", name="Sent")).to_be_visible()
    assert [m["text"] for m in telegram.fake.sent][-1] == "Yes, from 22:00. Want to apply?"
    telegram.fake.block(777001)
    refused = await reply(page, "Are you still there?")
    await run_jobs(runtime)
    await expect(
        refused.get_by_text(re.compile(r"Not delivered: Forbidden: bot was blocked by the user"))
    ).to_be_visible()
    await page.screenshot(path=str(screenshots / "demo-telegram-failed.png"))
    await context.close()

    # Every webhook and update delivered again: nothing new is stored.
    await asyncio.sleep(1)  # the fake's last status reports arrive
    await run_jobs(runtime)
    before = await counts(runtime)
    for url, raw, headers in list(fake_graph.webhooks_posted):
        again = await deliver_again(url, raw, headers)
        assert again == 200
    for url, raw, headers in list(telegram.fake.updates_posted):
        again = await deliver_again(url, raw, headers)
        assert again == 200
    await run_jobs(runtime)
    assert await counts(runtime) == before
    assert len(fake_graph.webhooks_posted) > 6  # the customers' messages and the statuses


def telegram_channel(telegram: TelegramDemo, runtime: Runtime) -> uuid.UUID:
    """The demo bot's channel, from the webhook URL it was given (…/telegram/{channel id})."""
    found = re.search(r"/webhooks/telegram/([0-9a-f-]{36})", telegram.bot.webhook_url)
    assert found is not None, telegram.bot.webhook_url
    return uuid.UUID(found.group(1))


async def deliver_again(url: str, raw: bytes, headers: dict[str, str]) -> int:
    async with httpx.AsyncClient(timeout=10) as http:
        return (await http.post(url, content=raw, headers=headers)).status_code
