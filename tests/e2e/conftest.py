"""Browser journeys: a real server on a loopback port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Playwright, async_playwright, expect

from tests.conftest import TEST_DATABASE
from tests.realtime.conftest import live, realtime_settings

__all__ = ["browser", "chromium", "live", "realtime_settings", "screenshots"]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


# Each journey runs once per `make test`, on one of the two databases (docs/decisions/0009):
# these on PostgreSQL, every other one on SQLite. The API, core, channel and job suites run
# on both. FRONTDESK_E2E_EVERY_DATABASE=1 runs every journey on whichever database is chosen.
ON_POSTGRESQL = frozenset(
    {
        "test_app_journey.py",
        "test_choices_journey.py",
        "test_csat_journey.py",
        "test_demo_reports_journey.py",
        "test_first_day_journey.py",
        "test_inbox_journey.py",
        "test_outcomes_journey.py",
        "test_reports_exports_journey.py",
        "test_routing_journey.py",
        "test_views_journey.py",
        "test_wallboard_journey.py",
        "test_whatsapp_journey.py",
        "test_workflows_journey.py",
    }
)


# How long an expectation waits for the page to show what the user would see. Playwright's 5 s
# default is missed now and then when the machine's cores are shared with the other test
# processes (`make test` runs four); a journey checks what happens, not how fast: the timing
# targets are measured in benchmarks/. A journey that must see something sooner says so.
expect.set_options(timeout=15_000)


def journey_database(path: Path) -> str:
    return "postgresql" if path.name in ON_POSTGRESQL else "sqlite"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("FRONTDESK_E2E_EVERY_DATABASE") == "1":
        return
    here = Path(__file__).parent
    kept: list[pytest.Item] = []
    elsewhere: list[pytest.Item] = []
    for item in items:
        away = item.path.parent == here and journey_database(item.path) != TEST_DATABASE
        (elsewhere if away else kept).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = kept


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is needed at /usr/bin/chromium: run `make browsers` (make test does)")
    return CHROMIUM


@pytest.fixture(scope="session")
async def playwright_session() -> AsyncIterator[Playwright]:
    async with async_playwright() as p:
        yield p


@pytest.fixture(scope="session")
async def shared_browser(chromium: Path, playwright_session: Playwright) -> AsyncIterator[Browser]:
    launched = await playwright_session.chromium.launch(
        executable_path=str(chromium), args=CHROMIUM_ARGS
    )
    yield launched
    await launched.close()


@pytest.fixture
async def browser(
    shared_browser: Browser, chromium: Path, playwright_session: Playwright
) -> AsyncIterator[Browser]:
    """One Chromium for the session (as pytest-playwright does); each journey gets its own
    contexts, closed after it, so no cookie, storage or page outlives the journey."""
    if shared_browser.is_connected():
        yield shared_browser
        for context in list(shared_browser.contexts):
            await context.close()
        return
    # The shared browser died (a crash in an earlier journey): this one gets its own.
    launched = await playwright_session.chromium.launch(
        executable_path=str(chromium), args=CHROMIUM_ARGS
    )
    yield launched
    await launched.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
