"""Notifications and triage in real Chromium: the bell keeps what happened while signed out,
toasts leave by themselves and never over the composer, replying in someone else's
conversation asks first, and closing moves on to the next conversation of the view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

REPLY_BOX = "Write a reply… (Enter sends, Shift+Enter for a new line)"
PHONE = ViewportSize(width=390, height=800)


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def signed_in(
    browser: Browser, live: Live, email: str, viewport: ViewportSize | None = None
) -> Page:
    context = await browser.new_context(base_url=live.http_url, viewport=viewport)
    page = await context.new_page()
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name=re.compile("^Notifications"))).to_be_visible()
    return page


async def mention(live: Live, author: str, conversation: str, *names: str, body: str) -> None:
    ids = [str(live.world.persona(n).id) for n in names]
    cid = live.world.acme.conversations[conversation].id
    async with live.world.client(author) as client:
        r = await client.post(
            f"/api/v1/conversations/{cid}/notes", json={"body": body, "mention_user_ids": ids}
        )
    assert r.status_code == 201, r.text


def overlap(a: dict[str, float] | None, b: dict[str, float] | None) -> bool:
    assert a is not None
    assert b is not None
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


async def test_a_mention_made_while_signed_out_waits_in_the_bell(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    # Carol is not signed in when Bob mentions her (a team-less conversation: she sees it).
    await mention(live, "bob", "frank_unassigned", "carol", body="@Carol can you call Frank?")
    carol = await signed_in(browser, live, "carol@acme.test")
    bell = carol.get_by_role("button", name="Notifications: 1 unread")
    await expect(bell).to_be_visible()
    await bell.click()
    listed = carol.get_by_role("dialog", name="Notifications")
    await expect(listed.get_by_text("Bob mentioned you", exact=True)).to_be_visible()
    await expect(listed.get_by_text("@Carol can you call Frank?")).to_be_visible()
    await carol.screenshot(path=str(screenshots / "notifications-bell.png"))
    await listed.get_by_text("Bob mentioned you", exact=True).click()
    frank = live.world.acme.conversations["frank_unassigned"].id
    await expect(carol).to_have_url(f"{live.http_url}/conversations/{frank}")
    await expect(carol.get_by_role("button", name="Notifications", exact=True)).to_be_visible()

    # Live: Dave assigns her another one; the bell counts it, "mark all as read" clears it.
    async with live.world.client("dave") as dave:
        r = await dave.post(
            f"/api/v1/conversations/{live.world.acme.conversations['erin_sales'].id}/assign",
            json={"assignee_id": str(live.world.persona("carol").id)},
        )
        assert r.status_code == 200, r.text
    await carol.get_by_role("button", name="Notifications: 1 unread").click()
    listed = carol.get_by_role("dialog", name="Notifications")
    await expect(listed.get_by_text("Dave assigned you a conversation")).to_be_visible()
    await listed.get_by_role("button", name="Mark all as read").click()
    await expect(carol.get_by_role("button", name="Notifications", exact=True)).to_be_visible()
    await carol.context.close()


async def test_toasts_leave_by_themselves_and_never_cover_the_composer(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    frank = live.world.acme.conversations["frank_unassigned"].id  # email: no reply window
    for viewport in (None, PHONE):
        alice = await signed_in(browser, live, "alice@acme.test", viewport)
        await alice.goto(f"{live.http_url}/conversations/{frank}")
        composer = alice.get_by_role("textbox", name=REPLY_BOX)
        await expect(composer).to_be_visible()
        await mention(live, "bob", "frank_unassigned", "alice", body="@Alice a look, please")
        toast = alice.get_by_text("Bob mentioned you in a note")
        await expect(toast).to_be_visible()
        assert not overlap(await toast.bounding_box(), await composer.bounding_box())
        assert not overlap(
            await toast.bounding_box(),
            await alice.get_by_role("button", name="Send", exact=True).bounding_box(),
        )
        name = "toast-phone.png" if viewport else "toast.png"
        await alice.screenshot(path=str(screenshots / name))
        await expect(toast).to_be_hidden(timeout=12_000)
        await alice.context.close()


async def test_replying_in_someone_elses_conversation_asks_first(
    live: Live, browser: Browser, app_built: None
) -> None:
    frank = live.world.acme.conversations["frank_unassigned"].id  # email: no reply window
    async with live.world.client("bob") as bob:
        r = await bob.post(
            f"/api/v1/conversations/{frank}/assign",
            json={"assignee_id": str(live.world.persona("bob").id)},
        )
        assert r.status_code == 200, r.text
    alice = await signed_in(browser, live, "alice@acme.test")
    await alice.goto(f"{live.http_url}/conversations/{frank}")
    composer = alice.get_by_role("textbox", name=REPLY_BOX)
    await composer.fill("Hi Frank, Alice here")
    await composer.press("Enter")
    ask = alice.get_by_role("dialog", name="Reply anyway?")
    await expect(
        ask.get_by_text("This conversation is assigned to Bob. Reply anyway?")
    ).to_be_visible()
    await ask.get_by_role("button", name="Cancel").click()
    await expect(ask).to_be_hidden()
    await expect(composer).to_have_value("Hi Frank, Alice here")
    log = alice.get_by_role("log")
    await expect(log.get_by_text("Hi Frank, Alice here")).to_have_count(0)
    await composer.press("Enter")
    await ask.get_by_role("button", name="Reply anyway").click()
    await expect(log.get_by_text("Hi Frank, Alice here")).to_be_visible()
    # Asked once for Bob's conversation; notes never ask.
    await composer.fill("And a follow-up")
    await composer.press("Enter")
    await expect(log.get_by_text("And a follow-up")).to_be_visible()
    await expect(ask).to_be_hidden()
    await alice.context.close()


async def test_closing_moves_on_to_the_next_conversation_of_the_view(
    live: Live, browser: Browser, app_built: None
) -> None:
    alice = await signed_in(browser, live, "alice@acme.test")
    async with live.world.client("alice") as client:
        listed = (await client.get("/api/v1/conversations", params={"view": "all"})).json()
    ids = [c["id"] for c in listed["items"]]
    assert len(ids) == 3
    rows = alice.get_by_role("link", name=re.compile("^(Erin|Frank) "))
    await alice.goto(f"{live.http_url}/conversations/{ids[1]}")
    for closing, then, left in ((ids[1], ids[2], 3), (ids[2], ids[0], 2), (ids[0], None, 1)):
        await expect(rows).to_have_count(left)
        await expect(alice).to_have_url(f"{live.http_url}/conversations/{closing}")
        await alice.get_by_role("button", name="Close", exact=True).click()
        # The one below, else the one above, else the empty state.
        if then:
            await expect(alice).to_have_url(f"{live.http_url}/conversations/{then}")
        else:
            await expect(alice).to_have_url(f"{live.http_url}/")
            await expect(alice.get_by_text("Pick a conversation on the left.")).to_be_visible()
    await expect(rows).to_have_count(0)
    await alice.context.close()
