"""Browser journeys: a real server on a loopback port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from frontdesk.web.routes import WIDGET_FILE
from tests.realtime.conftest import live, realtime_settings

__all__ = ["browser", "live", "realtime_settings", "screenshots"]

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


@pytest.fixture
def prerequisites() -> None:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is needed at /usr/bin/chromium: `make test` installs it")
    if not WIDGET_FILE.exists():
        pytest.fail("the widget is not built: `make test` builds it first (make widget)")


@pytest.fixture
async def browser(prerequisites: None) -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
