"""An agent's connection drops and comes back: the app says so, catches up, and loses no reply.

The agent's browser reaches the server through a `Cable`, a TCP relay the test can break the
ways a network does: `freeze` (packets stop and nothing says so, as when Wi-Fi drops: an open
socket looks alive for minutes), `cut` (every connection reset, new ones refused) and `mute`
(requests arrive, answers are lost). Chromium's offline emulation (`set_offline`) fails new
requests and tells the page it is offline, but leaves an open WebSocket working, so alone it
cuts nothing live; with a frozen cable it is what a laptop losing its Wi-Fi sees. Everyone
else (the visitor, another agent) talks to the server directly meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, expect
from sqlalchemy import func, select

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.web.routes import APP_DIR
from tests.e2e.channel_fixtures import clock
from tests.factories import PASSWORD, Factory
from tests.realtime.conftest import Live

__all__ = ["clock"]

REPLY_BOX = "Write a reply… (Enter sends, Shift+Enter for a new line)"
RECONNECTING = "Reconnecting…"


class Cable:
    """A TCP relay between one browser and the server: working, frozen, cut or muted."""

    def __init__(self, target: str) -> None:
        host, _, port = target.partition(":")
        self.target = (host, int(port))
        self.up = True
        self.frozen = False
        self.muted = False
        self.links: set[asyncio.StreamWriter] = set()
        self.server: asyncio.Server | None = None
        self.url = ""

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def close(self) -> None:
        self.cut()
        if self.server:
            self.server.close()
            await self.server.wait_closed()

    def cut(self) -> None:
        """Reset every connection through the cable and refuse new ones until `restore`."""
        self.up = False
        self._reset()

    def freeze(self) -> None:
        """Nothing gets through any more, and no connection is told so."""
        self.frozen = True

    def mute(self) -> None:
        """Requests still reach the server, but nothing comes back: a response lost on the way."""
        self.muted = True

    def restore(self) -> None:
        """Working again; a connection that lost bytes while frozen or muted is reset."""
        if self.frozen or self.muted:
            self._reset()
        self.up, self.frozen, self.muted = True, False, False

    def _reset(self) -> None:
        for writer in list(self.links):
            writer.transport.abort()
        self.links.clear()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.up:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.links |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer, back=False),
            self._pipe(up_reader, writer, back=True),
            return_exceptions=True,
        )
        self.links -= {writer, up_writer}

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, back: bool
    ) -> None:
        try:
            while data := await reader.read(65536):
                if self.frozen or (back and self.muted):
                    continue
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()


@pytest.fixture
async def cable(live: Live) -> AsyncIterator[Cable]:
    relay = Cable(live.host)
    await relay.start()
    yield relay
    await relay.close()


@pytest.fixture
async def site_chat(live: Live, runtime: Runtime) -> Channel:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            live.world.acme.workspace, "webchat", "Careers website"
        )
        channel.team_id = live.world.acme.teams["support"].id
        await s.commit()
    return channel


@contextlib.asynccontextmanager
async def visitor_of(live: Live, channel: Channel) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.http_url) as visitor:
        r = await visitor.post(f"/api/widget/v1/channels/{channel.id}/sessions", json={})
        assert r.status_code in (200, 201), r.text
        visitor.headers["X-Visitor-Token"] = r.json()["visitor_token"]
        yield visitor


async def say(visitor: httpx.AsyncClient, body: str) -> None:
    r = await visitor.post(
        "/api/widget/v1/messages", json={"body": body, "client_message_id": str(uuid.uuid4())}
    )
    assert r.status_code == 201, r.text


async def agent_through(browser: Browser, url: str, email: str) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(base_url=url)
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("textbox", name="Workspace")).to_be_visible()
    return context, page


async def stored(runtime: Runtime, conversation_id: object, body: str) -> int:
    async with runtime.database.read_session() as db:
        return int(
            await db.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.conversation_id == conversation_id, Message.body == body)
            )
            or 0
        )


async def visitor_conversation(runtime: Runtime, channel: Channel) -> Conversation:
    async with runtime.database.read_session() as db:
        conv = await db.scalar(select(Conversation).where(Conversation.channel_id == channel.id))
    assert conv is not None
    return conv


def row(page: Page, contact: str) -> Locator:
    """The contact's conversation in the list (a notice may link to it too)."""
    return page.get_by_role("link", name=re.compile(rf"^{contact}\b"))


def banner(page: Page) -> Locator:
    return page.get_by_role("status").filter(has_text=RECONNECTING)


async def test_an_agent_offline_catches_up_without_a_reload_and_loses_no_reply(
    live: Live,
    runtime: Runtime,
    site_chat: Channel,
    cable: Cable,
    browser: Browser,
    screenshots: Path,
) -> None:
    acme = live.world.acme
    erin = acme.conversations["erin_support"]  # bob's own
    frank = acme.conversations["frank_unassigned"]
    async with visitor_of(live, site_chat) as visitor:
        await say(visitor, "Hello, is the night shift still open?")
        context, bob = await agent_through(browser, cable.url, "bob@acme.test")
        await bob.get_by_text("Unassigned").first.click()
        await row(bob, "Visitor").click()
        await bob.get_by_role("button", name="Assign to me").click()
        await expect(bob.get_by_text("Assigned to Bob")).to_be_visible()
        await bob.get_by_text(re.compile(r"^Mine \d")).click()
        mine = bob.get_by_role("radio", name=re.compile(r"^Mine"))
        await expect(mine).to_have_accessible_name("Mine 2")
        await expect(row(bob, "Erin")).to_be_visible()
        await expect(row(bob, "Frank")).to_be_hidden()
        await bob.evaluate("window.sameDocument = true")

        # The Wi-Fi goes: the browser is told, and its connections silently stop carrying bytes.
        await context.set_offline(True)
        cable.freeze()
        await expect(banner(bob)).to_be_visible()
        reply = bob.get_by_role("textbox", name=REPLY_BOX)
        await reply.fill("Yes, we are still hiring for nights.")
        await reply.press("Enter")
        waiting = bob.get_by_role("status").filter(
            has_text="Will be sent when the connection is back."
        )
        await expect(waiting).to_contain_text("Yes, we are still hiring for nights.")
        await bob.screenshot(path=str(screenshots / "reconnect-offline.png"))

        # Meanwhile the visitor writes again, and alice gives bob Frank and closes Erin's.
        await say(visitor, "Are you still there?")
        async with live.world.client("alice") as alice:
            api = "/api/v1/conversations"
            r = await alice.post(
                f"{api}/{frank.id}/assign", json={"assignee_id": str(acme.members["bob"].id)}
            )
            assert r.status_code == 200, r.text
            r = await alice.post(f"{api}/{erin.id}/close", json={"outcome": None})
            assert r.status_code == 200, r.text
        log = bob.get_by_role("log")
        # Real seconds, not the clock: nothing may arrive meanwhile, and the app's attempts to
        # reconnect back off to several seconds apart, as they would in a longer outage.
        await asyncio.sleep(5)
        await expect(log.get_by_text("Are you still there?")).to_have_count(0)
        await expect(row(bob, "Erin")).to_be_visible()

        # The Wi-Fi comes back: at once, without a reload, everything that happened is there.
        cable.restore()
        await context.set_offline(False)
        await expect(banner(bob)).to_be_hidden(timeout=3_000)
        await expect(log.get_by_text("Are you still there?")).to_be_visible()
        await expect(log.get_by_text("Yes, we are still hiring for nights.")).to_have_count(1)
        await expect(row(bob, "Frank")).to_be_visible()
        await expect(row(bob, "Erin")).to_be_hidden()
        await expect(mine).to_have_accessible_name("Mine 2")  # Erin closed, Frank given
        await expect(reply).to_have_value("")
        await expect(waiting).to_have_count(0)
        assert await bob.evaluate("window.sameDocument") is True
        await bob.screenshot(path=str(screenshots / "reconnect-back.png"))
        conv = await visitor_conversation(runtime, site_chat)
        assert await stored(runtime, conv.id, "Yes, we are still hiring for nights.") == 1
        r = await visitor.get("/api/widget/v1/messages")
        assert r.status_code == 200, r.text
        assert "Yes, we are still hiring for nights." in r.text
        await context.close()


async def test_a_reply_whose_answer_is_lost_is_kept_and_sent_again_only_once(
    live: Live, runtime: Runtime, site_chat: Channel, cable: Cable, browser: Browser
) -> None:
    erin = live.world.acme.conversations["erin_support"]
    context, bob = await agent_through(browser, cable.url, "bob@acme.test")
    await row(bob, "Erin").click()
    log = bob.get_by_role("log")
    await expect(log.get_by_text("Hello, I saw your job ad")).to_be_visible()
    reply = bob.get_by_role("textbox", name=REPLY_BOX)

    # The request reaches the server, but the answer never comes back and the link then dies:
    # the browser still believes it is online.
    cable.mute()
    text = "Your interview is on Monday at 10."
    await reply.fill(text)
    await reply.press("Enter")
    for _ in range(100):
        if await stored(runtime, erin.id, text):
            break
        await asyncio.sleep(0.05)
    assert await stored(runtime, erin.id, text) == 1
    cable.cut()
    await expect(banner(bob)).to_be_visible()
    await expect(bob.get_by_role("alert")).to_contain_text("Not sent")
    await expect(reply).to_have_value(text)  # kept, not lost

    cable.restore()
    await expect(banner(bob)).to_be_hidden(timeout=10_000)
    await bob.get_by_role("alert").get_by_role("button", name="Send again").click()
    await expect(log.get_by_text(text)).to_have_count(1)
    await expect(reply).to_have_value("")
    await expect(bob.get_by_role("alert")).to_have_count(0)
    # Sent twice under one client message id: the server kept one message.
    assert await stored(runtime, erin.id, text) == 1
    await context.close()
