"""A WhatsApp conversation in Chromium: the customer-service window counting down, a quoted
reply whose ticks follow the provider's status reports, free text refused once the window has
closed and a template sent instead, a shared location and a reaction from the customer, and a
failed send showing the provider's reason with a way to send it again."""

from __future__ import annotations

import io
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.async_api import Browser, Locator, Page, expect
from sqlalchemy import select

from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.e2e.channel_fixtures import clock, fake_graph, settings
from tests.e2e.test_app_journey import app_built, sign_in
from tests.fakes.meta import FakeGraph, Number, message_webhook, status_webhook, text_webhook
from tests.realtime.conftest import Live

__all__ = ["app_built", "clock", "fake_graph", "settings"]

WA_ID = "5511987650000"
CUSTOMER = "Marina Costa"


async def run_jobs(runtime: Runtime) -> None:
    """What the worker would do now: deliveries, media, routing."""
    runner = JobRunner(runtime, build_registry(), worker_id="e2e")
    for _ in range(5):
        if not await runner.run_once():
            return


async def connect(live: Live, fake: FakeGraph) -> tuple[Number, uuid.UUID, str]:
    """A number connected through the API with one synced template; its webhook URL."""
    number = fake.add_number("109876543210", display_phone_number="+55 11 4003 2101")
    fake.add_template(number.business_account_id, "interview_reminder", "Hi {{1}}, see you soon!")
    fake.add_template(number.business_account_id, "holiday_hours", "We are closed on holidays.")
    async with live.world.client("alice") as alice:
        created = await alice.post(
            "/api/v1/channels",
            json={
                "type": "whatsapp",
                "name": "Careers São Paulo",
                "team_id": str(live.world.acme.teams["support"].id),
                "settings": {
                    "phone_number_id": number.phone_number_id,
                    "business_account_id": number.business_account_id,
                    "display_phone_number": number.display_phone_number,
                },
                "secrets": {"access_token": number.access_token, "app_secret": number.app_secret},
            },
        )
        assert created.status_code == 201, created.text
        channel_id = uuid.UUID(created.json()["id"])
        synced = await alice.post(f"/api/v1/channels/{channel_id}/whatsapp/templates/sync")
        assert synced.status_code == 200, synced.text
        assert synced.json()["approved"] == 2
    return number, channel_id, f"{live.http_url}/webhooks/whatsapp/{live.world.acme.id}"


async def post(fake: FakeGraph, url: str, number: Number, body: dict[str, object]) -> None:
    response = await fake.post_webhook(url, body, number.app_secret)
    assert response.status_code == 200, response.text


async def conversation_of(runtime: Runtime, channel_id: uuid.UUID) -> Conversation:
    async with runtime.database.read_session() as db:
        conv = await db.scalar(select(Conversation).where(Conversation.channel_id == channel_id))
    assert conv is not None
    return conv


async def outbound(runtime: Runtime, conversation_id: uuid.UUID) -> list[Message]:
    async with runtime.database.read_session() as db:
        found = await db.scalars(
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == "outbound",
                Message.sender_type != "system",
            )
            .order_by(Message.created_at, Message.id)
        )
        return list(found)


def sent_text(fake: FakeGraph, body: str) -> list[dict[str, Any]]:
    """The text messages WhatsApp accepted with this body."""
    return [s for s in fake.sent if s.get("type") == "text" and s["text"]["body"] == body]


def bubble(page: Page, text: str) -> Locator:
    """The innermost message block that shows `text` (its bubble and what hangs under it)."""
    return page.get_by_role("log").locator("[data-message-id]").filter(has_text=text).last


async def test_an_agent_works_a_whatsapp_conversation_through_its_window(
    live: Live, browser: Browser, app_built: None, screenshots: Path, fake_graph: FakeGraph
) -> None:
    runtime: Runtime = live.app.state.runtime
    runtime.public_url = live.http_url
    number, channel_id, webhook = await connect(live, fake_graph)
    first = f"wamid.{uuid.uuid4()}"
    await post(
        fake_graph,
        webhook,
        number,
        text_webhook(
            number, WA_ID, CUSTOMER, "Olá! Ainda tem vaga?", wamid=first, timestamp=int(time.time())
        ),
    )
    conv = await conversation_of(runtime, channel_id)

    context = await browser.new_context(base_url=live.http_url)
    page = await context.new_page()
    await sign_in(page, live, "alice@acme.test")
    await expect(page.get_by_text("Unassigned").first).to_be_visible()  # signed in
    await page.goto(f"{live.http_url}/conversations/{conv.id}")
    log = page.get_by_role("log")
    await expect(log.get_by_text("Olá! Ainda tem vaga?")).to_be_visible()

    # The window is open for about 24 hours, and says so.
    timer = page.get_by_role("timer")
    await expect(timer).to_have_text(re.compile(r"^Window closes in (1 day|23 hr( \d+ min)?)$"))

    # The agent quotes the customer's question and answers it.
    await (
        bubble(page, "Olá! Ainda tem vaga?")
        .get_by_role("button", name="Reply to this message")
        .click()
    )
    await expect(page.get_by_role("note", name="Replying to the customer")).to_be_visible()
    await page.get_by_label("Write a reply").fill("Sim, a vaga de motorista está aberta.")
    await page.get_by_role("button", name="Send", exact=True).click()
    reply = bubble(page, "Sim, a vaga de motorista está aberta.")
    await expect(reply.get_by_test_id("quoted")).to_contain_text("Olá! Ainda tem vaga?")
    await expect(page.get_by_role("note", name="Replying to the customer")).to_have_count(0)
    await run_jobs(runtime)
    # (Routing's automatic notice may go out too: the answer is found by its text.)
    sent = sent_text(fake_graph, "Sim, a vaga de motorista está aberta.")
    assert sent[0]["context"] == {"message_id": first}
    reply_wamid = sent[0]["_wamid"]

    # Its ticks follow the status reports as they arrive.
    for status, name in (("sent", "Sent"), ("delivered", "Delivered"), ("read", "Read")):
        await post(fake_graph, webhook, number, status_webhook(number, reply_wamid, status, WA_ID))
        await expect(reply.get_by_role("img", name=name)).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-channel-window-open.png"))

    # A day passes without a word from the customer: the window closes.
    async with runtime.database.write_session() as db:
        stored = await db.get(Conversation, conv.id)
        assert stored is not None
        assert stored.last_inbound_at is not None
        stored.last_inbound_at -= timedelta(hours=25)
        await db.commit()
    await page.reload()
    await expect(page.get_by_role("status", name="The 24-hour window is closed")).to_be_visible()
    await expect(page.get_by_role("timer")).to_have_count(0)
    field = page.get_by_label("Write a reply")
    await expect(field).to_be_disabled()
    await expect(page.get_by_role("button", name="Send", exact=True)).to_have_count(0)
    # The API refuses free text too, saying why.
    async with live.world.client("alice") as alice:
        refused = await alice.post(
            f"/api/v1/conversations/{conv.id}/messages",
            json={"body": "Still there?", "client_message_id": "late-1"},
        )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "window_closed"

    await page.get_by_role("button", name="Send a template").last.click()
    picker = page.get_by_role("dialog", name="Send an approved template")
    await picker.get_by_label("Search templates").fill("interview")
    await expect(picker.get_by_role("button", name="Use holiday_hours")).to_have_count(0)
    await picker.get_by_role("button", name="Use interview_reminder").click()
    send = picker.get_by_role("button", name="Send template")
    await expect(send).to_be_disabled()
    await picker.get_by_label("Variable 1").fill("Marina")
    await expect(picker.get_by_role("region", name="Preview")).to_have_text(
        "Hi Marina, see you soon!"
    )
    await page.screenshot(path=str(screenshots / "app-channel-template.png"))
    await send.click()
    await expect(picker).to_have_count(0)
    template_bubble = bubble(page, "Hi Marina, see you soon!")
    await expect(template_bubble.get_by_text("Template interview_reminder")).to_be_visible()
    await run_jobs(runtime)
    (template,) = [s for s in fake_graph.sent if s.get("type") == "template"]
    template_wamid = template["_wamid"]
    assert template["template"]["name"] == "interview_reminder"
    assert template["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "Marina"}
    ]
    await post(fake_graph, webhook, number, status_webhook(number, template_wamid, "sent", WA_ID))
    await expect(template_bubble.get_by_role("img", name="Sent")).to_be_visible()

    # The customer shares where they are and reacts to the answer: the window opens again.
    await post(
        fake_graph,
        webhook,
        number,
        message_webhook(
            number,
            WA_ID,
            CUSTOMER,
            {
                "type": "location",
                "location": {
                    "latitude": -23.561414,
                    "longitude": -46.655881,
                    "name": "MASP",
                    "address": "Av. Paulista, 1578 - Bela Vista, São Paulo",
                },
            },
            timestamp=int(time.time()),
        ),
    )
    place = page.get_by_role("group", name="Shared location")
    await expect(place.get_by_text("MASP")).to_be_visible()
    await expect(place.get_by_text("Av. Paulista, 1578 - Bela Vista, São Paulo")).to_be_visible()
    await expect(place.get_by_role("link", name="Open in a map")).to_have_attribute(
        "href", re.compile(r"openstreetmap\.org/\?mlat=-23\.561414&mlon=-46\.655881")
    )
    await post(
        fake_graph,
        webhook,
        number,
        message_webhook(
            number,
            WA_ID,
            CUSTOMER,
            {"type": "reaction", "reaction": {"message_id": reply_wamid, "emoji": "👍"}},
            timestamp=int(time.time()),
        ),
    )
    await expect(reply.get_by_role("listitem", name="👍 from the customer")).to_be_visible()
    await expect(page.get_by_role("timer")).to_have_text(
        re.compile(r"^Window closes in (1 day|23 hr)")
    )
    await expect(field).to_be_enabled()

    # WhatsApp accepts the next reply, then reports it undeliverable: the bubble says why,
    # and it can be sent again.
    await field.fill("Pode vir amanhã às 10h?")
    await page.get_by_role("button", name="Send", exact=True).click()
    failed = bubble(page, "Pode vir amanhã às 10h?")
    await expect(failed).to_be_visible()
    await run_jobs(runtime)
    (accepted,) = sent_text(fake_graph, "Pode vir amanhã às 10h?")
    await post(
        fake_graph,
        webhook,
        number,
        status_webhook(
            number, accepted["_wamid"], "failed", WA_ID, error=(131026, "Message undeliverable")
        ),
    )
    await expect(
        failed.get_by_text(re.compile(r"Not delivered: .*Message undeliverable"))
    ).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-channel-rich-messages.png"))
    await failed.get_by_role("button", name="Send again").click()
    await expect(log.get_by_text("Pode vir amanhã às 10h?")).to_have_count(2)
    await run_jobs(runtime)
    assert len(sent_text(fake_graph, "Pode vir amanhã às 10h?")) == 2
    tries = [m for m in await outbound(runtime, conv.id) if m.body == "Pode vir amanhã às 10h?"]
    assert sorted(str(m.status) for m in tries) == ["failed", "sent"]
    await context.close()


async def test_every_kind_of_customer_message_renders(
    live: Live, browser: Browser, app_built: None, screenshots: Path, fake_graph: FakeGraph
) -> None:
    runtime: Runtime = live.app.state.runtime
    number, channel_id, webhook = await connect(live, fake_graph)
    question, wrong = f"wamid.{uuid.uuid4()}", f"wamid.{uuid.uuid4()}"
    sent_at = int(time.time())
    messages: list[dict[str, Any]] = [
        {"type": "text", "text": {"body": "Posso mandar meu currículo?"}, "id": question},
        {"type": "text", "text": {"body": "Mensagem errada"}, "id": wrong},
        {
            "type": "edit",
            "edit": {
                "original_message_id": question,
                "message": {"type": "text", "text": {"body": "Posso mandar meu currículo em PDF?"}},
            },
        },
        {"type": "revoke", "revoke": {"original_message_id": wrong}},
        {
            "type": "contacts",
            "contacts": [
                {
                    "name": {"first_name": "Rachel", "formatted_name": "Rachel Green"},
                    "phones": [{"phone": "+1 777-777-7777", "type": "WORK"}],
                    "emails": [{"email": "rachel@example.com", "type": "WORK"}],
                }
            ],
        },
        {
            "type": "interactive",
            "interactive": {
                "type": "button_reply",
                "button_reply": {"id": "slot-1", "title": "Monday 10:00"},
            },
        },
        {"type": "image", "image": {"mime_type": "image/jpeg", "sha256": "x", "id": "65463453"}},
        {
            "type": "unsupported",
            "errors": [{"code": 131051, "title": "Message type unknown"}],
        },
    ]
    for message in messages:
        wamid = message.pop("id", None)
        body = message_webhook(number, WA_ID, CUSTOMER, message, wamid=wamid, timestamp=sent_at)
        await post(fake_graph, webhook, number, body)
    conv = await conversation_of(runtime, channel_id)

    context = await browser.new_context(base_url=live.http_url)
    page = await context.new_page()
    await sign_in(page, live, "alice@acme.test")
    await expect(page.get_by_text("Unassigned").first).to_be_visible()  # signed in
    await page.goto(f"{live.http_url}/conversations/{conv.id}")
    log = page.get_by_role("log")

    edited = bubble(page, "Posso mandar meu currículo em PDF?")
    await expect(edited.get_by_text("edited")).to_be_visible()
    await expect(log.get_by_text("Posso mandar meu currículo?", exact=True)).to_have_count(0)
    await expect(log.get_by_text("Message deleted")).to_be_visible()
    await expect(log.get_by_text("Mensagem errada")).to_have_count(0)
    card = log.get_by_role("group", name="Contact card")
    await expect(card.get_by_text("Rachel Green")).to_be_visible()
    await expect(card.get_by_role("link", name="+1 777-777-7777")).to_have_attribute(
        "href", "tel:+17777777777"
    )
    await expect(card.get_by_role("link", name="rachel@example.com")).to_be_visible()
    await expect(log.get_by_label("Tapped “Monday 10:00”")).to_have_text("Monday 10:00")
    await expect(log.get_by_text("Downloading image…")).to_be_visible()
    await expect(log.get_by_text("Unsupported message (Message type unknown)")).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-channel-message-kinds.png"))

    # Once the worker has fetched the image, it shows instead of the notice (the pushed
    # message names the file; the app gets a link to it).
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(picture, format="JPEG")
    fake_graph.add_media(picture.getvalue(), "image/jpeg", "65463453")
    await run_jobs(runtime)
    await expect(log.get_by_text("Downloading image…")).to_have_count(0)
    await expect(log.get_by_role("img", name="image.jpg")).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-channel-media-fetched.png"))
    await context.close()
