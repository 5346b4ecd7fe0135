"""Routing in real Chromium: the owner sets capacity, two agents go online, website visitors
are shared out and queued, closing a conversation hands over the head of the queue, an agent
away for lunch stops receiving, a manager assigns from the queue, and "why me?" explains."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, ViewportSize, expect
from sqlalchemy import func, or_, select

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job, JobStatus
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from frontdesk.web.routes import APP_DIR
from tests.e2e.channel_fixtures import clock
from tests.e2e.test_accessibility import audit, settled
from tests.factories import PASSWORD, Factory
from tests.realtime.conftest import Live

__all__ = ["clock"]

W = "/api/widget/v1"
LIVE = 10_000  # milliseconds to wait for something that arrives over the socket


@pytest.fixture
async def site_chat(live: Live, runtime: Runtime) -> Channel:
    """A website chat owned by Support, where Bob and Carol work, neither holding anything."""
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")
    acme = live.world.acme
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            acme.workspace, "webchat", "Careers website"
        )
        channel.team_id = acme.teams["support"].id
        await s.commit()
    async with live.world.client("alice") as alice:
        r = await alice.put(
            f"/api/v1/teams/{acme.teams['support'].id}/members",
            json={"user_ids": [str(acme.members[n].id) for n in ("bob", "carol")]},
        )
        assert r.status_code == 200, r.text
        # Neither agent holds anything: Bob's Erin is closed, and so is Erin's question to
        # Sales, which waits in that team's queue and would take one of Carol's slots (she
        # works in Sales too) the moment she goes online.
        for erin in ("erin_support", "erin_sales"):
            conversation_id = acme.conversations[erin].id
            r = await alice.post(f"/api/v1/conversations/{conversation_id}/close", json={})
            assert r.status_code == 200, r.text
    return channel


@pytest.fixture
async def job_runner(live: Live, runtime: Runtime) -> AsyncIterator[JobRunner]:
    """The server's job runner, as `frontdesk serve` runs it: routing happens in jobs."""
    runner = JobRunner(runtime, build_registry(), worker_id="e2e", poll_seconds=0.05)
    task = asyncio.create_task(runner.run_forever())
    yield runner
    runner.stop()
    await task


async def jobs_done(runtime: Runtime, within: float = 10.0) -> None:
    """Wait until no job is due or running: what was asked of the runner has been done."""

    async def due() -> int:
        async with runtime.database.read_session() as db:
            count = await db.scalar(
                select(func.count())
                .select_from(Job)
                .where(
                    or_(
                        Job.status == JobStatus.RUNNING,
                        (Job.status == JobStatus.PENDING) & (Job.run_at <= runtime.clock.now()),
                    )
                )
            )
            return int(count or 0)

    async def loop() -> None:
        while await due():  # noqa: ASYNC110 - the runner is another task, polling the table is the signal
            await asyncio.sleep(0.05)

    await asyncio.wait_for(loop(), within)


async def visitor_writes(live: Live, channel: Channel, name: str, text: str) -> uuid.UUID:
    async with httpx.AsyncClient(base_url=live.http_url) as visitor:
        r = await visitor.post(f"{W}/channels/{channel.id}/sessions", json={"name": name})
        assert r.status_code == 200, r.text
        visitor.headers["X-Visitor-Token"] = r.json()["visitor_token"]
        r = await visitor.post(
            f"{W}/messages", json={"body": text, "client_message_id": uuid.uuid4().hex}
        )
        assert r.status_code == 201, r.text
        return uuid.UUID(r.json()["conversation_id"])


async def assignees(runtime: Runtime, ids: list[uuid.UUID]) -> list[uuid.UUID | None]:
    async with runtime.database.read_session() as db:
        rows = dict(
            (
                await db.execute(
                    select(Conversation.id, Conversation.assignee_id).where(
                        Conversation.id.in_(ids)
                    )
                )
            ).all()
        )
    return [rows[i] for i in ids]


async def sign_in(
    browser: Browser, live: Live, email: str, viewport: ViewportSize | None = None
) -> Page:
    context = await browser.new_context(base_url=live.http_url, viewport=viewport)
    page = await context.new_page()
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    return page


def status_button(page: Page, state: str) -> Locator:
    return page.get_by_role("button", name=re.compile(f"^Your status: {re.escape(state)}"))


async def go_online(page: Page) -> None:
    await page.get_by_role("button", name=re.compile("^Your status: Offline")).click()
    await page.get_by_role("menuitem", name="Online", exact=True).click()
    await expect(status_button(page, "Online")).to_be_visible()


async def close_from_inbox(page: Page, contact: str) -> None:
    await page.get_by_role("link", name=re.compile(f"^{contact} ")).click()
    await expect(page.get_by_role("heading", name=contact, exact=True)).to_be_visible()
    shown = page.url
    await page.get_by_role("button", name="Close", exact=True).click()
    # Closed: the app moves on to the next conversation of the view.
    await expect(page).not_to_have_url(shown, timeout=LIVE)


async def test_routing_from_capacity_to_queue_to_why_me(
    live: Live,
    site_chat: Channel,
    job_runner: JobRunner,
    runtime: Runtime,
    browser: Browser,
    screenshots: Path,
) -> None:
    acme = live.world.acme
    bob_id, carol_id = acme.members["bob"].id, acme.members["carol"].id

    # The owner sets a default capacity of 2 in the routing settings.
    alice = await sign_in(browser, live, "alice@acme.test")
    await alice.get_by_role("button", name="Alice").click()
    await alice.get_by_role("menuitem", name="Settings").click()
    await alice.get_by_role("tab", name="Routing").click()
    capacity = alice.get_by_role("textbox", name="Default capacity")
    await capacity.fill("2")
    await alice.get_by_role("button", name="Save workspace routing").click()
    await expect(alice.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    async with live.world.client("alice") as api:
        assert (await api.get("/api/v1/routing/settings")).json()["default_capacity"] == 2
    await expect(alice.get_by_role("radio", name="Round robin")).to_be_checked()
    # Support's own words for the "agent assigned" message, over the default shown as a hint.
    await alice.get_by_role("textbox", name="Team", exact=True).click()
    await alice.get_by_role("option", name="Support").click()
    greeting = alice.get_by_role("textbox", name="Agent assigned in English")
    await expect(greeting).to_have_attribute(
        "placeholder",
        re.compile(r"^Hi \{\{contact_name\}\}! You're now chatting with \{\{agent_name\}\}"),
    )
    await greeting.fill("Hi, I'm {{agent_name}} from {{team_name}}.")
    await alice.get_by_role("button", name="Save team routing").click()
    await expect(alice.get_by_role("status").filter(has_text="Saved.")).to_have_count(2)
    await alice.mouse.move(1, 700)  # off the button just pressed (a hovered button is lighter)
    problems = await audit(alice, "routing settings")

    # Both agents go online with the selector in the header; the owner's table follows live.
    bob = await sign_in(browser, live, "bob@acme.test")
    carol = await sign_in(browser, live, "carol@acme.test")
    await go_online(bob)
    await go_online(carol)
    bob_row = alice.get_by_role("row", name=re.compile("^Bob"))
    await expect(bob_row.get_by_text("Online", exact=True)).to_be_visible(timeout=LIVE)
    await expect(bob_row.get_by_text("0/2")).to_be_visible()
    await alice.screenshot(path=str(screenshots / "routing-settings.png"), full_page=True)

    # Six visitors write: two each for Bob and Carol, the last two wait in the queue.
    visitors = []
    for n in range(1, 7):
        visitors.append(await visitor_writes(live, site_chat, f"Visitor {n}", "Hello, any jobs?"))
        await jobs_done(runtime)
    held = await assignees(runtime, visitors)
    assert sorted(str(a) for a in held[:4]) == sorted(
        map(str, [bob_id, bob_id, carol_id, carol_id])
    )
    assert held[4:] == [None, None]

    # Bob finds the queue from his inbox; Alice through the command palette.
    await expect(bob.get_by_role("link", name="Queue: 2 waiting")).to_be_visible(timeout=LIVE)
    await bob.get_by_role("link", name="Queue: 2 waiting").click()
    await expect(bob.get_by_role("heading", name="Queue: Support")).to_be_visible()
    await alice.keyboard.press("Control+k")
    await alice.get_by_role("combobox", name=re.compile("^Search contacts")).fill("queue")
    await alice.keyboard.press("Enter")
    queue = alice.get_by_role("table", name="Waiting conversations of Support")
    rows = queue.get_by_role("row")
    await expect(rows).to_have_count(3)  # the header and two waiting
    await expect(rows.nth(1)).to_contain_text("1Visitor 5Website chat")
    await expect(rows.nth(2)).to_contain_text("2Visitor 6Website chat")
    await expect(alice.get_by_text("Waiting: 2")).to_be_visible()
    await expect(alice.get_by_text("Free slots: 0")).to_be_visible()
    await expect(alice.get_by_text("Agents online: 2")).to_be_visible()
    agents = alice.get_by_role("region", name="Agents")
    await expect(agents.get_by_role("listitem").filter(has_text="Bob")).to_contain_text("2/2 open")
    await alice.screenshot(path=str(screenshots / "routing-queue.png"), full_page=True)
    problems += await audit(alice, "queue")

    # Bob closes one: the head of the queue lands on him, live in Alice's queue and his inbox.
    bobs = [f"Visitor {n}" for n, who in enumerate(held[:4], start=1) if who == bob_id]
    await bob.get_by_role("link", name=re.compile("Back to the inbox")).click()
    await close_from_inbox(bob, bobs[0])
    await jobs_done(runtime)
    assert (await assignees(runtime, visitors[4:])) == [bob_id, None]
    await expect(rows).to_have_count(2, timeout=LIVE)
    await expect(rows.nth(1)).to_contain_text("1Visitor 6")
    await expect(bob.get_by_role("link", name=re.compile("^Visitor 5 "))).to_be_visible(
        timeout=LIVE
    )

    # Carol goes to lunch from the keyboard; closing one of hers brings her nothing.
    await carol.keyboard.press("s")
    problems += await audit(carol, "state menu")
    await carol.get_by_role("menuitem", name="Away — Lunch").press("Enter")
    await expect(status_button(carol, "Away — Lunch")).to_be_visible()
    carol_in_panel = agents.get_by_role("listitem").filter(has_text="Carol")
    await expect(carol_in_panel).to_contain_text("Away — Lunch", timeout=LIVE)
    carols = [f"Visitor {n}" for n, who in enumerate(held[:4], start=1) if who == carol_id]
    await close_from_inbox(carol, carols[0])
    await jobs_done(runtime)
    assert (await assignees(runtime, visitors[5:])) == [None]
    await expect(carol_in_panel).to_contain_text("1/2 open", timeout=LIVE)
    await expect(rows.nth(1)).to_contain_text("Visitor 6")

    # Bob closes another: Visitor 6 goes to him, not to Carol who has room but is away.
    await close_from_inbox(bob, bobs[1])
    await jobs_done(runtime)
    assert (await assignees(runtime, visitors[5:])) == [bob_id]
    await expect(alice.get_by_text("No one is waiting.")).to_be_visible(timeout=LIVE)

    # A seventh visitor waits (Bob is full, Carol away); Alice assigns them from the queue.
    visitors.append(await visitor_writes(live, site_chat, "Visitor 7", "Still hiring?"))
    await jobs_done(runtime)
    assert (await assignees(runtime, visitors[6:])) == [None]
    await expect(rows.nth(1)).to_contain_text("Visitor 7", timeout=LIVE)
    await alice.get_by_role("textbox", name="Assign Visitor 7 to").click()
    await alice.get_by_role("option", name=re.compile("^Carol · Away")).click()
    await expect(alice.get_by_text("No one is waiting.")).to_be_visible(timeout=LIVE)
    assert (await assignees(runtime, visitors[6:])) == [carol_id]

    # "Why me?": Bob reads why Visitor 6 came to him.
    await bob.get_by_role("link", name=re.compile("^Visitor 6 ")).click()
    await expect(bob.get_by_role("heading", name="Visitor 6", level=2)).to_be_visible()
    log = bob.get_by_role("log")
    await expect(log.get_by_text("Hi, I'm Bob from Support.")).to_be_visible()
    # The automatic message is marked as such and never carries an agent's name.
    await expect(log.get_by_text("Automatic message")).to_have_count(2)  # queued, then assigned
    await expect(log.get_by_text("Bob", exact=True)).to_have_count(0)
    await bob.get_by_role("button", name="Why me?").click()
    why = bob.get_by_role("dialog", name="Why was this assigned to you?")
    await expect(why.get_by_text("Assigned by round robin: you were idle longest.")).to_be_visible()
    await expect(why.get_by_text("Carol was skipped: away (Lunch).")).to_be_visible()
    await expect(
        why.get_by_role("listitem").filter(has_text="waiting in the queue")
    ).to_be_visible()
    await bob.screenshot(path=str(screenshots / "routing-why-me.png"))
    problems += await audit(bob, "why me")
    await bob.keyboard.press("Escape")
    await expect(why).to_be_hidden()

    # Visitor 5 came to him while Carol was full.
    await bob.get_by_role("link", name=re.compile("^Visitor 5 ")).click()
    # Its own view first: a click before it renders would open Visitor 6's explanation.
    await expect(bob.get_by_role("heading", name="Visitor 5", level=2)).to_be_visible()
    await bob.get_by_role("button", name="Why me?").click()
    why = bob.get_by_role("dialog", name="Why was this assigned to you?")
    await expect(why.get_by_text("Carol was skipped: at capacity (2/2).")).to_be_visible()
    assert problems == [], "\n".join(problems)


async def test_the_state_selector_fits_a_phone_and_follows_other_tabs(
    live: Live, site_chat: Channel, browser: Browser, screenshots: Path
) -> None:
    phone = await sign_in(browser, live, "bob@acme.test", viewport={"width": 390, "height": 844})
    dot = phone.get_by_role("button", name=re.compile("^Your status: Offline"))
    await expect(dot).to_be_visible()
    account = phone.get_by_role("button", name="Bob")
    for control in (dot, account):
        box = await control.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390

    # The same person in another tab (here: another device) goes online; the phone follows.
    desk = await sign_in(browser, live, "bob@acme.test")
    await go_online(desk)
    await expect(
        phone.get_by_role("button", name=re.compile("^Your status: Online"))
    ).to_be_visible(timeout=LIVE)
    await phone.get_by_role("button", name=re.compile("^Your status: Online")).click()
    busy = phone.get_by_role("menuitem", name="Busy")
    await expect(busy).to_be_visible()
    await settled(phone)
    await phone.screenshot(path=str(screenshots / "routing-phone.png"))
    await busy.click()
    await expect(status_button(desk, "Busy")).to_be_visible(timeout=LIVE)
    await expect(busy).to_be_hidden()
    # On a phone the queue takes the whole screen, and "why me?" opens as a drawer.
    await phone.get_by_role("link", name="Queue").click()
    await expect(phone.get_by_role("heading", name="Queue: Support")).to_be_visible()
    await expect(phone.get_by_text("No one is waiting.")).to_be_visible()
    await phone.get_by_role("link", name=re.compile("Back to the inbox")).click()
    await phone.get_by_text("Unassigned").first.click()
    await phone.get_by_role("link", name=re.compile("^Frank ")).click()
    await phone.get_by_role("button", name="Assign to me").click()
    await phone.get_by_role("button", name="Why me?").click()
    drawer = phone.get_by_role("dialog", name="Why was this assigned to you?")
    await expect(drawer.get_by_text("You took it yourself.")).to_be_visible()
    await settled(phone)
    await phone.screenshot(path=str(screenshots / "routing-why-me-phone.png"))

    # The "?" overlay lists the shortcut.
    await desk.keyboard.press("?")
    shortcuts = desk.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(
        shortcuts.get_by_role("row", name=re.compile("^s Change your status"))
    ).to_be_visible()


async def widget_visitor(browser: Browser, live: Live, text: str) -> Page:
    """A visitor on the website who opens the chat and writes."""
    context = await browser.new_context(locale="en-US")
    page = await context.new_page()
    await page.goto(f"{live.http_url}/demo/site")
    await page.get_by_role("button", name="Open chat").click()
    panel = page.get_by_role("dialog", name="Chat with us")
    composer = panel.get_by_role("textbox", name="Write a message…")
    await composer.fill(text)
    await composer.press("Enter")
    return page


async def test_a_burst_of_ten_fills_two_agents_and_queues_six_then_closed_hours_answer(
    live: Live,
    site_chat: Channel,
    job_runner: JobRunner,
    runtime: Runtime,
    browser: Browser,
    screenshots: Path,
) -> None:
    acme = live.world.acme
    bob_id, carol_id = acme.members["bob"].id, acme.members["carol"].id
    async with runtime.database.write_session() as s:
        channel = await s.get_one(Channel, site_chat.id)
        channel.settings = {**channel.settings, "demo_site": True}
        await s.commit()
    async with live.world.client("alice") as api:
        r = await api.put("/api/v1/routing/settings", json={"default_capacity": 2})
        assert r.status_code == 200, r.text
    bob = await sign_in(browser, live, "bob@acme.test")
    carol = await sign_in(browser, live, "carol@acme.test")
    await go_online(bob)
    await go_online(carol)

    # Nine visitors write through the widget's API, the tenth on the website itself.
    visitors = [
        await visitor_writes(live, site_chat, f"Visitor {n}", "Hello, any jobs?")
        for n in range(1, 10)
    ]
    site = await widget_visitor(browser, live, "Hello from your website!")
    panel = site.get_by_role("dialog", name="Chat with us")
    await expect(panel.get_by_text("You're number 6 in the queue")).to_be_visible(timeout=LIVE)
    await expect(
        panel.get_by_text(re.compile(r"expected wait is about \d+ minutes"))
    ).to_be_visible()
    await site.screenshot(path=str(screenshots / "routing-widget-queued.png"))
    await jobs_done(runtime)
    async with runtime.database.read_session() as db:
        tenth = await db.scalar(
            select(Conversation.id).where(
                Conversation.channel_id == site_chat.id, Conversation.id.not_in(visitors)
            )
        )
    assert tenth is not None
    visitors.append(tenth)
    held = await assignees(runtime, visitors)
    assert sorted(map(str, held[:4])) == sorted(map(str, [bob_id, bob_id, carol_id, carol_id]))
    assert held[4:] == [None] * 6

    # Everyone waiting was told their own place in the queue.
    async with live.world.client("alice") as api:
        for position, conversation_id in enumerate(visitors[4:], start=1):
            r = await api.get(f"/api/v1/conversations/{conversation_id}/messages")
            assert r.status_code == 200, r.text
            told = [m["body"] for m in r.json()["items"] if m["sender_type"] == "system"]
            assert len(told) == 1, told
            assert f"number {position} in the queue" in told[0], told
    await expect(bob.get_by_role("link", name="Queue: 6 waiting")).to_be_visible(timeout=LIVE)
    await bob.get_by_role("link", name="Queue: 6 waiting").click()
    rows = bob.get_by_role("table", name="Waiting conversations of Support").get_by_role("row")
    await expect(rows).to_have_count(7)
    await bob.screenshot(path=str(screenshots / "routing-burst-queue.png"), full_page=True)

    # Outside business hours (today is a holiday) a new visitor gets the away message at once.
    today = runtime.clock.now().date().isoformat()
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    async with live.world.client("alice") as api:
        r = await api.put(
            "/api/v1/business-hours",
            json={
                "timezone": "UTC",
                "periods": [{"weekday": d, "start": "00:00", "end": "24:00"} for d in days],
                "holidays": [{"date": today, "name": "Founders' day"}],
            },
        )
        assert r.status_code == 200, r.text
    late = await widget_visitor(browser, live, "Anyone there?")
    late_panel = late.get_by_role("dialog", name="Chat with us")
    await expect(
        late_panel.get_by_text(re.compile(r"We're closed right now and will reply when we open"))
    ).to_be_visible(timeout=LIVE)
    await late.screenshot(path=str(screenshots / "routing-widget-closed.png"))
