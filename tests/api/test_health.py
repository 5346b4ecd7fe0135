from __future__ import annotations

import httpx

from tests.conftest import World


async def test_healthz_answers_while_the_process_lives(anon: httpx.AsyncClient) -> None:
    response = await anon.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_the_database_at_head(anon: httpx.AsyncClient) -> None:
    response = await anon.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["revision"] == body["head"] is not None


async def test_unknown_route_uses_the_error_shape(anon: httpx.AsyncClient) -> None:
    response = await anon.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_world_builds(world: World) -> None:
    assert world.acme.id != world.other.id
