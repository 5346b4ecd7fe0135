"""A manager sends a broadcast to a tag in Chromium: the segment built and sized, a WhatsApp
template with its variable from the contact's first name, sent through the fake Graph API at
the number's pace (broadcasts take half of it), and the delivered and read counts filling in
from the receipts the fake posts back."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, expect

from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.core.sendbudget import LocalSendBudget
from frontdesk.core.tags.models import ContactTag, Tag
from tests.e2e.channel_fixtures import clock, fake_graph, settings
from tests.e2e.test_app_journey import app_built, sign_in
from tests.e2e.test_channel_ui_journey import connect, run_jobs
from tests.factories import Factory
from tests.fakes.meta import FakeGraph
from tests.realtime.conftest import Live

__all__ = ["app_built", "clock", "fake_graph", "settings"]
PEOPLE = (
    ("Marina Costa", "5511900000001"),
    ("João Lima", "5511900000002"),
    ("Thu Trang", "84900000003"),
)


async def vip_contacts(runtime: Runtime, live: Live, channel_id: object) -> None:
    """Three contacts with a number on the channel, tagged `vip`; the number sends 2 a second."""
    ws = live.world.acme.workspace
    now = runtime.clock.now()
    async with runtime.database.write_session() as s:
        f = Factory(s, now)
        channel = await s.get_one(Channel, channel_id)
        channel.settings = {**channel.settings, "messages_per_second": 2}
        vip = Tag(workspace_id=ws.id, name="vip", color="grape", is_outcome=False, created_at=now)
        s.add(vip)
        await s.flush()
        for name, number in PEOPLE:
            contact = await f.contact(ws, name, channel=channel, provider_id=number)
            s.add(
                ContactTag(workspace_id=ws.id, contact_id=contact.id, tag_id=vip.id, created_at=now)
            )
        await s.commit()


async def test_a_broadcast_to_a_tag_goes_out_at_the_number_s_pace_and_its_counts_fill_in(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    fake_graph: FakeGraph,
    runtime: Runtime,
    clock: FrozenClock,
) -> None:
    runtime.send_budget = LocalSendBudget(lambda: clock.now().timestamp())
    number, channel_id, webhook = await connect(live, fake_graph)
    number.webhook_url = webhook
    fake_graph.auto_statuses = True
    fake_graph.status_delays = (0.05, 0.1, 0.2)
    await vip_contacts(runtime, live, channel_id)

    context = await browser.new_context(
        base_url=live.http_url, viewport={"width": 390, "height": 844}
    )
    page = await context.new_page()
    await sign_in(page, live, "dave@acme.test")
    await expect(page.get_by_text("Unassigned").first).to_be_visible()
    await page.goto(f"{live.http_url}/broadcasts")
    await expect(page.get_by_text("No broadcasts yet")).to_be_visible()
    await page.get_by_role("link", name="New broadcast").click()

    form = page.get_by_role("form", name="New broadcast")
    await form.get_by_label("Broadcast name").fill("Job fair (draft)")
    await form.get_by_role("textbox", name="Channel").click()
    await page.get_by_role("option", name="Careers São Paulo").click()
    await form.get_by_role("textbox", name="Tagged with any of").click()
    await page.get_by_role("option", name="vip").click()
    await expect(form.get_by_role("status")).to_contain_text("3 contacts match; 3 will get it")
    await form.get_by_role("textbox", name="Template").click()
    await page.get_by_role("option", name="interview_reminder (en_US)").click()
    await expect(form.get_by_text("Hi [First name], see you soon!")).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-broadcast-composer.png"), full_page=True)
    await form.get_by_role("button", name="Save as draft").click()
    await expect(page.get_by_role("heading", name="Job fair (draft)")).to_be_visible()

    # The draft opens again as it was saved (who, what, the channel kept), and is renamed.
    await page.get_by_role("link", name="Edit").click()
    form = page.get_by_role("form", name="Edit “Job fair (draft)”")
    await expect(form.get_by_label("Broadcast name")).to_have_value("Job fair (draft)")
    await expect(form.get_by_role("textbox", name="Channel")).to_be_disabled()
    await expect(form.get_by_role("status")).to_contain_text("3 contacts match; 3 will get it")
    await expect(form.get_by_text("Hi [First name], see you soon!")).to_be_visible()
    await form.get_by_label("Broadcast name").fill("Job fair")
    await form.get_by_role("button", name="Send broadcast").click()
    await expect(page.get_by_role("heading", name="Job fair", exact=True)).to_be_visible()
    await expect(page.get_by_text("Hi [First name], see you soon!")).to_be_visible()

    # The worker's rounds, a second of the clock apart: one message a second goes out.
    per_second = []
    for _ in range(4):
        before = len(fake_graph.sent)
        await run_jobs(runtime)
        per_second.append(len(fake_graph.sent) - before)
        clock.advance(seconds=1)
    assert per_second == [1, 1, 1, 0]
    assert sorted(m["to"] for m in fake_graph.sent) == sorted(n for _, n in PEOPLE)
    assert {m["template"]["components"][0]["parameters"][0]["text"] for m in fake_graph.sent} == {
        "Marina",
        "João",
        "Thu",
    }

    await expect(page.get_by_role("group", name="Delivered")).to_contain_text("3", timeout=15_000)
    await expect(page.get_by_role("group", name="Read")).to_contain_text("3")
    await expect(page.get_by_role("group", name="Sent")).to_contain_text("3")
    await expect(page.get_by_text("Done", exact=True)).to_be_visible()
    await page.screenshot(path=str(screenshots / "app-broadcast-counts.png"), full_page=True)
    await page.get_by_role("link", name="All broadcasts").click()
    await expect(page.get_by_role("link", name="Job fair")).to_be_visible()
    await expect(page.get_by_text("3 sent · 3 read · 3 recipients")).to_be_visible()
    await context.close()
