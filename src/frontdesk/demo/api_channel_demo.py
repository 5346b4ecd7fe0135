"""The API channel in `frontdesk demo --fake-providers`, and the fake integrator tests use.

`FakeIntegrator` is a small system on the other side of an API channel, served over real HTTP
on a loopback port: it receives the channel's signed callbacks at `/callbacks`, verifies each
one the Standard Webhooks way with the channel's signing secret (keeping what arrived and
whether it verified), answers with whatever status it is told to (503 a few times, 410 for
good...), and posts customers' messages into Frontdesk with the channel's bearer token.

In the demo the workspace gets an API channel "Talenta Jobs Portal (API)" (created on the
first run; a fresh token and secret on every run, since only their hash and sealed copy are
kept) whose callback URL is the fake; a driver then has portal users write in now and then.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from frontdesk.channels.api_channel import API
from frontdesk.channels.api_channel.outbound import ALLOW_PRIVATE_ENV, CALLBACK_SETTING, SECRET_NAME
from frontdesk.channels.api_channel.setup import INBOUND_PATH, TOKEN_HASH_NAME
from frontdesk.channels.api_channel.signature import (
    new_inbound_token,
    new_signing_secret,
    token_hash,
    verify,
)
from frontdesk.channels.http_client import http_client
from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.demo.spec import DEMO_SLUG

log = logging.getLogger("frontdesk.demo")

CHANNEL_NAME = "Talenta Jobs Portal (API)"
RETURNING_SHARE = 0.5
PEOPLE = ("Renata Lima", "Pedro Souza", "Linh Tran", "Grace Miller", "Otávio Reis")
QUESTIONS = (
    "Olá, me candidatei pelo portal. Quando recebo retorno?",
    "Hi, I uploaded my CV on the portal but can't see my application.",
    "Xin chào, tôi muốn đổi lịch phỏng vấn.",
    "Posso me candidatar a duas vagas ao mesmo tempo?",
)


@dataclass
class Received:
    """One callback as it arrived."""

    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int

    @property
    def payload(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.body)
        return loaded


def _type_of(body: bytes) -> str:
    try:
        loaded = json.loads(body)
    except ValueError:
        return ""
    return str(loaded.get("type", "")) if isinstance(loaded, dict) else ""


@dataclass
class FakeIntegrator:
    secret: str = ""
    received: list[Received] = field(default_factory=list)
    # Statuses to answer the next callbacks with, in order; then 200.
    script: list[int] = field(default_factory=list)
    # Statuses for the next callbacks of one type ("conversation.closed"...), before `script`.
    script_for: dict[str, list[int]] = field(default_factory=dict)
    # Answer every callback with this status (a receiver that is gone for good).
    always: int | None = None
    base_url: str = ""
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    # The receiver's clock, for the signature's timestamp tolerance (tests freeze Frontdesk's).
    clock: Callable[[], float] = time.time

    @property
    def callback_url(self) -> str:
        return f"{self.base_url}/callbacks"

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/callbacks", self._callback, methods=["POST"])])

    async def _callback(self, request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        verified = bool(self.secret) and verify(self.secret, headers, body, int(self.clock()))
        kind = _type_of(body)
        if self.script_for.get(kind):
            status = self.script_for[kind].pop(0)
        else:
            status = self.always or (self.script.pop(0) if self.script else 200)
        if not verified:
            status = 401
        self.received.append(Received(headers, body, verified, status))
        self.changed.set()
        if status >= 300:  # noqa: PLR2004 - not a success
            return JSONResponse({"error": "unavailable"}, status_code=status)
        return JSONResponse({"ok": True}, status_code=status)

    async def wait_for(self, count: int, within: float = 5.0) -> list[Received]:
        """Wait until `count` callbacks arrived (a condition, not a sleep)."""
        async with asyncio.timeout(within):
            while len(self.received) < count:
                self.changed.clear()
                await self.changed.wait()
        return self.received

    async def post_message(
        self,
        client: httpx.AsyncClient,
        channel_id: uuid.UUID,
        token: str,
        body: dict[str, Any],
        key: str | None,
    ) -> httpx.Response:
        """Post a customer's message into Frontdesk as an integrator does."""
        headers = {"Authorization": f"Bearer {token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        path = INBOUND_PATH.format(channel_id=channel_id)
        return await client.post(path, json=body, headers=headers)


@contextlib.asynccontextmanager
async def serve(fake: FakeIntegrator, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run the fake (port 0: a free one); yields its base URL."""
    config = uvicorn.Config(fake.app, host=host, port=port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
        await asyncio.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    fake.base_url = f"http://{host}:{bound}"
    try:
        yield fake.base_url
    finally:
        server.should_exit = True
        await task


@dataclass
class ApiChannelDemo:
    fake: FakeIntegrator
    channel_id: uuid.UUID
    token: str
    app_url: str
    customers: list[tuple[str, str]] = field(default_factory=list)
    stack: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    async def close(self) -> None:
        await self.stack.aclose()


async def _demo_channel(runtime: Runtime, callback_url: str, token: str, secret: str) -> Any:
    async with runtime.uow() as uow:
        db = uow.session
        workspace = await db.scalar(select(Workspace).where(Workspace.slug == DEMO_SLUG))
        if workspace is None:
            return None
        channel = await db.scalar(
            select(Channel).where(
                Channel.workspace_id == workspace.id,
                Channel.type == API,
                Channel.name == CHANNEL_NAME,
            )
        )
        now = uow.now()
        if channel is None:
            team_id = await db.scalar(
                select(Channel.team_id)
                .where(Channel.workspace_id == workspace.id, Channel.team_id.is_not(None))
                .order_by(Channel.created_at)
                .limit(1)
            )
            channel = Channel(
                workspace_id=workspace.id,
                type=API,
                name=CHANNEL_NAME,
                settings={},
                team_id=team_id,
                is_active=True,
                created_at=now,
                updated_at=now,
            )
            db.add(channel)
        channel.settings = {CALLBACK_SETTING: callback_url}
        channel.secrets_encrypted = runtime.secrets.seal(
            {TOKEN_HASH_NAME: token_hash(token), SECRET_NAME: secret}
        )
        channel.updated_at = now
        await db.flush()
        channel_id = channel.id
        await uow.commit()
    return channel_id


async def start_api_channel(runtime: Runtime, app_url: str) -> ApiChannelDemo | None:
    """Serve the fake integrator and point the demo's API channel at it; None without the demo
    workspace. The fake is on loopback, so the demo allows private callback URLs."""
    os.environ.setdefault(ALLOW_PRIVATE_ENV, "1")
    fake = FakeIntegrator(secret=new_signing_secret())
    stack = contextlib.AsyncExitStack()
    await stack.enter_async_context(serve(fake))
    token = new_inbound_token()
    channel_id = await _demo_channel(runtime, fake.callback_url, token, fake.secret)
    if channel_id is None:
        await stack.aclose()
        return None
    log.info("demo: API channel %r with its integrator at %s", CHANNEL_NAME, fake.base_url)
    return ApiChannelDemo(fake, channel_id, token, app_url, stack=stack)


async def drive_api_channel(
    demo: ApiChannelDemo, *, every: float, rng: random.Random | None = None
) -> None:
    """A portal user writes in through the integrator every `every` seconds or so."""
    rng = rng or random.Random()
    async with http_client(base_url=demo.app_url, timeout=10) as client:
        while True:
            await asyncio.sleep(every * rng.uniform(0.5, 1.5))
            if demo.customers and rng.random() < RETURNING_SHARE:
                external_id, name = rng.choice(demo.customers)
            else:
                external_id, name = f"portal-{rng.randrange(10_000, 99_999)}", rng.choice(PEOPLE)
                demo.customers.append((external_id, name))
            body = {
                "customer": {"external_id": external_id, "name": name},
                "text": rng.choice(QUESTIONS),
                "metadata": {"source": "jobs-portal"},
            }
            try:
                response = await demo.fake.post_message(
                    client, demo.channel_id, demo.token, body, uuid.uuid4().hex
                )
                log.info("demo portal user %s wrote in: %s", name, response.status_code)
            except Exception:  # the app may be starting or stopping
                log.warning("demo API channel driver could not reach the app", exc_info=True)
