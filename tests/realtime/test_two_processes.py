"""Two real `frontdesk serve` processes sharing a database and Redis.

An agent connected to one process receives what happens on the other, and a process that
stops and starts again loses nothing: the agent catches up from its cursor.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio
from websockets.asyncio.client import ClientConnection, connect

from frontdesk.core.clock import FrozenClock
from frontdesk.realtime.redis_broker import CHANNEL
from frontdesk.settings import Settings
from tests.conftest import World

REDIS_URL = os.environ.get("FRONTDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(settings: Settings, port: int) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=settings.resolved_database_url(),
        FRONTDESK_DATA_DIR=str(settings.data_dir),
        FRONTDESK_SECRET_KEY=settings.resolved_secret_key(),
        FRONTDESK_REDIS_URL=REDIS_URL,
        FRONTDESK_PUBLIC_URL=f"http://127.0.0.1:{port}",
        FRONTDESK_RUN_JOBS_IN_SERVER="false",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "frontdesk", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()  # still running past the deadline: its output ends only then
                output = process.communicate()[0]
                pytest.fail(f"server on {port} did not start:\n{output}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


async def agent_socket(base: str, token: str, cursor: int | None = None) -> ClientConnection:
    url = f"ws://{base}/api/v1/realtime" + (f"?cursor={cursor}" if cursor is not None else "")
    return await connect(url, additional_headers={"Cookie": f"frontdesk_session={token}"})


async def frames_until(ws: ClientConnection, want: str, within: float = 10) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    async def read() -> None:
        while True:
            frame = json.loads(await ws.recv())
            seen.append(frame)
            if frame["type"] == want:
                return

    await asyncio.wait_for(read(), within)
    return seen


async def until_it_hears_redis(ws: ClientConnection, world: World) -> None:
    """Until the process behind `ws` hears Redis: a signal published there reaches the socket
    (a process tells Redis it subscribes without waiting for the answer)."""
    probe = json.dumps({"type": "probe"})
    signal = {"kind": "signal", "audience": [f"ws:{world.acme.id}"], "frame": probe, "origin": None}
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        for _ in range(50):
            await client.publish(CHANNEL, json.dumps(signal))
            with contextlib.suppress(TimeoutError):
                await frames_until(ws, "probe", within=0.2)
                return
        pytest.fail("the process never heard Redis")
    finally:
        await client.aclose()


async def reply(base: str, world: World, body: str, client_id: str) -> None:
    bob = world.persona("bob")
    conversation = world.acme.conversations["erin_support"]
    async with httpx.AsyncClient(base_url=f"http://{base}") as client:
        client.cookies.set("frontdesk_session", bob.session_token)
        r = await client.post(
            f"/api/v1/conversations/{conversation.id}/messages",
            json={"body": body, "client_message_id": client_id},
            headers={"X-CSRF-Token": bob.csrf_token},
        )
    assert r.status_code == 201, r.text


@pytest.fixture
def clock() -> FrozenClock:
    # The server processes run on real time: the personas' sessions must be valid now.
    return FrozenClock(datetime.now(UTC))


@pytest.fixture
def redis_available() -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is needed at {REDIS_URL} (make test starts it): {exc}")


async def test_an_agent_on_one_process_hears_what_happens_on_the_other(
    world: World, settings: Settings, redis_available: None
) -> None:
    bob = world.persona("bob")
    with server(settings, free_port()) as first, server(settings, free_port()) as second:
        ws = await agent_socket(first, bob.session_token)
        hello = await frames_until(ws, "hello")
        await until_it_hears_redis(ws, world)
        await reply(second, world, "sent through the other process", "two-1")
        frames = await frames_until(ws, "message.created")
        await ws.close()
    created = frames[-1]
    assert created["data"]["message"]["body"] == "sent through the other process"
    assert created["id"] > hello[-1]["cursor"]


async def test_a_restarted_process_loses_nothing(
    world: World, settings: Settings, redis_available: None
) -> None:
    bob = world.persona("bob")
    port = free_port()
    with server(settings, free_port()) as other:
        with server(settings, port) as first:
            ws = await agent_socket(first, bob.session_token)
            cursor = (await frames_until(ws, "hello"))[-1]["cursor"]
            await reply(other, world, "before the restart", "r-0")
            cursor = (await frames_until(ws, "message.created"))[-1]["id"]
        # The process is gone; the conversation goes on elsewhere.
        await reply(other, world, "while it was down", "r-1")
        await reply(other, world, "still down", "r-2")
        with server(settings, port) as first_again:
            ws = await agent_socket(first_again, bob.session_token, cursor=cursor)
            frames = await frames_until(ws, "ready")
            await reply(other, world, "after the restart", "r-3")
            frames += await frames_until(ws, "message.created")
            await ws.close()
    bodies = [f["data"]["message"]["body"] for f in frames if f["type"] == "message.created"]
    assert bodies == ["while it was down", "still down", "after the restart"]
