"""The API's published schema, and the app's client generated from it, stay in step."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from frontdesk.app import attach_runtime, build_app
from frontdesk.core.runtime import Runtime
from frontdesk.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


async def test_the_app_s_client_was_generated_from_today_s_api(anon: httpx.AsyncClient) -> None:
    served = (await anon.get("/api/v1/openapi.json")).json()
    committed = json.loads((ROOT / "frontend" / "openapi.json").read_text(encoding="utf-8"))
    assert committed["paths"].keys() == served["paths"].keys(), "run `make api-types`"
    assert committed["components"] == served["components"], "run `make api-types`"


async def test_the_first_schema_request_leaves_other_requests_answered(
    settings: Settings, runtime: Runtime
) -> None:
    """The schema is built on its first request (over a second of work for some 300 routes):
    built on the event loop it held up every other request of the process meanwhile; built
    off it, a health check sent beside it is answered first, and both requests get the same
    schema as a later one."""
    app = build_app()
    attach_runtime(app, settings, runtime, run_jobs=False)
    done: list[str] = []

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:

        async def get(path: str, name: str) -> httpx.Response:
            response = await client.get(path)
            done.append(name)
            return response

        schema = asyncio.create_task(get("/api/v1/openapi.json", "schema"))
        await asyncio.sleep(0)  # the schema's request is under way first
        other = await get("/healthz", "health")
        first, again = await schema, await client.get("/api/v1/openapi.json")
        twice = await asyncio.gather(*(client.get("/api/v1/openapi.json") for _ in range(3)))
    assert other.status_code == 200
    assert done == ["health", "schema"]
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == twice[0].json()
    assert "/api/v1/reports/agents" in first.json()["paths"]
    assert "Frame" in first.json()["components"]["schemas"]
