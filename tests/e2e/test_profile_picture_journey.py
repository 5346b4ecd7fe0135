"""A member's picture in Chromium: Bob uploads one from his profile (no URL to type), sees it
in the profile and in the header at once, a file that is not a picture is refused in his
language, and "Remove picture" brings his initial back; the screen fits a phone.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import Browser, expect

from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

PICTURE_PATH = re.compile(r"^/api/v1/attachments/[0-9a-f-]{36}/thumbnail$")


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (15, 118, 110)).save(out, format="JPEG")
    return out.getvalue()


async def test_a_member_uploads_a_picture_sees_it_in_the_header_and_removes_it(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = await context.new_page()
        await page.goto(live.http_url)
        await page.get_by_label("Email").fill("bob@acme.test")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        header_button = page.get_by_role("button", name="Bob")
        await header_button.click()
        await page.get_by_role("menuitem", name="Profile").click()

        async with page.expect_file_chooser() as chosen:
            await page.get_by_role("button", name="Upload a picture").click()
        await (await chosen.value).set_files(
            files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}]
        )
        await expect(page.get_by_role("alert")).to_contain_text("This file is not a picture")

        async with page.expect_file_chooser() as chosen:
            await page.get_by_role("button", name="Upload a picture").click()
        await (await chosen.value).set_files(
            files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
        )
        await expect(page.get_by_role("button", name="Remove picture")).to_be_visible()
        await expect(page.get_by_role("alert")).to_have_count(0)
        shown = page.get_by_role("img", name="Bob's picture")
        await expect(shown).to_have_attribute("src", PICTURE_PATH)
        in_header = header_button.locator("img")
        await expect(in_header).to_have_attribute("src", PICTURE_PATH)
        assert await in_header.evaluate("img => img.complete && img.naturalWidth > 0")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing spills past a phone's width
        await page.screenshot(path=str(screenshots / "profile-picture-phone.png"))

        await page.get_by_role("button", name="Remove picture").click()
        await expect(page.get_by_role("button", name="Upload a picture")).to_be_visible()
        await expect(header_button.locator("img")).to_have_count(0)
    finally:
        await context.close()
