"""Two-factor sign-in in Chromium: an owner turns it on from the profile (the key shown beside
the QR code), signs out, signs in with a code from the app, and finds the change in the
audit log. Codes are computed with pyotp at the server's (frozen) time.
"""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from playwright.async_api import Browser, expect

from frontdesk.core.clock import FrozenClock
from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def test_an_owner_turns_on_two_factor_and_signs_in_with_a_code(
    live: Live, browser: Browser, clock: FrozenClock, app_built: None, screenshots: Path
) -> None:
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(live.http_url)
        await page.get_by_label("Email").fill("alice@acme.test")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("button", name="Alice").click()
        await page.get_by_role("menuitem", name="Profile").click()

        await page.get_by_role("button", name="Set up two-factor sign-in").click()
        await expect(
            page.get_by_role("img", name="QR code for your authenticator app")
        ).to_be_visible()
        secret = (await page.get_by_label("Key").inner_text()).strip()
        totp = pyotp.TOTP(secret)
        await page.get_by_label("Code from the app").fill(totp.at(clock.now()))
        await page.get_by_role("button", name="Turn on", exact=True).click()
        codes = page.get_by_role("region", name="Your recovery codes")
        await expect(codes.get_by_role("listitem")).to_have_count(10)
        await page.screenshot(path=str(screenshots / "two-factor-recovery-codes.png"))
        await codes.get_by_role("button", name="I have saved them").click()
        await expect(page.get_by_text("10 recovery codes left")).to_be_visible()

        await page.get_by_role("button", name="Alice").click()
        await page.get_by_role("menuitem", name="Sign out").click()
        await page.get_by_label("Email").fill("alice@acme.test")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        code_box = page.get_by_label("Authentication code")
        await expect(code_box).to_be_visible()
        await code_box.fill("000000")
        await page.get_by_role("button", name="Verify").click()
        await expect(page.get_by_role("alert")).to_contain_text("That code is not right")
        await page.screenshot(path=str(screenshots / "two-factor-sign-in.png"))
        clock.advance(seconds=30)  # the next code: each one works once
        await code_box.fill(totp.at(clock.now()))
        await page.get_by_role("button", name="Verify").click()
        await expect(page.get_by_role("button", name="Alice")).to_be_visible()

        await page.goto(f"{live.http_url}/settings?tab=audit-log")
        log = page.get_by_role("tabpanel", name="Audit log")
        await expect(log.get_by_role("cell", name="Turned on two-factor sign-in")).to_be_visible()
        await log.get_by_label("Action").click()
        await page.get_by_role("option", name="Two-factor sign-in").click()
        await expect(log.get_by_role("row")).to_have_count(2)  # the header and the one entry
        await page.screenshot(path=str(screenshots / "audit-log.png"))

        # On a phone's width the log and its filters fit: the table scrolls inside itself.
        await page.set_viewport_size({"width": 390, "height": 844})
        await expect(log.get_by_role("cell", name="Turned on two-factor sign-in")).to_be_attached()
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the audit log is {width} px wide on a phone"
        await page.screenshot(path=str(screenshots / "audit-log-phone.png"))
        await page.goto(f"{live.http_url}/profile")
        await expect(page.get_by_text("10 recovery codes left")).to_be_visible()
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the profile is {width} px wide on a phone"
    finally:
        await context.close()


async def test_a_member_is_sent_to_set_up_two_factor_when_the_workspace_requires_it(
    live: Live, browser: Browser, clock: FrozenClock, app_built: None, screenshots: Path
) -> None:
    # The owner has two-factor and requires it (through the API, as the first journey shows).
    async with live.world.client("alice") as alice:
        secret = (await alice.post("/api/v1/me/two-factor/setup")).json()["secret"]
        code = pyotp.TOTP(secret).at(clock.now())
        assert (
            await alice.post("/api/v1/me/two-factor/enable", json={"code": code})
        ).status_code == 200
        required = await alice.put("/api/v1/workspaces/current/two-factor", json={"required": True})
        assert required.status_code == 200
    context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = await context.new_page()
        await page.goto(live.http_url)
        await page.get_by_label("Email").fill("bob@acme.test")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await expect(
            page.get_by_role("heading", name="Two-factor sign-in is required")
        ).to_be_visible()
        await expect(page.get_by_role("button", name="Bob")).to_have_count(0)
        await page.screenshot(path=str(screenshots / "two-factor-required-phone.png"))
        await page.get_by_role("button", name="Set up two-factor sign-in").click()
        secret = (await page.get_by_label("Key").inner_text()).strip()
        await page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).at(clock.now()))
        await page.get_by_role("button", name="Turn on", exact=True).click()
        await page.get_by_role("button", name="I have saved them").click()
        # Set up: the app opens.
        await expect(page.get_by_role("button", name="Bob")).to_be_visible()
    finally:
        await context.close()
