"""Reply buttons and a list composed in Chromium in a WhatsApp conversation: the limits counted
live with the send button held back until the choices fit, reordering with the keyboard, what
WhatsApp receives, the bubbles in the timeline, and the panel on a phone."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, expect

from frontdesk.core.runtime import Runtime
from tests.e2e.channel_fixtures import clock, fake_graph, settings
from tests.e2e.test_accessibility import AXE, FAILING_IMPACTS, LANDMARK_RULES, RUN_AXE
from tests.e2e.test_app_journey import app_built, sign_in
from tests.e2e.test_channel_ui_journey import (
    CUSTOMER,
    WA_ID,
    bubble,
    connect,
    conversation_of,
    post,
    run_jobs,
)
from tests.fakes.meta import FakeGraph, text_webhook
from tests.realtime.conftest import Live

__all__ = ["app_built", "clock", "fake_graph", "settings"]


def sent_interactive(fake: FakeGraph, kind: str) -> list[dict[str, Any]]:
    """The interactive messages of this kind ("button" or "list") WhatsApp accepted."""
    return [
        s for s in fake.sent if s.get("type") == "interactive" and s["interactive"]["type"] == kind
    ]


async def axe_findings(page: Page) -> list[str]:
    """What axe-core finds wrong once the panel's switch has stopped moving.

    (The timeline's hidden scrollbar thumb keeps its opacity at 0, so waiting for every
    element to be opaque, as the accessibility sweep does, would never end here.)
    """
    await page.wait_for_function(
        "() => document.getAnimations().every((a) => a.playState !== 'running')"
    )
    await page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the CSP stays on
    found: list[dict[str, Any]] = await page.evaluate(RUN_AXE)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: " + " ".join(v["nodes"][:6])
        for v in found
        if v["impact"] in FAILING_IMPACTS or v["id"] in LANDMARK_RULES
    ]


async def titles_in(page: Page, label: str, count: int) -> list[str]:
    panel = page.get_by_role("group", name="Buttons or list")
    return [
        await panel.get_by_label(f"{label} {n}", exact=True).input_value()
        for n in range(1, count + 1)
    ]


async def test_an_agent_sends_reply_buttons_and_a_list_on_whatsapp(
    live: Live, browser: Browser, app_built: None, screenshots: Path, fake_graph: FakeGraph
) -> None:
    runtime: Runtime = live.app.state.runtime
    runtime.public_url = live.http_url
    number, channel_id, webhook = await connect(live, fake_graph)
    await post(
        fake_graph,
        webhook,
        number,
        text_webhook(
            number,
            WA_ID,
            CUSTOMER,
            "Quero marcar a entrevista",
            wamid=f"wamid.{uuid.uuid4()}",
            timestamp=int(time.time()),
        ),
    )
    conv = await conversation_of(runtime, channel_id)

    context = await browser.new_context(base_url=live.http_url)
    page = await context.new_page()
    await sign_in(page, live, "alice@acme.test")
    await expect(page.get_by_text("Unassigned").first).to_be_visible()  # signed in
    await page.goto(f"{live.http_url}/conversations/{conv.id}")
    await expect(page.get_by_role("log").get_by_text("Quero marcar a entrevista")).to_be_visible()

    # Reply buttons: the message is their body; a title past 20 characters holds the send back.
    toggle = page.get_by_role("button", name="Buttons / list")
    await toggle.click()
    panel = page.get_by_role("group", name="Buttons or list")
    await expect(panel).to_be_visible()
    send = page.get_by_role("button", name="Send", exact=True)
    await expect(send).to_be_disabled()
    await expect(page.get_by_role("status").filter(has_text="Write the message")).to_be_visible()
    await page.get_by_label("Write a reply").fill("Qual dia fica melhor para a entrevista?")
    await expect(panel.get_by_text("(39/1024 characters)")).to_be_visible()
    await panel.get_by_label("Button 1", exact=True).fill("Segunda 10h")
    await panel.get_by_label("Button 2", exact=True).fill("Terça 14h")
    await expect(send).to_be_enabled()
    await panel.get_by_role("button", name="Add a button").click()
    third = panel.get_by_label("Button 3", exact=True)
    await expect(third).to_be_focused()
    await page.keyboard.type("Nenhum desses dias serve")
    await expect(panel.get_by_text("24/20")).to_be_visible()
    await expect(send).to_be_disabled()
    await expect(page.get_by_text("Button 3 is too long: at most 20 characters.")).to_be_visible()
    await expect(panel.get_by_role("button", name="Add a button")).to_be_disabled()
    await third.fill("Outro dia")
    # Reordered with the keyboard: the focus follows the moved button.
    await panel.get_by_role("button", name="Move Button 3 up").focus()
    await page.keyboard.press("Enter")
    assert await titles_in(page, "Button", 3) == ["Segunda 10h", "Outro dia", "Terça 14h"]
    await expect(panel.get_by_role("button", name="Move Button 2 up")).to_be_focused()
    await page.screenshot(path=str(screenshots / "app-choices-buttons.png"))
    await send.click()
    await expect(panel).to_have_count(0)
    offered = bubble(page, "Qual dia fica melhor para a entrevista?")
    await expect(offered.get_by_text("Buttons offered")).to_be_visible()
    for title in ("Segunda 10h", "Outro dia", "Terça 14h"):
        await expect(offered.get_by_text(title, exact=True)).to_be_visible()
    await run_jobs(runtime)
    (buttons,) = sent_interactive(fake_graph, "button")
    assert buttons["to"] == WA_ID
    assert buttons["interactive"]["body"] == {"text": "Qual dia fica melhor para a entrevista?"}
    assert [b["reply"] for b in buttons["interactive"]["action"]["buttons"]] == [
        {"id": "segunda-10h", "title": "Segunda 10h"},
        {"id": "outro-dia", "title": "Outro dia"},
        {"id": "terca-14h", "title": "Terça 14h"},
    ]

    # A list: its button, a section title and rows with descriptions.
    await toggle.click()
    await panel.get_by_text("List", exact=True).click()
    await expect(send).to_be_disabled()
    await page.get_by_label("Write a reply").fill("Qual vaga te interessa?")
    await expect(page.get_by_text("Name the button that opens the list.")).to_be_visible()
    await panel.get_by_label("List button").fill("Ver vagas")
    await panel.get_by_label("Section title (optional)").fill("São Paulo")
    await panel.get_by_label("Row 1", exact=True).fill("Motorista noturno")
    await panel.get_by_label("Description of row 1 (optional)").fill("Seg a sex, 22h às 6h")
    await panel.get_by_label("Row 2", exact=True).fill("Cozinheiro")
    await panel.get_by_role("button", name="Add a row").click()
    await page.keyboard.type("Atendente")
    await panel.get_by_role("button", name="Remove Row 2").click()
    assert await titles_in(page, "Row", 2) == ["Motorista noturno", "Atendente"]
    await expect(panel.get_by_text("2 of 10")).to_be_visible()
    await send.click()
    await expect(panel).to_have_count(0)
    listed = bubble(page, "Qual vaga te interessa?")
    await expect(listed.get_by_text("List offered: Ver vagas")).to_be_visible()
    await expect(listed.get_by_text("Motorista noturno", exact=True)).to_be_visible()
    await run_jobs(runtime)
    (sent_list,) = sent_interactive(fake_graph, "list")
    assert sent_list["interactive"]["body"] == {"text": "Qual vaga te interessa?"}
    assert sent_list["interactive"]["action"] == {
        "button": "Ver vagas",
        "sections": [
            {
                "title": "São Paulo",
                "rows": [
                    {
                        "id": "motorista-noturno",
                        "title": "Motorista noturno",
                        "description": "Seg a sex, 22h às 6h",
                    },
                    {"id": "atendente", "title": "Atendente"},
                ],
            }
        ],
    }
    await context.close()

    # On a phone the panel fits the screen and is worked the same way.
    phone = await browser.new_context(
        base_url=live.http_url, viewport={"width": 390, "height": 844}
    )
    page = await phone.new_page()
    await sign_in(page, live, "alice@acme.test")
    await expect(page.get_by_role("link", name=CUSTOMER)).to_be_visible()  # signed in
    await page.goto(f"{live.http_url}/conversations/{conv.id}")
    await expect(page.get_by_role("log").get_by_text("Qual vaga te interessa?")).to_be_visible()
    await page.get_by_role("button", name="Buttons / list").click()
    panel = page.get_by_role("group", name="Buttons or list")
    await panel.get_by_text("List", exact=True).click()
    await expect(panel.get_by_label("List button")).to_be_visible()
    await panel.get_by_label("Row 1", exact=True).fill("Motorista")
    box = await panel.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    # The panel's fields, counters and arrows pass axe's checks, the send held back too.
    assert await axe_findings(page) == []
    await page.screenshot(path=str(screenshots / "app-choices-list-phone.png"))
    await phone.close()
