"""A visitor on the demo website chats with an agent connected through the agent socket."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.runtime import Runtime
from frontdesk.web.routes import WIDGET_FILE
from tests.factories import Factory
from tests.realtime.conftest import Live

PHONE = {"width": 390, "height": 844}


@pytest.fixture
async def site_chat(live: Live, runtime: Runtime) -> Channel:
    """The demo website's chat, routed to Support (bob's team)."""
    if not WIDGET_FILE.exists():
        pytest.fail("the widget is not built: run `make widget` (make test builds it first)")
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            live.world.acme.workspace, "webchat", "Careers website", demo_site=True
        )
        channel.team_id = live.world.acme.teams["support"].id
        await s.commit()
    return channel


async def open_chat(page: Page, label: str = "Open chat") -> None:
    await page.get_by_role("button", name=label).click()
    await expect(page.get_by_role("dialog")).to_be_visible()


async def test_visitor_and_agent_chat_live(
    live: Live, site_chat: Channel, browser: Browser, screenshots: Path
) -> None:
    sock = await live.socket("bob")
    await sock.wait_for(lambda s: bool(s.of_type("hello")))
    context = await browser.new_context(locale="en-US")
    page = await context.new_page()
    await page.goto(f"{live.http_url}/demo/site")
    await expect(page.get_by_role("heading", name="Talenta Recruitment")).to_be_visible()
    await open_chat(page)
    panel = page.get_by_role("dialog", name="Chat with us")
    await expect(panel.get_by_role("heading", name="Careers website")).to_be_visible()
    await expect(panel.get_by_text("Hi! How can we help you today?")).to_be_visible()
    # Open (no business hours) but nobody in Support is online: no promise of minutes.
    await expect(
        panel.get_by_text("We're open · everyone is busy, we'll reply as soon as we can")
    ).to_be_visible()
    await page.screenshot(path=str(screenshots / "widget-open.png"))

    # A file past the channel's limit is refused before any upload.
    await page.locator("input[type=file]").set_input_files(
        {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": b"x" * (10 * 1024 * 1024 + 1)}
    )
    await expect(panel.get_by_role("alert")).to_have_text("This file is larger than 10 MB.")

    composer = panel.get_by_role("textbox", name="Write a message…")
    await composer.fill("Hello! Is the cashier job still open?")
    await composer.press("Enter")
    mine = panel.get_by_role("log").locator(".msg.mine")
    await expect(mine).to_contain_text("Hello! Is the cashier job still open?")
    await expect(mine.get_by_role("img", name="Sent")).to_have_text("✓")

    # bob's socket hears of it live, in his team's queue.
    await sock.wait_for(lambda s: bool(s.events("message.created")))
    created = sock.events("message.created")[0]["data"]
    assert created["message"]["body"] == "Hello! Is the cashier job still open?"
    assert created["conversation"]["team"]["name"] == "Support"
    conversation_id = created["conversation"]["id"]

    await sock.send({"type": "typing", "conversation_id": conversation_id, "active": True})
    await expect(panel.get_by_role("status").filter(has_text="is typing")).to_be_visible()
    async with live.world.client("bob") as bob:
        r = await bob.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"body": "Yes! Can you come on Monday?", "client_message_id": "e2e-1"},
        )
        assert r.status_code == 201, r.text
    reply = panel.get_by_role("log").locator(".msg.theirs")
    await expect(reply).to_contain_text("Yes! Can you come on Monday?")
    await expect(reply.get_by_text("Bob", exact=True)).to_be_visible()
    await expect(panel.get_by_role("paragraph")).to_have_text("Bob")  # the header's agent line
    await expect(panel.get_by_text("is typing")).to_be_hidden()
    await page.screenshot(path=str(screenshots / "widget-conversation.png"))

    # The reply was on screen: the widget reports it read, and bob sees that.
    await sock.wait_for(
        lambda s: any(f["data"]["message"]["status"] == "read" for f in s.events("message.updated"))
    )

    # A reload keeps the conversation (the visitor token is kept in the browser).
    await page.reload()
    await open_chat(page)
    await expect(panel.get_by_text("Hello! Is the cashier job still open?")).to_be_visible()
    await expect(panel.get_by_text("Yes! Can you come on Monday?")).to_be_visible()

    # While no page is open, bob writes; the next visit shows it as unread, then catches up.
    await page.close()
    async with live.world.client("bob") as bob:
        r = await bob.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"body": "Bring your documents, please.", "client_message_id": "e2e-2"},
        )
        assert r.status_code == 201, r.text
    page = await context.new_page()
    await page.goto(f"{live.http_url}/demo/site")
    await expect(
        page.get_by_role("button", name="Open chat (1 unread)", exact=True)
    ).to_be_visible()
    await open_chat(page)
    await expect(page.get_by_text("Bring your documents, please.")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("button", name="Open chat", exact=True)).to_be_visible()
    await context.close()
    await sock.close()


async def test_the_widget_fills_a_phone_screen(
    live: Live, site_chat: Channel, browser: Browser, screenshots: Path
) -> None:
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = await context.new_page()
    await page.goto(f"{live.http_url}/demo/site")
    await open_chat(page)
    box = await page.get_by_role("dialog").bounding_box()
    assert box is not None
    assert (round(box["width"]), round(box["height"])) == (PHONE["width"], PHONE["height"])
    await page.screenshot(path=str(screenshots / "widget-phone.png"))
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("dialog")).to_be_hidden()
    await context.close()


@pytest.mark.parametrize(
    ("locale", "open_label", "placeholder"),
    [
        ("pt-BR", "Abrir chat", "Escreva uma mensagem…"),
        ("vi-VN", "Mở trò chuyện", "Nhập tin nhắn…"),
    ],
)
async def test_the_widget_speaks_the_visitor_s_language(
    live: Live,
    site_chat: Channel,
    browser: Browser,
    screenshots: Path,
    locale: str,
    open_label: str,
    placeholder: str,
) -> None:
    context = await browser.new_context(locale=locale)
    page = await context.new_page()
    await page.goto(f"{live.http_url}/demo/site")
    await open_chat(page, open_label)
    await expect(page.get_by_role("textbox", name=placeholder)).to_be_visible()
    await page.screenshot(path=str(screenshots / f"widget-{locale}.png"))
    await context.close()


async def test_the_pre_chat_form_names_the_visitor(
    live: Live, runtime: Runtime, browser: Browser, screenshots: Path
) -> None:
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            live.world.acme.workspace,
            "webchat",
            "Careers website",
            demo_site=True,
            pre_chat_enabled=True,
            pre_chat_require_email=True,
        )
        await s.commit()
    context = await browser.new_context(locale="en-US")
    page = await context.new_page()
    await page.goto(f"{live.http_url}/demo/site")
    await open_chat(page)
    panel = page.get_by_role("dialog")
    await expect(panel.get_by_role("textbox", name="Write a message…")).to_be_hidden()
    await panel.get_by_role("textbox", name="Your name").fill("Ana Souza")
    await panel.get_by_role("button", name="Start chat").click()
    # The email is required: the form does not go through without it.
    await expect(panel.get_by_role("textbox", name="Write a message…")).to_be_hidden()
    await panel.get_by_role("textbox", name="Your email").fill("Ana@Example.com")
    await page.screenshot(path=str(screenshots / "widget-pre-chat.png"))
    await panel.get_by_role("button", name="Start chat").click()
    composer = panel.get_by_role("textbox", name="Write a message…")
    await expect(composer).to_be_focused()
    await composer.fill("I would like to apply.")
    await composer.press("Enter")
    await expect(panel.locator(".msg.mine").get_by_role("img", name="Sent")).to_be_visible()
    await context.close()

    async with runtime.database.read_session() as db:
        contact = await db.scalar(
            select(Contact)
            .join(ContactIdentity, ContactIdentity.contact_id == Contact.id)
            .where(ContactIdentity.channel_id == channel.id)
        )
    assert contact is not None
    assert (contact.name, contact.email) == ("Ana Souza", "ana@example.com")


@pytest.mark.parametrize(
    ("locale", "open_label", "closed"),
    [
        ("en-US", "Open chat", "We're closed · we open Monday at 08:00"),
        ("pt-BR", "Abrir chat", "Estamos fechados · abrimos segunda-feira às 08:00"),
    ],
)
async def test_the_header_says_the_team_is_closed_and_when_it_opens(
    live: Live,
    site_chat: Channel,
    browser: Browser,
    clock: FrozenClock,
    screenshots: Path,
    locale: str,
    open_label: str,
    closed: str,
) -> None:
    weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    hours = {
        "timezone": "America/Sao_Paulo",
        "periods": [{"weekday": d, "start": "08:00", "end": "18:00"} for d in weekdays],
    }
    async with live.world.client("alice") as alice:
        assert (await alice.put("/api/v1/business-hours", json=hours)).status_code == 200
    saturday_noon = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)  # 12:00 in São Paulo
    clock.set(saturday_noon)
    context = await browser.new_context(locale=locale, timezone_id="America/Sao_Paulo")
    page = await context.new_page()
    await page.clock.set_fixed_time(saturday_noon)
    await page.goto(f"{live.http_url}/demo/site")
    await open_chat(page, open_label)
    panel = page.get_by_role("dialog")
    await expect(panel.get_by_text(closed)).to_be_visible()
    await page.screenshot(path=str(screenshots / f"widget-closed-{locale}.png"))
    await context.close()
