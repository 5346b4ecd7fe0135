"""Fixtures the channel journeys share: a clock started at the browser's time, and the fake
Graph API the server talks to instead of Meta's; and replacing a Meta channel's credentials.

A journey imports the ones it needs by name (and lists them in its `__all__`); they are not in
`tests/e2e/conftest.py` because there they would replace the root `clock` and `settings` for
every journey.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from playwright.async_api import Locator, expect

from frontdesk.core.clock import FrozenClock
from frontdesk.settings import Settings
from tests.fakes.meta import FakeGraph, serve


@pytest.fixture
def clock() -> FrozenClock:
    """Frozen at the browser's now: the app counts reply windows and time in a state against the
    browser's clock, so a server clock elsewhere would show them long over or not yet begun."""
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
async def fake_graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    async with serve(fake):
        yield fake


@pytest.fixture
def settings(settings: Settings, fake_graph: FakeGraph) -> Settings:
    settings.meta_graph_url = fake_graph.graph_url
    return settings


async def replace_credentials(card: Locator, token: str, app_secret: str) -> None:
    """Replace a connected Meta channel's credentials from its card, as an owner would."""
    await card.get_by_role("button", name="Replace credentials").click()
    form = card.get_by_role("form", name="Replace credentials")
    await expect(form.get_by_label("Access token")).to_have_value("")
    await form.get_by_label("Access token").fill(token)
    await form.get_by_label("App secret").fill(app_secret)
    await form.get_by_role("button", name="Save credentials").click()
    await expect(form).to_be_hidden()  # saved: the form closes


async def revoked_then_restored(
    card: Locator, revoked: str, token: str, app_secret: str, *, provider: str
) -> None:
    """A token Meta refuses fails the card's connection test (code 190); the right one passes."""
    await replace_credentials(card, revoked, app_secret)
    await card.get_by_role("button", name="Test connection").click()
    await expect(card.get_by_text(f"{provider} refused")).to_be_visible()
    await expect(card.get_by_text("(190)")).to_be_visible()
    await replace_credentials(card, token, app_secret)
    await card.get_by_role("button", name="Test connection").click()
    await expect(card.get_by_text(f"{provider} answered")).to_be_visible()
