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
from sqlalchemy import select

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.web.routes import APP_DIR, WIDGET_FILE
from tests.factories import PASSWORD, Factory
from tests.realtime.conftest import Live

PICTURE_PATH = re.compile(r"^/api/v1/attachments/[0-9a-f-]{36}/thumbnail$")


# True once the picture has loaded with real pixels (waits for the load, fails on an error).
LOADED = """img => img.complete ? img.naturalWidth > 0 : new Promise((done) => {
    img.addEventListener("load", () => done(img.naturalWidth > 0), { once: true });
    img.addEventListener("error", () => done(false), { once: true });
})"""


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
        assert await in_header.evaluate(LOADED)  # loaded, not only placed
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing spills past a phone's width
        await page.screenshot(path=str(screenshots / "profile-picture-phone.png"))

        await page.get_by_role("button", name="Remove picture").click()
        await expect(page.get_by_role("button", name="Upload a picture")).to_be_visible()
        await expect(header_button.locator("img")).to_have_count(0)
    finally:
        await context.close()


async def test_a_website_visitor_sees_the_agent_s_uploaded_picture(
    live: Live, runtime: Runtime, browser: Browser, screenshots: Path
) -> None:
    if not WIDGET_FILE.exists():
        pytest.fail("the widget is not built: run `make widget` (make test builds it first)")
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            live.world.acme.workspace, "webchat", "Careers website", demo_site=True
        )
        channel.team_id = live.world.acme.teams["support"].id
        await s.commit()
    async with live.world.client("bob") as bob:
        up = await bob.post("/api/v1/attachments", files={"file": ("me.jpg", _photo())})
        picture = f"/api/v1/attachments/{up.json()['id']}/thumbnail"
        assert (await bob.patch("/api/v1/me", json={"avatar_url": picture})).status_code == 200
    context = await browser.new_context(locale="en-US")
    try:
        page = await context.new_page()
        await page.goto(f"{live.http_url}/demo/site")
        await page.get_by_role("button", name="Open chat").click()
        panel = page.get_by_role("dialog", name="Chat with us")
        composer = panel.get_by_role("textbox", name="Write a message…")
        await composer.fill("Hello!")
        await composer.press("Enter")
        mine = panel.get_by_role("log").locator(".msg.mine")
        await expect(mine.get_by_role("img", name="Sent")).to_have_text("✓")  # stored
        async with runtime.database.read_session() as s:
            conversation_id = await s.scalar(
                select(Conversation.id).where(Conversation.channel_id == channel.id)
            )
        async with live.world.client("bob") as bob:
            r = await bob.post(
                f"/api/v1/conversations/{conversation_id}/messages",
                json={"body": "Hi, Bob here", "client_message_id": "pic-1"},
            )
            assert r.status_code == 201, r.text
        # The reply arrives live; the header shows Bob's picture, from the widget's own route.
        header_picture = panel.locator(".avatar img")
        await expect(header_picture).to_have_attribute(
            "src", re.compile(rf"^{re.escape(live.http_url)}/api/widget/v1/channels/{channel.id}/")
        )
        await expect(header_picture).to_have_js_property("complete", True)
        assert await header_picture.evaluate(LOADED)
        await page.screenshot(path=str(screenshots / "widget-agent-picture.png"))
    finally:
        await context.close()
