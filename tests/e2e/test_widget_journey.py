"""A visitor on the demo website chats with an agent connected through the agent socket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from websockets.asyncio.client import ClientConnection

from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from tests.factories import Factory
from tests.realtime.conftest import Live

PHONE = {"width": 390, "height": 844}


@pytest.fixture
async def site_chat(live: Live, runtime: Runtime) -> Channel:
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            live.world.acme.workspace, "webchat", "Careers website", demo_site=True
        )
        channel.team_id = live.world.acme.teams["support"].id
        await s.commit()
    return channel


@pytest.fixture
async def bob_socket(live: Live) -> AsyncIterator[ClientConnection]:
    sock = await live.socket("bob")
    await sock.wait_for(lambda s: bool(s.of_type("hello")))
    yield sock.ws
    await sock.close()


async def next_event(ws: ClientConnection, kind: str, within: float = 10) -> dict[str, object]:
    async def read() -> dict[str, object]:
        while True:
            frame = json.loads(await ws.recv())
            if frame.get("type") == kind:
                return dict(frame)

    return await asyncio.wait_for(read(), within)


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
    await open_chat(page)
    await page.screenshot(path=str(screenshots / "widget-open.png"))
    composer = page.get_by_role("textbox", name="Write a message…")
    await composer.fill("Hello! Is the cashier job still open?")
    await composer.press("Enter")

    await sock.wait_for(lambda s: bool(s.events("message.created")))
    created = sock.events("message.created")[0]["data"]
    assert created["message"]["body"] == "Hello! Is the cashier job still open?"
    conversation_id = created["conversation"]["id"]
    assert created["conversation"]["team"]["name"] == "Support"

    await sock.send({"type": "typing", "conversation_id": conversation_id, "active": True})
    await expect(page.get_by_text("is typing")).to_be_visible()
    async with live.world.client("bob") as bob:
        r = await bob.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={
                "body": "Yes! Can you come for an interview on Monday?",
                "client_message_id": "e2e-1",
            },
        )
        assert r.status_code == 201, r.text
    await expect(page.get_by_text("Can you come for an interview on Monday?")).to_be_visible()
    await expect(page.get_by_role("log").get_by_text("Bob", exact=True)).to_be_visible()
    await expect(page.get_by_role("dialog").get_by_role("paragraph")).to_have_text("Bob")
    await expect(page.get_by_text("is typing")).to_be_hidden()
    await page.screenshot(path=str(screenshots / "widget-conversation.png"))

    # The visitor read the reply: the agent sees it move to read.
    await sock.wait_for(
        lambda s: any(f["data"]["message"]["status"] == "read" for f in s.events("message.updated"))
    )

    # A reload keeps the conversation (the visitor token is kept in the browser).
    await page.reload()
    await open_chat(page)
    await expect(page.get_by_text("Hello! Is the cashier job still open?")).to_be_visible()
    await expect(page.get_by_text("Can you come for an interview on Monday?")).to_be_visible()

    # While the page is closed, the agent writes; reopening catches up.
    await page.close()
    async with live.world.client("bob") as bob:
        await bob.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"body": "Bring your documents, please.", "client_message_id": "e2e-2"},
        )
    page = await context.new_page()
    await page.goto(f"{live.http_url}/demo/site")
    badge = page.get_by_role("button", name="Open chat")
    await expect(badge).to_be_visible()
    await open_chat(page)
    await expect(page.get_by_text("Bring your documents, please.")).to_be_visible()
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
