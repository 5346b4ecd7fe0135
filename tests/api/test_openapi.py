"""The API's published schema, and the app's client generated from it, stay in step."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


async def test_the_app_s_client_was_generated_from_today_s_api(anon: httpx.AsyncClient) -> None:
    served = (await anon.get("/api/v1/openapi.json")).json()
    committed = json.loads((ROOT / "frontend" / "openapi.json").read_text(encoding="utf-8"))
    assert committed["paths"].keys() == served["paths"].keys(), "run `make api-types`"
    assert committed["components"] == served["components"], "run `make api-types`"
