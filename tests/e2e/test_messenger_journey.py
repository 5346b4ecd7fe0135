"""Connecting a Facebook Page in Chromium: the form, what to paste in Meta's console and a
connection test against the fake Graph API, then a customer's Messenger message arriving, named
by their PSID until the profile lookup gives their name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from playwright.async_api import Browser, expect

from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.e2e.channel_fixtures import fake_graph, revoked_then_restored, settings
from tests.e2e.test_app_journey import app_built, sign_in
from tests.fakes.messenger import FakeGraph, messaging_webhook, sign, text_event
from tests.realtime.conftest import Live

__all__ = ["app_built", "fake_graph", "settings"]


async def test_an_owner_connects_a_page_and_its_customers_reach_the_inbox(
    live: Live, browser: Browser, app_built: None, screenshots: Path, fake_graph: FakeGraph
) -> None:
    live.app.state.runtime.public_url = live.http_url
    fb_page = fake_graph.add_page("113159190077727", name="Acme Shoes")
    context = await browser.new_context(base_url=live.http_url)
    page = await context.new_page()
    await sign_in(page, live, "alice@acme.test")
    await expect(page.get_by_text("Unassigned").first).to_be_visible()
    await page.goto(f"{live.http_url}/settings?tab=channels")
    await page.get_by_role("button", name="Connect a channel").click()
    await page.get_by_role("button", name="Messenger", exact=True).click()

    form = page.get_by_role("form", name="Connect a Facebook Page (Messenger)")
    await form.get_by_label("Channel name").fill("Acme Shoes Page")
    await form.get_by_label("Page ID").fill(fb_page.id)
    await form.get_by_label("Access token").fill(fb_page.access_token)
    await form.get_by_label("App secret").fill(fb_page.app_secret)
    await form.get_by_role("button", name="Connect Page").click()
    await expect(page.get_by_text("Acme Shoes Page is connected.")).to_be_visible()
    await expect(form.get_by_label("Access token")).to_have_value("")

    webhook = f"{live.http_url}/webhooks/messenger/{live.world.acme.id}"
    card = page.get_by_role("region", name="Acme Shoes Page")  # the channel's own card
    await expect(card.get_by_text(webhook)).to_be_visible()
    await card.get_by_role("button", name="Test connection").click()
    await expect(card.get_by_text("Meta answered")).to_be_visible()
    await expect(card.get_by_text(f"Acme Shoes ({fb_page.id})")).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-messenger-connected.png"))

    # A token Meta refuses fails the test; the right one again passes.
    await revoked_then_restored(
        card, "EAAP-revoked", fb_page.access_token, fb_page.app_secret, provider="Meta"
    )

    psid = "3135154219859294"
    fake_graph.add_profile(fb_page.id, psid, first_name="Carla", last_name="Mendes")
    event = text_event(fb_page, psid, "Size 42 in red?")
    body = json.dumps(messaging_webhook(fb_page, event)).encode()
    async with httpx.AsyncClient() as meta:
        answer = await meta.post(
            webhook,
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(body, fb_page.app_secret),
            },
        )
    assert answer.status_code == 200, answer.text
    await page.goto(f"{live.http_url}/")
    await expect(page.get_by_text("Size 42 in red?").first).to_be_visible()
    # The webhook names the customer only by PSID; the profile lookup job brings the name.
    await page.get_by_role("link", name=re.compile("Size 42 in red")).first.click()
    await expect(page.get_by_role("heading", name=psid)).to_be_visible()
    runner = JobRunner(live.app.state.runtime, build_registry(), worker_id="e2e")
    while await runner.run_once():
        pass
    assert [r.path for r in fake_graph.requests if r.path.endswith(f"/{psid}")]
    # The name arrives live (contact.updated): the open conversation and its row show it.
    await expect(page.get_by_role("heading", name="Carla Mendes")).to_be_visible(timeout=10_000)
    await expect(page.get_by_role("link", name=re.compile("^Carla Mendes"))).to_be_visible()
    await context.close()
