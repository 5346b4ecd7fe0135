"""API channel tests: the app talks to a fake integrator on a loopback port (real HTTP), which
verifies every signed callback and posts customers' messages in with the channel's token."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from frontdesk.channels.api_channel.outbound import ALLOW_PRIVATE_ENV
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.demo.api_channel_demo import FakeIntegrator, serve
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.conftest import World


@pytest.fixture
async def integrator(runtime: Runtime) -> AsyncIterator[FakeIntegrator]:
    fake = FakeIntegrator(clock=lambda: runtime.clock.now().timestamp())
    async with serve(fake):
        yield fake


@dataclass
class Connected:
    channel_id: uuid.UUID
    token: str
    fake: FakeIntegrator
    app: Any
    created: dict[str, Any]

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://testserver"
        )

    async def post(
        self, body: dict[str, Any], key: str | None, token: str | None = None
    ) -> httpx.Response:
        async with self.client() as http:
            return await self.fake.post_message(
                http, self.channel_id, token or self.token, body, key
            )


@pytest.fixture
async def connected(
    world: World, integrator: FakeIntegrator, monkeypatch: pytest.MonkeyPatch
) -> Connected:
    """An API channel of acme (Support team) whose callback URL is the fake, on loopback."""
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    async with world.client("alice") as alice:
        r = await alice.post(
            "/api/v1/channels/api",
            json={
                "name": "Jobs portal",
                "callback_url": integrator.callback_url,
                "team_id": str(world.acme.teams["support"].id),
            },
        )
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    integrator.secret = created["signing_secret"]
    channel_id = uuid.UUID(created["channel"]["id"])
    return Connected(channel_id, created["inbound_token"], integrator, world.app, created)


def runner(runtime: Runtime) -> JobRunner:
    return JobRunner(runtime, build_registry(), worker_id="api-channel-test")


async def run_jobs(runtime: Runtime, rounds: int = 5) -> int:
    """Run due jobs until none is left (or `rounds` rounds); how many ran."""
    ran = 0
    for _ in range(rounds):
        done = await runner(runtime).run_once()
        ran += done
        if not done:
            break
    return ran


async def messages_of(
    runtime: Runtime, channel_id: uuid.UUID, direction: str = "inbound"
) -> list[Message]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message)
            .where(Message.channel_id == channel_id, Message.direction == direction)
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)
