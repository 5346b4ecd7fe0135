"""The contact panel: an agent makes a member the contact's owner and merges a duplicate in."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, expect
from sqlalchemy import select

from frontdesk.core.contacts.models import Contact
from frontdesk.core.runtime import Runtime
from tests.e2e.test_accessibility import audit, axe_ready
from tests.e2e.test_app_journey import app_built, sign_in
from tests.factories import Factory
from tests.realtime.conftest import Live

__all__ = ["app_built", "axe_ready"]


async def test_an_agent_sets_the_owner_and_merges_a_duplicate(
    live: Live,
    browser: Browser,
    runtime: Runtime,
    app_built: None,
    axe_ready: None,
    screenshots: Path,
) -> None:
    acme = live.world.acme
    erin, bob = acme.contacts["erin"], acme.members["bob"]
    async with runtime.database.write_session() as s:
        duplicate = await Factory(s, runtime.clock.now()).contact(
            acme.workspace,
            "Erin Moreira",
            email="erin.m@example.com",
            channel=acme.channels["email"],
            provider_id="erin.m@example.com",
        )
        await s.commit()

    page = await (await browser.new_context(base_url=live.http_url)).new_page()
    await sign_in(page, live, "bob@acme.test")
    await expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    await page.goto(f"{live.http_url}/conversations/{acme.conversations['erin_support'].id}")

    # Owner: Bob makes himself Erin's owner; it is saved and shown after a reload.
    owner = page.get_by_role("textbox", name="Owner")
    await expect(owner).to_have_value("")
    await owner.click()
    await page.get_by_role("option", name="Bob").click()
    await expect(owner).to_have_value("Bob")
    await page.reload()
    await expect(page.get_by_role("textbox", name="Owner")).to_have_value("Bob")
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(Contact.owner_id).where(Contact.id == erin.id)) == bob.id

    # Merge: the duplicate is found by name, previewed, and merged only once confirmed.
    await page.get_by_role("button", name="Merge with another contact…").click()
    dialog = page.get_by_role("dialog", name="Merge another contact into Erin")
    await dialog.get_by_role("textbox", name="Find the other contact").fill("erin")
    await dialog.get_by_role("radio", name="Erin Moreira").check()
    after = dialog.get_by_role("group", name="After merging")
    await expect(after.get_by_text("erin.m@example.com").first).to_be_visible()
    await expect(after.get_by_text("Support mail · erin.m@example.com")).to_be_visible()
    merge = dialog.get_by_role("button", name="Merge contacts")
    await expect(merge).to_be_disabled()
    await dialog.get_by_role("checkbox", name="I understand that Erin Moreira is merged").check()
    await page.screenshot(path=str(screenshots / "app-contact-merge.png"))
    assert await audit(page, "merge dialog") == []
    await merge.click()
    await expect(dialog).to_be_hidden()

    # The panel shows Erin with the duplicate's channel; the duplicate is gone.
    reached = page.get_by_role("group", name="Reached on")
    await expect(
        reached.get_by_text(re.compile(r"^Support mail · .*erin\.m@example\.com$"))
    ).to_be_visible()
    await expect(reached.get_by_text("Careers WhatsApp · 60123456789")).to_be_visible()
    await expect(page.get_by_text("erin.m@example.com", exact=True)).to_be_visible()
    async with runtime.database.read_session() as db:
        merged = await db.scalar(select(Contact.merged_into_id).where(Contact.id == duplicate.id))
    assert merged == erin.id

    # A viewer sees the owner but cannot change it, and is not offered the merge.
    vera = await (await browser.new_context(base_url=live.http_url)).new_page()
    await sign_in(vera, live, "vera@acme.test")
    await expect(vera.get_by_role("button", name="Sign in")).to_have_count(0)
    await vera.goto(f"{live.http_url}/conversations/{acme.conversations['erin_support'].id}")
    seen = vera.get_by_role("textbox", name="Owner")
    await expect(seen).to_have_value("Bob")
    await expect(seen).to_have_attribute("readonly", "")
    await expect(vera.get_by_role("button", name="Merge with another contact…")).to_have_count(0)

    # On a phone the panel is a button away: it opens over the conversation, owner included.
    await vera.set_viewport_size({"width": 390, "height": 844})
    await expect(vera.get_by_role("textbox", name="Owner")).to_have_count(0)
    await vera.get_by_role("button", name="Contact", exact=True).click()
    panel = vera.get_by_role("dialog")
    await expect(panel.get_by_role("textbox", name="Owner")).to_have_value("Bob")
    await expect(panel.get_by_role("button", name="Close the contact")).to_be_in_viewport(ratio=1)
    assert await vera.evaluate("document.documentElement.scrollWidth") <= 390
    await vera.screenshot(path=str(screenshots / "app-contact-phone.png"))
    await panel.get_by_role("button", name="Close the contact").click()
    await expect(panel).to_be_hidden()
