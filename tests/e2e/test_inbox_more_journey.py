"""The inbox scrolls on by itself, and a conversation's tags change in place."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, expect
from sqlalchemy import select

from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ConversationTag, Tag
from tests.e2e.test_app_journey import app_built, sign_in
from tests.factories import Factory
from tests.realtime.conftest import Live

__all__ = ["app_built"]
PAGE = 25


async def test_the_list_loads_more_as_it_scrolls_and_tags_change_in_place(
    live: Live, browser: Browser, runtime: Runtime, app_built: None, screenshots: Path
) -> None:
    acme = live.world.acme
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        for n in range(PAGE + 10):
            contact = await f.contact(
                acme.workspace,
                f"Applicant {n:02d}",
                channel=acme.channels["whatsapp"],
                provider_id=f"5511900000{n:03d}",
            )
            await f.conversation(
                acme.workspace, acme.channels["whatsapp"], contact, body=f"Hello {n}"
            )
        s.add(
            Tag(
                workspace_id=acme.id,
                name="vip",
                color="red",
                is_outcome=False,
                created_at=runtime.clock.now(),
            )
        )
        await s.commit()

    page = await (await browser.new_context(base_url=live.http_url)).new_page()
    await sign_in(page, live, "alice@acme.test")
    await page.get_by_text(re.compile(r"^All( \d+)?$")).first.click()
    rows = page.get_by_role("link", name=re.compile("^Applicant "))
    await expect(rows.first).to_be_visible()
    shown = await rows.count()
    assert shown <= PAGE
    # Scrolling to the end of the list brings the next page without pressing anything.
    await page.get_by_role("button", name="Load more").scroll_into_view_if_needed()
    await expect(rows).to_have_count(PAGE + 10, timeout=10_000)

    # Tags: Bob's conversation with Erin gets "vip" from the tags field under the header.
    erin = acme.conversations["erin_support"]
    await page.goto(f"{live.http_url}/conversations/{erin.id}")
    tags = page.get_by_role("textbox", name="Conversation tags")
    await tags.click()
    await page.get_by_role("option", name="vip").click()
    await page.keyboard.press("Escape")
    tagged = None
    for _ in range(50):
        async with runtime.database.read_session() as db:
            tagged = await db.scalar(
                select(Tag.name)
                .join(ConversationTag, ConversationTag.tag_id == Tag.id)
                .where(ConversationTag.conversation_id == erin.id)
            )
        if tagged:
            break
        await page.wait_for_timeout(100)
    assert tagged == "vip"
    await page.screenshot(path=str(screenshots / "app-conversation-tags.png"))
