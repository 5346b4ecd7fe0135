"""The installable app in Chromium: its service worker registers and keeps the app shell, the
manifest's icons load at their sizes, and a new deploy brings "A new version is available —
Reload", which reloads into the new version."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from frontdesk.web import routes
from frontdesk.web.routes import APP_DIR
from tests.realtime.conftest import Live

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "sw.js").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


def png_size(body: bytes) -> str:
    assert body.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", body[16:24])
    return f"{width}x{height}"


async def test_the_app_installs_keeps_its_shell_and_offers_a_new_version(
    live: Live,
    browser: Browser,
    app_built: None,
    screenshots: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = await context.new_page()
    await page.goto(live.http_url)
    scope = await page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{live.http_url}/"

    worker = await page.request.get(f"{live.http_url}/sw.js")
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.headers["content-type"].startswith("text/javascript")
    cached = await page.evaluate(
        """async () => {
            const names = await caches.keys();
            const cache = await caches.open(names.find((n) => n.startsWith("frontdesk-shell-")));
            return (await cache.keys()).map((r) => new URL(r.url).pathname);
        }"""
    )
    assert "/" in cached
    assert any(p.startswith("/assets/index-") and p.endswith(".js") for p in cached)
    assert not any(p.startswith("/api/") for p in cached)

    manifest = await (await page.request.get(f"{live.http_url}/manifest.webmanifest")).json()
    pngs = [i for i in manifest["icons"] if i["type"] == "image/png"]
    assert {i["purpose"] for i in pngs} == {"any", "maskable"}
    for icon in pngs:
        answer = await page.request.get(live.http_url + icon["src"])
        assert answer.ok
        assert png_size(await answer.body()) == icon["sizes"]

    # A new deploy (a copy of the build whose worker is another version): the open page,
    # controlled by the old worker, is told.
    await page.reload()
    await page.wait_for_function("navigator.serviceWorker.controller !== null")
    deploy = tmp_path / "dist"
    shutil.copytree(APP_DIR, deploy)
    worker_file = deploy / "sw.js"
    worker_file.write_text(
        worker_file.read_text().replace('const VERSION = "', 'const VERSION = "next-', 1)
    )
    monkeypatch.setattr(routes, "APP_DIR", deploy)
    await page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    notice = page.get_by_role("status").filter(has_text="A new version is available")
    await expect(notice).to_be_visible()
    await page.screenshot(path=str(screenshots / "new-version-phone.png"))
    async with page.expect_navigation():
        await notice.get_by_role("button", name="Reload").click()
    await expect(notice).to_be_hidden()
    names = await page.evaluate("caches.keys()")
    assert [n for n in names if n.startswith("frontdesk-shell-next-")], names
    await context.close()
