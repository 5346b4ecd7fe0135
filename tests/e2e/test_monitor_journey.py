"""Monitor, whisper, take over in Chromium: Bob raises a hand on Erin's conversation; Dave, a
manager, opens it from the wallboard in monitor mode and Bob's page never shows him viewing;
Dave whispers (Bob reads it, Carol, another agent of the team on the same conversation, does
not), then takes the conversation over with a note to Bob."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

WHISPER = "Offer her the Friday interview slot"
NOTE = "Called the client back"


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def signed_in(browser: Browser, live: Live, email: str) -> tuple[BrowserContext, Page]:
    ctx = await browser.new_context(base_url=live.http_url, timezone_id="UTC")
    page = await ctx.new_page()
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    return ctx, page


async def test_a_manager_monitors_whispers_and_takes_over(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    acme = live.world.acme
    erin = acme.conversations["erin_support"].id
    members = [str(acme.members[n].id) for n in ("bob", "carol")]
    async with live.world.client("alice") as alice:
        r = await alice.put(
            f"/api/v1/teams/{acme.teams['support'].id}/members", json={"user_ids": members}
        )
        assert r.status_code == 200, r.text

    crashes: list[str] = []
    bob_ctx, bob = await signed_in(browser, live, "bob@acme.test")
    carol_ctx, carol = await signed_in(browser, live, "carol@acme.test")
    dave_ctx, dave = await signed_in(browser, live, "dave@acme.test")
    for page in (bob, carol, dave):
        page.on("pageerror", lambda error: crashes.append(str(error)))

    # Bob raises a hand.
    await bob.goto(f"{live.http_url}/conversations/{erin}")
    await bob.get_by_role("button", name="Ask for help").click()
    ask = bob.get_by_role("dialog", name="Ask a supervisor for help")
    await ask.get_by_label("What do you need? (optional)").fill("She wants a manager")
    await ask.get_by_role("button", name="Raise hand").click()
    await expect(bob.get_by_text("Hand raised")).to_be_visible()
    await carol.goto(f"{live.http_url}/conversations/{erin}")
    await expect(bob.get_by_text("Carol viewing")).to_be_visible()  # viewing works, as a control

    # Dave monitors it from the wallboard: Bob's page never names him.
    await dave.goto(f"{live.http_url}/wallboard")
    hands = dave.get_by_role("region", name="Raised hands")
    await expect(hands).to_contain_text("She wants a manager")
    await hands.get_by_role("link", name="Monitor", exact=True).click()
    await expect(dave.get_by_role("status").filter(has_text="Monitoring")).to_be_visible()
    await expect(dave.get_by_role("heading", name="Erin")).to_be_visible()

    # He whispers, then writes a plain note: Carol gets the note and never the whisper.
    await dave.get_by_text("Whisper", exact=True).click()
    whisper_box = dave.get_by_label("Whisper to the agent: only they and the supervisors read it…")
    await whisper_box.fill(WHISPER)
    await dave.get_by_role("button", name="Send").click()
    await expect(dave.get_by_role("log").get_by_text(WHISPER)).to_be_visible()
    await dave.get_by_text("Internal note", exact=True).click()
    await dave.get_by_label("Write a note only your team sees…").fill(NOTE)
    await dave.get_by_role("button", name="Send").click()

    await expect(bob.get_by_role("log").get_by_text(WHISPER)).to_be_visible()
    await expect(bob.get_by_role("log").get_by_text(NOTE)).to_be_visible()
    await expect(carol.get_by_role("log").get_by_text(NOTE)).to_be_visible()
    await expect(carol.get_by_role("log").get_by_text(WHISPER)).to_have_count(0)
    await carol.reload()
    await expect(carol.get_by_role("log").get_by_text(NOTE)).to_be_visible()
    await expect(carol.get_by_role("log").get_by_text(WHISPER)).to_have_count(0)
    await expect(bob.get_by_text("Dave viewing")).to_have_count(0)
    await expect(bob.get_by_text("Dave, Carol viewing")).to_have_count(0)
    await expect(bob.get_by_text("Carol, Dave viewing")).to_have_count(0)
    await bob.screenshot(path=screenshots / "monitor-agent.png")
    await dave.screenshot(path=screenshots / "monitor-whisper.png")

    # Dave takes over with a note to Bob; the hand is answered.
    await dave.get_by_role("button", name="Take over").click()
    dialog = dave.get_by_role("dialog", name="Take over this conversation")
    await dialog.get_by_label("Note to Bob (internal, optional)").fill("I have this one")
    await dialog.get_by_role("button", name="Take over").click()
    # The take-over writes several things in one transaction: a slow shared machine needs more.
    await expect(dialog).to_be_hidden(timeout=15_000)
    await expect(dave.get_by_text("Assigned to Dave")).to_be_visible()
    await expect(bob.get_by_text("Assigned to Dave")).to_be_visible()
    await expect(bob.get_by_role("log").get_by_text("I have this one")).to_be_visible()
    await expect(bob.get_by_text("Hand raised")).to_have_count(0)
    assert crashes == []
    for ctx in (bob_ctx, carol_ctx, dave_ctx):
        await ctx.close()
