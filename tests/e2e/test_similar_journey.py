"""Similar conversations in Chromium: a manager turns the feature on in Settings and watches the
job's progress; in a conversation the panel lists the one where another customer asked the same
thing in other words, and a suggested canned reply goes into the composer with one click; the
same works on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from frontdesk.core.runtime import Runtime
from frontdesk.jobs.embeddings import embed_conversations
from frontdesk.web.routes import APP_DIR
from tests.api.test_canned_responses import add_canned
from tests.api.test_similar import add_conversations
from tests.factories import PASSWORD
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def test_a_manager_turns_it_on_and_a_reply_is_one_click_away(
    live: Live, browser: Browser, app_built: None, screenshots: Path, runtime: Runtime
) -> None:
    world = live.world
    anchor, paraphrase, _ = await add_conversations(
        runtime,
        world.acme,
        [
            "Meu pacote ainda não chegou",
            "A encomenda que pedi ainda não foi entregue",
            "Quero cancelar minha assinatura",
        ],
        channel="email",  # no reply window: the composer takes free text
    )
    await add_canned(
        runtime,
        world.acme.id,
        "tracking",
        "Seu pedido está a caminho: {{contact.name}}.",
        "Rastreio",
    )

    ctx = await browser.new_context(base_url=live.http_url)
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("dave@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name=re.compile("^Notifications"))).to_be_visible()

    await page.goto(f"{live.http_url}/settings?tab=workspace")
    switch = page.get_by_label("Show similar conversations and suggested replies")
    await switch.click()  # saved at once: the switch follows the server's answer
    await expect(switch).to_be_checked()
    status = page.get_by_role("status").filter(has_text="conversations read")
    await expect(status).to_have_text("0 of 6 conversations read")
    await embed_conversations(runtime, {"once": True})
    await expect(status).to_have_text("6 of 6 conversations read", timeout=10_000)
    await page.screenshot(path=screenshots / "similar-settings.png")

    await page.goto(f"{live.http_url}/conversations/{anchor.id}")
    panel = page.get_by_role("region", name="Similar conversations")
    await panel.get_by_role("button", name=re.compile(r"^Similar conversations \(\d+\)")).click()
    first = panel.get_by_role("listitem").first
    await expect(first.get_by_role("link")).to_contain_text(
        "A encomenda que pedi ainda não foi entregue"
    )
    await expect(first.get_by_role("link")).to_have_attribute(
        "href", f"/conversations/{paraphrase.id}"
    )
    suggested = page.get_by_role("group", name="Suggested replies")
    await suggested.get_by_role("button", name="Rastreio").click()
    await expect(page.get_by_role("textbox", name=re.compile("^Write a reply"))).to_have_value(
        "Seu pedido está a caminho: Erin."
    )
    await page.screenshot(path=screenshots / "similar-conversation.png")

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.reload()
    await expect(page.get_by_role("group", name="Suggested replies")).to_be_visible()
    await expect(
        page.get_by_role("button", name=re.compile(r"^Similar conversations"))
    ).to_be_visible()
    await page.screenshot(path=screenshots / "similar-phone.png")
    assert crashes == []
    await ctx.close()
