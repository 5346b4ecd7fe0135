"""Webhooks in Chromium: a manager adds a subscription to `message.created` in Settings, copies
its secret (shown once), and the receiver (real HTTP on loopback) gets a note's
`message.created` signed with it; the receiver then fails, and the delivery log shows the
attempts retried on the schedule as the server's frozen clock moves (5 s, then 5 min later);
on a phone the log fits the screen."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.core.webhooks.catalogue import ALLOW_PRIVATE_ENV
from frontdesk.demo.api_channel_demo import serve
from frontdesk.demo.webhooks_demo import WebhookReceiver
from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.jobs.test_webhooks import expected_signature, note, run_jobs
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


@pytest.fixture
async def receiver(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[WebhookReceiver]:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")  # the receiver is on loopback
    fake = WebhookReceiver()
    async with serve(fake):  # type: ignore[arg-type]
        yield fake


def iso(moment: object) -> str:
    return str(moment).replace("+00:00", "Z").replace(" ", "T")


async def test_a_subscription_gets_a_signed_message_and_a_failing_one_is_retried_on_schedule(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    runtime: Runtime,
    clock: FrozenClock,
    receiver: WebhookReceiver,
) -> None:
    world = live.world
    ctx = await browser.new_context(base_url=live.http_url, timezone_id="UTC")
    page = await ctx.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("dave@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name=re.compile("^Notifications"))).to_be_visible()

    # Dave subscribes the receiver to new messages only and copies the secret, shown once.
    await page.goto(f"{live.http_url}/settings?tab=webhooks")
    form = page.get_by_role("form", name="New webhook")
    await form.get_by_label("Endpoint URL").fill(receiver.url())
    await form.get_by_label("Description").fill("Recruiting CRM")
    await form.get_by_role("switch", name="Every event").uncheck()
    await form.get_by_role("checkbox", name="message.created", exact=True).check()
    await form.get_by_role("button", name="Add webhook").click()
    shown = page.get_by_role("dialog", name="Signing secret")
    secret = (await shown.locator("code").inner_text()).strip()
    assert secret.startswith("whsec_")
    await page.screenshot(path=screenshots / "webhooks-secret.png")
    await shown.get_by_role("button", name="Done").click()
    table = page.get_by_role("table", name="Webhooks")
    await expect(table.get_by_role("row", name=re.compile("Recruiting CRM"))).to_contain_text(
        "1 event"
    )

    # Bob's note is delivered, signed with that secret.
    erin = world.acme.conversations["erin_support"].id
    await note(world, "bob", erin, "Her references check out")
    await run_jobs(runtime)
    [got] = receiver.received
    assert got.payload["type"] == "message.created"
    assert got.payload["data"]["message"]["body"] == "Her references check out"
    assert got.headers["webhook-signature"] == expected_signature(secret, got.headers, got.body)
    await page.get_by_role("button", name=f"Deliveries of {receiver.url()}").click()
    log = page.get_by_role("table", name="Delivery log")
    await expect(log.get_by_role("row", name="message.created Delivered")).to_contain_text("200")

    # The receiver fails: the next note is retried 5 s later, then 5 min after that.
    receiver.otherwise = 503
    await note(world, "bob", erin, "Interview on Monday")
    clock.advance(seconds=3)  # the dispatcher's next round
    await run_jobs(runtime)
    retrying = log.get_by_role("row", name="message.created Retrying")
    await expect(retrying).to_contain_text("503")
    due = clock.now() + timedelta(seconds=5)
    await expect(retrying.locator("time").last).to_have_attribute("datetime", iso(due))
    clock.set(due)
    await run_jobs(runtime)
    await expect(retrying.locator("td").nth(3)).to_have_text("2")
    later = due + timedelta(minutes=5)
    await expect(retrying.locator("time").last).to_have_attribute("datetime", iso(later))
    assert [r.answered for r in receiver.received] == [200, 503, 503]
    await page.screenshot(path=screenshots / "webhooks-log.png")

    # On a phone the log fits the screen.
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.reload()
    await page.get_by_role("button", name=f"Deliveries of {receiver.url()}").click()
    await expect(page.get_by_role("table", name="Delivery log")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await page.screenshot(path=screenshots / "webhooks-phone.png")
    assert crashes == []
    await ctx.close()
