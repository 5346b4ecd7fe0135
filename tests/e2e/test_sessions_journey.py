"""Where you are signed in, in Chromium: a laptop signs the forgotten phone out from the profile.

The phone (a phone-sized window) is signed out at once: its next load asks for the password.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
LINUX_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def sign_in(page: Page, live: Live) -> None:
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("alice@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Alice")).to_be_visible()


async def test_signing_out_a_forgotten_phone_from_the_profile(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    laptop = await browser.new_context(user_agent=LINUX_FIREFOX)
    phone = await browser.new_context(
        user_agent=IPHONE, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    try:
        on_phone, on_laptop = await phone.new_page(), await laptop.new_page()
        await sign_in(on_phone, live)
        await sign_in(on_laptop, live)
        # On a phone's width too: the phone sees the laptop and may sign it out.
        await on_phone.get_by_role("button", name="Alice").click()
        await on_phone.get_by_role("menuitem", name="Profile").click()
        on_phone_list = on_phone.get_by_role("region", name="Where you are signed in")
        laptop_seen = on_phone_list.get_by_role("group", name="Firefox on Linux", exact=True)
        await expect(
            laptop_seen.get_by_role("button", name="Sign out Firefox on Linux")
        ).to_be_visible()
        await on_phone_list.scroll_into_view_if_needed()
        await on_phone.screenshot(path=str(screenshots / "profile-sessions-phone.png"))

        await on_laptop.get_by_role("button", name="Alice").click()
        await on_laptop.get_by_role("menuitem", name="Profile").click()
        sessions = on_laptop.get_by_role("region", name="Where you are signed in")
        this_one = sessions.get_by_role("group", name="Firefox on Linux", exact=True)
        await expect(this_one).to_contain_text("This device")
        await expect(this_one.get_by_role("button")).to_have_count(0)
        phone_row = sessions.get_by_role("group", name="Safari on iOS", exact=True)
        await expect(phone_row).to_contain_text("127.0.0.1")
        await sessions.screenshot(path=str(screenshots / "profile-sessions.png"))

        await phone_row.get_by_role("button", name="Sign out Safari on iOS").click()
        await expect(phone_row).to_have_count(0)
        await expect(this_one).to_be_visible()

        await on_phone.reload()
        await expect(on_phone.get_by_role("button", name="Sign in")).to_be_visible()
        await on_phone.screenshot(path=str(screenshots / "profile-sessions-phone-signed-out.png"))
        # The laptop is still signed in.
        await on_laptop.reload()
        await expect(
            sessions.get_by_role("group", name="Firefox on Linux", exact=True)
        ).to_be_visible()
    finally:
        await laptop.close()
        await phone.close()
