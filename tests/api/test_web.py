"""The widget script and the demo website."""

from __future__ import annotations

import httpx

from frontdesk.core.runtime import Runtime
from frontdesk.web.routes import APP_DIR, WIDGET_FILE
from tests.conftest import World
from tests.factories import Factory


async def test_the_demo_site_embeds_the_demo_chat(
    world: World, runtime: Runtime, anon: httpx.AsyncClient
) -> None:
    missing = await anon.get("/demo/site")
    assert missing.status_code == 404
    assert "frontdesk demo" in missing.text
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            world.acme.workspace, "webchat", "Careers", demo_site=True
        )
        await s.commit()
    page = await anon.get("/demo/site")
    assert page.status_code == 200
    assert f'data-channel="{channel.id}"' in page.text
    assert '<script src="/widget.js"' in page.text


async def test_the_widget_script_is_served_when_built(anon: httpx.AsyncClient) -> None:
    r = await anon.get("/widget.js")
    if WIDGET_FILE.exists():
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/javascript")
        assert r.content == WIDGET_FILE.read_bytes()
    else:
        assert r.status_code == 503
        assert "make widget" in r.json()["error"]["message"]


async def test_the_app_answers_its_own_routes_and_unknown_api_paths_stay_json(
    anon: httpx.AsyncClient,
) -> None:
    page = await anon.get("/conversations/0199")
    if (APP_DIR / "index.html").exists():
        assert page.status_code == 200
        assert '<div id="root">' in page.text
    else:
        assert page.status_code == 503
        assert "make run" in page.text
    missing = await anon.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    escape = await anon.get("/..%2F..%2Fpyproject.toml")
    assert "hatchling" not in escape.text
