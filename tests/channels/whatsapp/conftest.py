"""WhatsApp tests: the app talks to a fake Graph API on a loopback port, and webhooks are
posted to the app signed with the number's app secret, as Meta does."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from frontdesk.settings import Settings
from tests.conftest import World
from tests.fakes.meta import FakeGraph, Number, serve, sign

NUMBER_ID = "1122334455667"  # the business number of the recorded fixtures


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    async with serve(fake):
        yield fake


@pytest.fixture
def settings(settings: Settings, graph: FakeGraph) -> Settings:
    """Every app of these tests calls the fake Graph API."""
    settings.meta_graph_url = graph.graph_url
    return settings


@dataclass
class WhatsApp:
    """A number connected to acme through the API, and the app its webhooks reach."""

    world: World
    graph: FakeGraph
    number: Number
    channel_id: uuid.UUID

    @property
    def workspace_id(self) -> uuid.UUID:
        return self.world.acme.id

    @property
    def url(self) -> str:
        return f"/webhooks/whatsapp/{self.workspace_id}"

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.world.app),  # type: ignore[arg-type]
            base_url="http://testserver",
        )

    async def post(
        self,
        body: dict[str, Any] | bytes,
        *,
        secret: str | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        """POST a webhook body signed with the number's app secret (or `secret`)."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        headers["X-Hub-Signature-256"] = (
            signature if signature is not None else sign(raw, secret or self.number.app_secret)
        )
        async with self.client() as http:
            return await http.post(self.url, content=raw, headers=headers)


async def connect(
    world: World,
    graph: FakeGraph,
    number_id: str = NUMBER_ID,
    *,
    name: str = "Careers +1 555 0100",
    app_secret: str | None = None,
) -> WhatsApp:
    number = graph.add_number(number_id, app_secret=app_secret)
    async with world.client("alice") as alice:
        created = await alice.post(
            "/api/v1/channels",
            json={
                "type": "whatsapp",
                "name": name,
                "team_id": str(world.acme.teams["support"].id),
                "settings": {
                    "phone_number_id": number_id,
                    "business_account_id": number.business_account_id,
                    "display_phone_number": number.display_phone_number,
                },
                "secrets": {"access_token": number.access_token, "app_secret": number.app_secret},
            },
        )
    assert created.status_code == 201, created.text
    return WhatsApp(world, graph, number, uuid.UUID(created.json()["id"]))


@pytest.fixture
async def whatsapp(world: World, graph: FakeGraph) -> WhatsApp:
    return await connect(world, graph)


def runner(runtime: Runtime) -> JobRunner:
    return JobRunner(runtime, build_registry(), worker_id="test")


async def run_jobs(runtime: Runtime, rounds: int = 5) -> int:
    """Run due jobs until none is left (or `rounds` rounds); returns how many ran."""
    ran = 0
    for _ in range(rounds):
        done = await runner(runtime).run_once()
        ran += done
        if not done:
            break
    return ran


async def messages_of(runtime: Runtime, channel_id: uuid.UUID) -> list[Message]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message)
            .where(Message.channel_id == channel_id)
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)


async def count(runtime: Runtime, model: Any) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)
