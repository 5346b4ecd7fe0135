"""Messenger tests: the app talks to a fake Graph API on a loopback port, and webhooks are
posted to the app signed with the Page's app secret, as Meta does. Instagram's tests use the
same helpers with `kind="instagram"`."""

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
from tests.fakes.messenger import FakeGraph, Page, serve, sign

PAGE_ID = "113159190077727"  # the Page of the recorded fixture
PSID = "3135154219859294"  # its customer


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    async with serve(fake):
        yield fake


@pytest.fixture
def settings(settings: Settings, graph: FakeGraph) -> Settings:
    settings.meta_graph_url = graph.graph_url
    return settings


@dataclass
class MetaChannel:
    """A Page (or Instagram account) connected to acme through the API."""

    world: World
    graph: FakeGraph
    page: Page
    channel_id: uuid.UUID
    kind: str = "messenger"

    @property
    def workspace_id(self) -> uuid.UUID:
        return self.world.acme.id

    @property
    def runtime(self) -> Runtime:
        return self.world.app.state.runtime  # type: ignore[attr-defined, no-any-return]

    @property
    def url(self) -> str:
        return f"/webhooks/{self.kind}/{self.workspace_id}"

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.world.app),  # type: ignore[arg-type]
            base_url="http://testserver",
        )

    async def post(
        self, body: dict[str, Any] | bytes, *, signature: str | None = None
    ) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": signature
            if signature is not None
            else sign(raw, self.page.app_secret),
        }
        async with self.client() as http:
            return await http.post(self.url, content=raw, headers=headers)


async def connect(
    world: World, graph: FakeGraph, page_id: str = PAGE_ID, *, kind: str = "messenger"
) -> MetaChannel:
    page = graph.add_page(page_id, instagram=kind == "instagram", name="Acme Shoes")
    setting = "account_id" if kind == "instagram" else "page_id"
    async with world.client("alice") as alice:
        created = await alice.post(
            "/api/v1/channels",
            json={
                "type": kind,
                "name": f"Acme on {kind}",
                "team_id": str(world.acme.teams["support"].id),
                "settings": {setting: page_id},
                "secrets": {"access_token": page.access_token, "app_secret": page.app_secret},
            },
        )
    assert created.status_code == 201, created.text
    return MetaChannel(world, graph, page, uuid.UUID(created.json()["id"]), kind)


@pytest.fixture
async def messenger(world: World, graph: FakeGraph) -> MetaChannel:
    return await connect(world, graph)


async def run_jobs(runtime: Runtime, rounds: int = 5) -> int:
    ran = 0
    for _ in range(rounds):
        done = await JobRunner(runtime, build_registry(), worker_id="test").run_once()
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
