"""A client that stops reading is dropped at its buffer's cap; everyone else keeps up."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
from datetime import UTC, datetime

import pytest

from frontdesk.db.uow import StoredEvent
from frontdesk.realtime.hub import Hub
from frontdesk.settings import Settings
from tests.realtime.conftest import Live

EVENTS = 3000
PAYLOAD = "x" * 4000  # 3,000 frames of 4 KB: far more than the kernel's socket buffers hold


@pytest.fixture
def realtime_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"realtime_buffer_size": 200})


async def open_stalled_socket(live: Live, session_token: str) -> socket.socket:
    """A real WebSocket handshake, then a peer that never reads again (tiny receive buffer)."""
    host, port = live.host.split(":")
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(raw, (host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /api/v1/realtime HTTP/1.1\r\n"
        f"Host: {live.host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Cookie: frontdesk_session={session_token}\r\n\r\n"
    )
    await loop.sock_sendall(raw, request.encode())
    answer = await loop.sock_recv(raw, 1024)
    assert answer.startswith(b"HTTP/1.1 101"), answer
    return raw


async def test_a_stalled_client_is_dropped_and_the_others_get_everything(live: Live) -> None:
    hub: Hub = live.app.state.hub
    stalled = await open_stalled_socket(live, live.world.persona("bob").session_token)
    reader = await live.socket("alice")
    await reader.wait_for(lambda s: bool(s.of_type("hello")))
    deadline = asyncio.get_running_loop().time() + 5
    while hub.connections < 2:
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.02)
    now = datetime.now(UTC)
    audience = (f"ws:{live.world.acme.id}",)
    for i in range(1, EVENTS + 1):
        await hub.dispatch(
            [
                StoredEvent(
                    10_000 + i,
                    live.world.acme.id,
                    "test.flood",
                    audience,
                    {"n": i, "p": PAYLOAD},
                    now,
                )
            ]
        )
        await asyncio.sleep(0)  # let the writers run, as they do between real commits
    await reader.wait_for(lambda s: len(s.events("test.flood")) == EVENTS, within=20)
    numbers = [f["data"]["n"] for f in reader.events("test.flood")]
    assert numbers == list(range(1, EVENTS + 1))
    deadline = asyncio.get_running_loop().time() + 10
    while hub.connections > 1:
        assert asyncio.get_running_loop().time() < deadline, "the stalled client was not dropped"
        await asyncio.sleep(0.05)
    assert reader.closed_code is None
    stalled.close()
    await reader.close()
