"""Signing out on one process closes the session's socket on another, through Redis.

The servers recheck credentials only every 30 s (the default), so a close within 5 s is the
broker's doing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx
from websockets.exceptions import ConnectionClosed

from frontdesk.settings import Settings
from tests.conftest import World
from tests.realtime.test_two_processes import (
    agent_socket,
    clock,  # noqa: F401 - the servers run on real time
    frames_until,
    free_port,
    redis_available,  # noqa: F401
    server,
    until_it_hears_redis,
)


async def test_signing_out_on_one_process_closes_the_socket_on_the_other(
    world: World,
    settings: Settings,
    redis_available: None,  # noqa: F811
) -> None:
    bob = world.persona("bob")
    with server(settings, free_port()) as first, server(settings, free_port()) as second:
        ws = await agent_socket(first, bob.session_token)
        await frames_until(ws, "hello")
        await until_it_hears_redis(ws, world)
        async with httpx.AsyncClient(base_url=f"http://{second}") as client:
            client.cookies.set("frontdesk_session", bob.session_token)
            signed_out = await client.post(
                "/api/v1/auth/sign-out", headers={"X-CSRF-Token": bob.csrf_token}
            )
        assert signed_out.status_code == 204

        async def until_closed() -> None:
            while True:
                json.loads(await ws.recv())

        with contextlib.suppress(ConnectionClosed):
            await asyncio.wait_for(until_closed(), 5)
        assert ws.close_code == 4401
