"""A real server on a loopback port, and socket clients that sign in as the personas."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect

from frontdesk.app import attach_runtime
from frontdesk.core.runtime import Runtime
from frontdesk.realtime.frames_models import FRAME_ADAPTER
from frontdesk.settings import Settings
from tests.conftest import World, build_world


@dataclass
class Live:
    host: str
    world: World
    app: Any
    sockets: list[Socket] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}/api/v1/realtime"

    @property
    def http_url(self) -> str:
        return f"http://{self.host}"

    async def socket(self, name: str, **params: Any) -> Socket:
        persona = self.world.persona(name)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        ws = await connect(
            f"{self.ws_url}?{query}" if query else self.ws_url,
            additional_headers={"Cookie": f"frontdesk_session={persona.session_token}"},
            max_size=2**22,
        )
        sock = Socket(name, ws)
        sock.start()
        self.sockets.append(sock)
        return sock


@dataclass
class Socket:
    name: str
    ws: ClientConnection
    frames: list[dict[str, Any]] = field(default_factory=list)
    # Frames that do not match their model in `realtime/frames_models.py` (checked at teardown).
    unmatched: list[str] = field(default_factory=list)
    closed_code: int | None = None
    _task: asyncio.Task[None] | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self) -> None:
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                self.frames.append(frame)
                self._check(frame)
                self._arrived.set()
        except Exception:  # noqa: S110 - the close code below says what happened
            pass
        self.closed_code = self.ws.close_code
        self._arrived.set()

    def _check(self, frame: dict[str, Any]) -> None:
        if str(frame.get("type", "")).startswith("test."):
            return  # an event a test published to the hub itself, not one of the app's
        try:
            FRAME_ADAPTER.validate_python(frame)
        except ValidationError as exc:
            self.unmatched.append(f"{frame.get('type')}: {exc}")

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.frames if "id" in f and (kind is None or f["type"] == kind)]

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["type"] == kind]

    async def wait_for(self, check: Callable[[Socket], bool], within: float = 5.0) -> None:
        async def loop() -> None:
            while not check(self):
                self._arrived.clear()
                if self.closed_code is not None and not check(self):
                    raise AssertionError(f"{self.name}: socket closed ({self.closed_code})")
                await self._arrived.wait()

        await asyncio.wait_for(loop(), within)

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(frame))

    async def close(self) -> None:
        await self.ws.close()
        if self._task:
            await self._task


async def settle(*sockets: Socket, quiet: float = 0.15) -> None:
    """Wait until no frame has arrived on these sockets for `quiet` seconds."""
    while True:
        before = sum(len(s.frames) for s in sockets)
        await asyncio.sleep(quiet)
        if sum(len(s.frames) for s in sockets) == before:
            return


async def serve(app: Any) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, task, f"127.0.0.1:{port}"


@pytest.fixture
def realtime_settings(settings: Settings) -> Settings:
    return settings


@pytest.fixture
async def live(
    live_routes: FastAPI, realtime_settings: Settings, runtime: Runtime
) -> AsyncIterator[Live]:
    app = live_routes
    attach_runtime(app, realtime_settings, runtime, run_jobs=False)
    world = await build_world(runtime, app)
    server, task, host = await serve(app)
    try:
        running = Live(host=host, world=world, app=app)
        yield running
    finally:
        server.should_exit = True
        await task
    # Every frame the server sent in the test matches its kind's model (the app's types).
    assert [u for s in running.sockets for u in s.unmatched] == []
