"""The agent app in Chromium: sign in, work the inbox live, on a desktop and on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def sign_in(page: Page, live: Live, email: str) -> None:
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


async def test_two_agents_work_the_inbox_live(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    frank = live.world.acme.conversations["frank_unassigned"]
    alice_ctx = await browser.new_context(base_url=live.http_url)
    bob_ctx = await browser.new_context(base_url=live.http_url)
    alice, bob = await alice_ctx.new_page(), await bob_ctx.new_page()
    await sign_in(alice, live, "alice@acme.test")
    await sign_in(bob, live, "bob@acme.test")
    await expect(alice.get_by_role("link", name="Frank")).to_be_visible()
    await bob.get_by_text("Unassigned").first.click()
    await expect(bob.get_by_role("link", name="Frank")).to_be_visible()
    await alice.screenshot(path=str(screenshots / "app-inbox.png"))

    await alice.get_by_role("link", name="Frank").click()
    await expect(alice.get_by_role("log").get_by_text("My invoice is wrong")).to_be_visible()
    await alice.get_by_role("button", name="Assign to me").click()
    await expect(alice.get_by_text("Assigned to Alice")).to_be_visible()
    # It leaves bob's "unassigned" view without a reload.
    await expect(bob.get_by_role("link", name="Frank")).to_be_hidden()

    composer = alice.get_by_role(
        "textbox", name="Write a reply… (Enter sends, Shift+Enter for a new line)"
    )
    await composer.fill("Sorry about that, Frank. I am fixing the invoice now.")
    await composer.press("Enter")
    await expect(
        alice.get_by_role("log").get_by_text("I am fixing the invoice now.")
    ).to_be_visible()
    await alice.screenshot(path=str(screenshots / "app-conversation.png"))

    await bob.goto(f"{live.http_url}/conversations/{frank.id}")
    await expect(bob.get_by_role("log").get_by_text("I am fixing the invoice now.")).to_be_visible()
    await alice.locator("label", has_text="Internal note").click()
    note = alice.get_by_role("textbox", name="Write a note only your team sees…")
    await note.fill("Refund approved, @Bo")
    await alice.get_by_role("option", name="@Bob").click()
    await note.press("End")
    await note.type("please tell him")
    await note.press("Enter")
    await expect(
        bob.get_by_role("log").get_by_text("Refund approved, @Bob please tell him")
    ).to_be_visible()
    # Bob was mentioned: the app tells him.
    await expect(bob.get_by_text("Alice mentioned you in a note")).to_be_visible()
    await alice_ctx.close()
    await bob_ctx.close()


async def test_the_app_on_a_phone_in_portuguese_and_vietnamese(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    ctx = await browser.new_context(base_url=live.http_url, viewport={"width": 390, "height": 844})
    page = await ctx.new_page()
    await sign_in(page, live, "bob@acme.test")
    for language, label, unassigned in (
        ("Português (Brasil)", "Idioma", "Sem responsável"),
        ("Tiếng Việt", "Ngôn ngữ", "Chưa giao"),
    ):
        picker = page.get_by_role("textbox", name=("Language", "Idioma")[language == "Tiếng Việt"])
        option = page.get_by_role("option", name=language)
        # The header may re-render as the live connection settles, closing a list just opened.
        for _ in range(3):
            await picker.click()
            try:
                await option.wait_for(timeout=5_000)
                break
            except PlaywrightTimeout:
                await page.keyboard.press("Escape")
        await option.click()
        await expect(page.get_by_role("textbox", name=label)).to_be_visible()
        await page.get_by_text(unassigned).first.click()
        await page.get_by_role("link", name="Frank").click()
        await expect(page.get_by_role("log").get_by_text("My invoice is wrong")).to_be_visible()
        # On a phone the conversation takes the whole screen, with a way back.
        await expect(page.get_by_role("log")).to_be_visible()
        await page.screenshot(path=str(screenshots / f"app-phone-{label}.png"))
        await page.get_by_role("link").first.click()
    await ctx.close()


async def test_the_keyboard_alone_works_a_conversation(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    async with live.world.client("alice") as alice:
        r = await alice.post(
            "/api/v1/canned-responses",
            json={"shortcut": "thanks", "title": "Thanks", "body": "Thank you, {{contact.name}}!"},
        )
        assert r.status_code == 201, r.text
    ctx = await browser.new_context(base_url=live.http_url)
    page = await ctx.new_page()
    await sign_in(page, live, "alice@acme.test")
    await expect(page.get_by_role("link", name="Frank")).to_be_visible()
    await page.keyboard.press("?")
    await expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-shortcuts.png"))
    await page.keyboard.press("Escape")
    await page.keyboard.press("j")
    await expect(page).to_have_url(re.compile(r"/conversations/[0-9a-f-]+$"))
    await expect(page.get_by_role("log")).to_be_visible()
    await page.keyboard.press("r")
    await expect(page.get_by_role("textbox", name=re.compile("^Write a reply"))).to_be_focused()
    await page.keyboard.type("/thanks")
    await expect(page.get_by_role("option", name="/thanks · Thanks")).to_be_visible()
    await page.keyboard.press("Enter")  # takes the canned response, filled in
    composer = page.get_by_role(
        "textbox", name="Write a reply… (Enter sends, Shift+Enter for a new line)"
    )
    await expect(composer).to_have_value(re.compile(r"^Thank you, \w+!$"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("log").get_by_text("Thank you, ")).to_be_visible()
    await page.keyboard.press("Escape")
    await page.keyboard.press("a")
    await expect(page.get_by_text("Assigned to Alice")).to_be_visible()
    await ctx.close()


async def test_an_owner_invites_someone_who_joins_from_the_link(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    ctx = await browser.new_context(base_url=live.http_url)
    page = await ctx.new_page()
    await sign_in(page, live, "alice@acme.test")
    await page.get_by_role("button", name="Alice").click()
    await page.get_by_role("menuitem", name="Settings").click()
    await expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    await page.get_by_label("Invite by email").fill("nora@acme.test")
    await page.get_by_role("button", name="Send invitation").click()
    await expect(page.get_by_text("Waiting to join: nora@acme.test")).to_be_visible()
    await page.get_by_role("tab", name="Channels").click()
    await page.get_by_role("button", name="Connect a channel").click()
    await page.get_by_role("button", name="Website chat", exact=True).click()
    await page.get_by_label("New website chat").fill("Careers site")
    await page.get_by_role("button", name="Add").click()
    await expect(page.get_by_text('data-channel="').first).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-settings.png"))
    await ctx.close()

    mailer = live.app.state.runtime.mailer
    link = re.search(r"/invite/[\w-]+", mailer.sent[-1].get_content())
    assert link is not None
    newcomer = await browser.new_context(base_url=live.http_url)
    page = await newcomer.new_page()
    await page.goto(f"{live.http_url}{link.group(0)}")
    await expect(page.get_by_text("You are invited to Acme Clients as agent.")).to_be_visible()
    await page.get_by_label("Your name").fill("Nora")
    await page.get_by_label("Choose a password").fill("a long enough password")
    await page.get_by_role("button", name="Join").click()
    # Signed in, in the workspace, with an agent's inbox.
    await expect(page.get_by_role("textbox", name="Workspace")).to_have_value("Acme Clients")
    await page.get_by_text("Unassigned").first.click()
    await expect(page.get_by_role("link", name="Frank")).to_be_visible()
    await newcomer.close()


async def test_a_member_changes_their_profile_and_language(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    ctx = await browser.new_context(base_url=live.http_url)
    page = await ctx.new_page()
    await sign_in(page, live, "carol@acme.test")
    await page.get_by_role("button", name="Carol").click()
    await page.get_by_role("menuitem", name="Profile").click()
    await page.get_by_role("textbox", name="Name").fill("Carol Nguyen")
    await page.get_by_role("main").get_by_role("textbox", name="Language").click()
    await page.get_by_role("option", name="Tiếng Việt").click()
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Đã lưu.")).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-profile-vi.png"))
    await page.reload()
    await expect(page.get_by_role("button", name="Carol Nguyen")).to_be_visible()
    await expect(page.get_by_role("textbox", name="Ngôn ngữ").first).to_be_visible()
    await ctx.close()
