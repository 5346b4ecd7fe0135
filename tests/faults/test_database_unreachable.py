"""A database that cannot be reached is answered 503 with Retry-After (a provider retries it
and nothing was written), not an unexpected 500 that also cuts the client's connection."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from frontdesk.app import create_app
from frontdesk.settings import Settings
from tests.faults.harness import free_port


async def test_a_webhook_while_the_database_refuses_connections_is_told_to_retry(
    tmp_path: Path,
) -> None:
    closed = free_port()  # nothing listens there
    settings = Settings(
        env="test",
        data_dir=tmp_path / "data",
        database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{closed}/gone",
        secret_key="unreachable-secret-key-" + "x" * 32,
        run_jobs_in_server=False,
    )
    app = create_app(settings, run_jobs=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as meta:
        response = await meta.post(
            f"/webhooks/whatsapp/{uuid.uuid4()}",
            content=b'{"object":"whatsapp_business_account","entry":[]}',
            headers={"X-Hub-Signature-256": "sha256=" + "0" * 64},
        )
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "service_unavailable"
