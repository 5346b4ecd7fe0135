"""Quality reviews in Chromium: the manager builds a scorecard in Settings → Quality and turns
the weekly spot checks on; the weekly job samples Bob's closed conversations of last week into
the review queue; the manager reviews one, commenting on the customer's message, watching the
live score; Bob, on a phone, is told, reads the review with the comment and replies; the
manager sees the reply and the QA score in Reports → Quality."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.core.runtime import Runtime
from frontdesk.jobs.quality import sample_quality_reviews
from frontdesk.web.routes import APP_DIR
from tests.e2e.test_notifications_journey import PHONE, signed_in
from tests.quality.helpers import closed_conversations
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def _open_menu(page: Page, name: str, item: str) -> None:
    await page.get_by_role("button", name=name, exact=True).click()
    await page.get_by_role("menuitem", name=item).click()


async def _build_scorecard(page: Page) -> None:
    await _open_menu(page, "Dave", "Settings")
    await page.get_by_role("tab", name="Quality").click()
    await page.get_by_label("Take a sample every week").check()
    await page.get_by_role("button", name="Save spot checks").click()
    await expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()

    await page.get_by_role("button", name="New scorecard").click()
    await page.get_by_label("Scorecard name").fill("Support quality")
    await page.get_by_label("Category 1 name").fill("Greeting")
    await page.get_by_label("Category 1 item 1", exact=True).fill("Used the customer's name")
    await page.get_by_role("button", name="Add a category").click()
    await page.get_by_label("Category 2 name").fill("Resolution")
    await page.get_by_label("Category 2 weight").fill("3")
    await page.get_by_label("Category 2 item 1", exact=True).fill("No personal data asked")
    await page.get_by_label("Category 2 item 1 is critical").check()
    await page.get_by_role("button", name="Add an item to category 2").click()
    await page.get_by_label("Category 2 item 2", exact=True).fill("Tone")
    await page.get_by_role("textbox", name="Category 2 item 2 kind").click()
    await page.get_by_role("option", name="Scale 1\u20135").click()
    # The tone first, then the critical item.
    await page.get_by_role("button", name="Move category 2 item 2 up").click()
    await expect(page.get_by_label("Category 2 item 1", exact=True)).to_have_value("Tone")
    await expect(page.get_by_text("25% of the score")).to_be_visible()
    await expect(page.get_by_text("75% of the score")).to_be_visible()
    await expect(page.get_by_text("Maximum score: 4 points (100%)")).to_be_visible()
    await page.get_by_role("button", name="Save scorecard").click()
    await expect(page.get_by_text("2 categories · 3 items · version 1")).to_be_visible()


async def test_a_weekly_sample_is_reviewed_and_the_review_reaches_the_agent(
    live: Live, browser: Browser, app_built: None, screenshots: Path, runtime: Runtime
) -> None:
    world = live.world
    await closed_conversations(runtime, world.acme, "bob", 2, ago=timedelta(days=2))
    await closed_conversations(runtime, world.acme, "bob", 1, ago=timedelta(days=9))  # too old
    dave = await signed_in(browser, live, "dave@acme.test")
    crashes: list[str] = []
    dave.on("pageerror", lambda error: crashes.append(str(error)))
    await _build_scorecard(dave)
    await dave.screenshot(path=str(screenshots / "quality-scorecard.png"))

    # The weekly job runs: Bob (new here, 4 a week) has two of last week's closed conversations.
    await sample_quality_reviews(runtime, {"once": True})
    await _open_menu(dave, "Dave", "Quality reviews")
    queue = dave.get_by_role("table", name="Review queue")
    await expect(queue.get_by_role("row")).to_have_count(3)  # the header and two reviews
    await dave.get_by_role("textbox", name="Agent", exact=True).click()
    await dave.get_by_role("option", name="Bob").click()
    await expect(queue.get_by_role("row")).to_have_count(3)
    await queue.get_by_role("link", name=re.compile("Erin")).first.click()

    await expect(dave.get_by_role("heading", name="Review: Erin")).to_be_visible()
    await dave.get_by_role("button", name=re.compile("Comment on the message")).first.click()
    await dave.get_by_label("Comment on this message").fill("Greet Erin by her name here")
    await dave.get_by_role("button", name="Keep comment").click()
    await expect(dave.get_by_role("note", name="Reviewer's comment")).to_have_text(
        "Greet Erin by her name here"
    )
    await (
        dave.get_by_role("radiogroup", name="Used the customer's name")
        .get_by_text("No", exact=True)
        .click()
    )
    await dave.get_by_role("radiogroup", name="Tone").get_by_text("4", exact=True).click()
    live_score = dave.get_by_role("status").filter(has_text="Score")
    await expect(live_score).to_have_text("Score: 56.3 · 2 of 3 answered")
    submit = dave.get_by_role("button", name="Submit review")
    await expect(submit).to_be_disabled()  # every item needs an answer
    await (
        dave.get_by_role("radiogroup", name="No personal data asked")
        .get_by_text("Yes", exact=True)
        .click()
    )
    await expect(live_score).to_have_text("Score: 65.6 · 3 of 3 answered")
    await dave.get_by_label("Overall comment").fill("Clear answer; a warmer greeting next time")
    await dave.screenshot(path=str(screenshots / "quality-review.png"))
    await submit.click()
    await expect(dave.get_by_text("65.6 / 100")).to_be_visible()

    bob = await signed_in(browser, live, "bob@acme.test", PHONE)
    await bob.get_by_role("button", name="Notifications: 1 unread").click()
    await (
        bob.get_by_role("dialog", name="Notifications")
        .get_by_text("News on a quality review")
        .click()
    )
    mine = bob.get_by_role("list", name="My reviews")
    await expect(mine.get_by_role("listitem")).to_have_count(1)
    await expect(mine.get_by_text("65.6 / 100")).to_be_visible()
    await mine.get_by_role("link", name="Open").click()
    await expect(bob.get_by_role("note", name="Reviewer's comment")).to_have_text(
        "Greet Erin by her name here"
    )
    await expect(bob.get_by_text("Clear answer; a warmer greeting next time")).to_be_visible()
    await bob.get_by_label("Your reply").fill("Thanks, I will use the name")
    await bob.get_by_role("button", name="Send reply").click()
    thread = bob.get_by_role("list", name="Conversation about this review")
    await expect(thread.get_by_text("Thanks, I will use the name")).to_be_visible()
    await bob.screenshot(path=str(screenshots / "quality-my-review-phone.png"))

    await dave.reload()
    await expect(
        dave.get_by_role("list", name="Conversation about this review").get_by_text(
            "Thanks, I will use the name"
        )
    ).to_be_visible()
    await dave.goto(f"{live.http_url}/reports")
    await dave.get_by_role("tab", name="Quality").click()
    await dave.get_by_role("textbox", name="Period", exact=True).click()
    await dave.get_by_role("option", name="Last 7 days").click()
    agents = dave.get_by_role("table", name="QA score per agent")
    await expect(agents.get_by_role("row", name=re.compile("Bob"))).to_contain_text("65.6")
    await expect(dave.get_by_label("QA score per agent over time")).to_be_visible()
    assert crashes == []
    await bob.context.close()
    await dave.context.close()
