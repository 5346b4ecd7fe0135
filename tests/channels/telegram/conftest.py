"""Telegram tests: the app talks to a fake Bot API server on a loopback port, and the fake
posts updates to the app's webhook with the secret token the app registered."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from frontdesk.settings import Settings
from tests.conftest import World
from tests.fakes.telegram import Bot, FakeTelegram, serve

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "telegram"


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return loaded


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


@dataclass
class Telegram:
    fake: FakeTelegram
    url: str


@pytest.fixture
async def telegram() -> AsyncIterator[Telegram]:
    fake = FakeTelegram()
    async with serve(fake) as url:
        yield Telegram(fake=fake, url=url)


@pytest.fixture
def settings(settings: Settings, telegram: Telegram) -> Settings:
    """Every app of these tests points its Bot API client at the fake."""
    settings.telegram_api_url = telegram.url
    return settings


@dataclass
class Connected:
    """A bot connected to acme through the API, and the app its webhook reaches."""

    bot: Bot
    channel_id: uuid.UUID
    fake: FakeTelegram
    app: Any

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://testserver"
        )

    async def post(self, update: dict[str, Any] | bytes, **options: Any) -> httpx.Response:
        async with self.client() as http:
            return await self.fake.post_update(self.bot, update, client=http, **options)


async def connect_bot(world: World, telegram: Telegram, name: str = "alice") -> Connected:
    bot = telegram.fake.add_bot(username=f"acme_{len(telegram.fake.bots)}_bot")
    team = world.acme.teams["support"] if name == "alice" else None
    async with world.client(name) as client:
        body: dict[str, Any] = {"name": "Jobs bot", "bot_token": bot.token}
        if team is not None:
            body["team_id"] = str(team.id)
        r = await client.post("/api/v1/channels/telegram", json=body)
    assert r.status_code == 201, r.text
    return Connected(bot, uuid.UUID(r.json()["id"]), telegram.fake, world.app)


@pytest.fixture
async def connected(world: World, telegram: Telegram) -> Connected:
    connected = await connect_bot(world, telegram)
    telegram.fake.calls.clear()
    return connected


def runner(runtime: Runtime) -> JobRunner:
    return JobRunner(runtime, build_registry(), worker_id="telegram-test")


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
    """The channel's messages one way (automatic notices from routing go the other)."""
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message)
            .where(Message.channel_id == channel_id, Message.direction == direction)
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)
