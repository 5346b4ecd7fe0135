"""Twilio tests: the app sends to a fake Twilio API on a loopback port, and the fake posts
inbound messages and status callbacks to the app's webhooks signed as Twilio signs them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.conftest import World
from tests.fakes.twilio import Account, FakeTwilio, serve

NUMBER = "+15005550006"
WHATSAPP_NUMBER = "+14155238886"
CUSTOMER = "+5511987654321"


@pytest.fixture
async def fake(runtime: Runtime) -> AsyncIterator[FakeTwilio]:
    fake = FakeTwilio()
    async with serve(fake) as url:
        runtime.provider_urls["twilio"] = url
        runtime.provider_urls["twilio_content"] = url
        yield fake


@dataclass
class Twilio:
    """A Twilio channel connected to acme through the API, and the app its webhooks reach."""

    world: World
    fake: FakeTwilio
    account: Account
    channel_id: uuid.UUID
    number: str
    whatsapp: bool = False

    @property
    def url(self) -> str:
        return f"http://testserver/webhooks/twilio/{self.world.acme.id}/{self.channel_id}"

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.world.app),  # type: ignore[arg-type]
            base_url="http://testserver",
        )

    def address(self, number: str) -> str:
        return f"whatsapp:{number}" if self.whatsapp else number

    def form(self, body: str, sender: str = CUSTOMER, **options: Any) -> list[tuple[str, str]]:
        return self.fake.inbound_form(
            self.account,
            to=self.address(self.number),
            from_=self.address(sender),
            body=body,
            **options,
        )

    async def customer_writes(
        self, body: str, sender: str = CUSTOMER, **options: Any
    ) -> httpx.Response:
        return await self.post(self.form(body, sender, **options))

    async def post(
        self, form: list[tuple[str, str]], *, signature: str | None = None
    ) -> httpx.Response:
        async with self.client() as http:
            return await self.fake.post_inbound(
                self.account, self.url, form, signature=signature, client=http
            )

    async def status(self, sid: str, status: str, **options: Any) -> httpx.Response:
        async with self.client() as http:
            return await self.fake.post_status(sid, status, client=http, **options)


async def connect(
    world: World, fake: FakeTwilio, *, whatsapp: bool = False, name: str = "Jobs SMS"
) -> Twilio:
    number = WHATSAPP_NUMBER if whatsapp else NUMBER
    account = fake.add_account(number)
    settings = {"provider": "twilio", "account_sid": account.sid, "phone_number": number}
    async with world.client("alice") as alice:
        created = await alice.post(
            "/api/v1/channels",
            json={
                "type": "whatsapp" if whatsapp else "sms",
                "name": name,
                "team_id": str(world.acme.teams["support"].id),
                "settings": settings,
                "secrets": {"auth_token": account.auth_token},
            },
        )
    assert created.status_code == 201, created.text
    return Twilio(world, fake, account, uuid.UUID(created.json()["id"]), number, whatsapp)


@pytest.fixture
async def sms(world: World, fake: FakeTwilio) -> Twilio:
    return await connect(world, fake)


def runner(runtime: Runtime) -> JobRunner:
    return JobRunner(runtime, build_registry(), worker_id="twilio-test")


async def run_jobs(runtime: Runtime, rounds: int = 5) -> int:
    ran = 0
    for _ in range(rounds):
        done = await runner(runtime).run_once()
        ran += done
        if not done:
            break
    return ran


async def messages_of(
    runtime: Runtime, channel_id: uuid.UUID, direction: str | None = None
) -> list[Message]:
    async with runtime.database.read_session() as db:
        query = select(Message).where(Message.channel_id == channel_id)
        if direction is not None:
            query = query.where(Message.direction == direction)
        rows = await db.scalars(query.order_by(Message.created_at, Message.id))
        return list(rows)


async def reply(
    twilio: Twilio, conversation_id: uuid.UUID, body: str, **fields: Any
) -> httpx.Response:
    async with twilio.world.client("alice") as alice:
        return await alice.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"body": body, "client_message_id": uuid.uuid4().hex, **fields},
        )
