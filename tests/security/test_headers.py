"""Security headers fitted to each part of the site, HSTS only in production over https, and
production refusing to start on a plain-http public URL unless told it is meant."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from frontdesk.app import create_app
from frontdesk.core.runtime import Runtime
from frontdesk.settings import Settings
from tests.conftest import World


def _policy(response: httpx.Response) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    parts = [p.strip() for p in response.headers["content-security-policy"].split(";")]
    return {p.split(" ", 1)[0]: p.partition(" ")[2] for p in parts if p}


def _common(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # a test server: http


async def test_the_app_may_run_only_its_own_scripts_and_is_never_framed(
    anon: httpx.AsyncClient,
) -> None:
    page = await anon.get("/inbox")
    _common(page)
    policy = _policy(page)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, nothing from elsewhere
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # Mantine's <style> elements
    assert policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert page.headers["x-frame-options"] == "DENY"
    # What the page served really uses fits the policy: scripts from this origin only.
    scripts = re.findall(r"<script\b([^>]*)>", page.text)
    for attributes in scripts:
        source = re.search(r'src="([^"]+)"', attributes)
        assert source is not None, f"an inline script: {attributes}"
        assert source.group(1).startswith("/"), source.group(1)
    for link in re.findall(r'<link\b[^>]*href="([^"]+)"', page.text):
        assert link.startswith("/"), link


async def test_api_answers_can_never_run_as_a_page(world: World) -> None:
    async with world.client("bob") as bob:
        answer = await bob.get("/api/v1/me")
    _common(answer)
    policy = _policy(answer)
    assert policy["default-src"] == "'none'"
    assert "sandbox" in policy
    assert answer.headers["x-frame-options"] == "DENY"


async def test_the_api_docs_load_swagger_ui(anon: httpx.AsyncClient) -> None:
    docs = await anon.get("/api/docs")
    assert docs.status_code == 200
    for source in re.findall(r'src="(https://[^/"]+)', docs.text):
        assert source in _policy(docs)["script-src"]


async def test_the_widget_script_loads_on_any_site_and_the_demo_site_embeds_it(
    anon: httpx.AsyncClient,
) -> None:
    script = await anon.get("/widget.js", headers={"Origin": "https://customer.example"})
    _common(script)
    assert script.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "content-security-policy" not in script.headers
    assert "x-frame-options" not in script.headers
    site = await anon.get("/demo/site")
    policy = _policy(site)
    assert policy["script-src"] == "'self'"  # the widget, from this origin
    assert policy["connect-src"] == "'self'"  # its API and socket
    assert policy["frame-ancestors"] == "'self'"


async def test_the_widget_api_keeps_answering_customer_sites(
    anon: httpx.AsyncClient, world: World
) -> None:
    channel = world.acme.channels["whatsapp"].id
    answer = await anon.options(
        f"/api/widget/v1/channels/{channel}/config",
        headers={"Origin": "https://customer.example", "Access-Control-Request-Method": "GET"},
    )
    assert answer.headers.get("access-control-allow-origin") == "https://customer.example"
    assert "cross-origin-resource-policy" not in answer.headers


@pytest.mark.parametrize(
    ("public_url", "allow", "hsts"),
    [("https://desk.example", False, True), ("http://desk.example", True, False)],
)
async def test_hsts_only_in_production_over_https(
    settings: Settings, runtime: Runtime, public_url: str, allow: bool, hsts: bool
) -> None:
    production = settings.model_copy(
        update={"env": "production", "public_url": public_url, "allow_insecure_http": allow}
    )
    app = create_app(production, runtime=runtime, run_jobs=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=public_url
    ) as client:
        answer = await client.get("/healthz")
    assert ("strict-transport-security" in answer.headers) is hsts
    if hsts:
        assert answer.headers["strict-transport-security"].startswith("max-age=63072000")


def test_production_refuses_a_plain_http_public_url_unless_allowed(tmp_path: Path) -> None:
    base = {"env": "production", "secret_key": "k" * 40, "data_dir": tmp_path}
    with pytest.raises(ValidationError, match="FRONTDESK_ALLOW_INSECURE_HTTP"):
        Settings(**base, public_url="http://desk.example")  # type: ignore[arg-type]
    allowed = Settings(**base, public_url="http://desk.example", allow_insecure_http=True)  # type: ignore[arg-type]
    assert not allowed.serves_https
    assert Settings(**base, public_url="https://desk.example").serves_https  # type: ignore[arg-type]


def test_the_command_says_why_production_will_not_start(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_ENV="production",
        FRONTDESK_SECRET_KEY="k" * 40,
        FRONTDESK_DATA_DIR=str(tmp_path),
        FRONTDESK_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        FRONTDESK_PUBLIC_URL="http://desk.example",
    )
    refused = subprocess.run(
        [sys.executable, "-m", "frontdesk", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode == 2
    assert "FRONTDESK_ALLOW_INSECURE_HTTP" in refused.stderr
    assert "Traceback" not in refused.stderr
