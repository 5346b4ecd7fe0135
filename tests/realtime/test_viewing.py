"""Who is viewing a conversation: it ends when the viewer leaves, however they leave."""

from __future__ import annotations

from typing import Any

import pytest

from frontdesk.core.clock import FrozenClock
from frontdesk.settings import Settings
from tests.realtime.conftest import Live, Socket


@pytest.fixture
def realtime_settings(settings: Settings) -> Settings:
    # Short heartbeats: a silent socket is looked at often (the expiry itself follows the clock).
    return settings.model_copy(update={"realtime_heartbeat_seconds": 0.2})


def viewing(sock: Socket) -> list[tuple[str, bool]]:
    return [(f["data"]["conversation_id"], f["data"]["active"]) for f in sock.of_type("viewing")]


def has(frame: tuple[str, bool]) -> Any:
    return lambda s: frame in viewing(s)


async def heartbeats(sock: Socket, count: int = 2) -> None:
    """Wait for `count` more pings: the server looked at its silent sockets that often."""
    seen = len(sock.of_type("ping"))
    await sock.wait_for(lambda s: len(s.of_type("ping")) >= seen + count)


async def opened(live: Live, name: str) -> Socket:
    sock = await live.socket(name)
    await sock.wait_for(lambda s: bool(s.of_type("hello")))
    return sock


async def test_viewing_ends_on_opening_another_conversation_and_on_closing(live: Live) -> None:
    alice, bob = await opened(live, "alice"), await opened(live, "bob")
    erin = str(live.world.acme.conversations["erin_support"].id)
    frank = str(live.world.acme.conversations["frank_unassigned"].id)
    await bob.send({"type": "viewing", "conversation_id": erin})
    await alice.wait_for(has((erin, True)))
    await bob.send({"type": "viewing", "conversation_id": frank})
    await alice.wait_for(has((frank, True)))
    assert viewing(alice) == [(erin, True), (erin, False), (frank, True)]
    await bob.close()
    await alice.wait_for(has((frank, False)))
    await heartbeats(alice)
    assert viewing(alice) == [(erin, True), (erin, False), (frank, True), (frank, False)]
    await alice.close()


async def test_saying_so_ends_it_once(live: Live) -> None:
    alice, bob = await opened(live, "alice"), await opened(live, "bob")
    erin = str(live.world.acme.conversations["erin_support"].id)
    await bob.send({"type": "viewing", "conversation_id": erin})
    await bob.send({"type": "viewing", "conversation_id": erin, "active": False})
    await alice.wait_for(has((erin, False)))
    await bob.close()
    await heartbeats(alice)
    assert viewing(alice) == [(erin, True), (erin, False)]
    await alice.close()


async def test_a_viewer_who_falls_silent_expires(live: Live, clock: FrozenClock) -> None:
    alice, bob = await opened(live, "alice"), await opened(live, "bob")
    erin = str(live.world.acme.conversations["erin_support"].id)
    await bob.send({"type": "viewing", "conversation_id": erin})
    await alice.wait_for(has((erin, True)))
    await heartbeats(bob, 3)  # the server looked at the silent socket: still viewing
    assert viewing(alice) == [(erin, True)]
    clock.advance(seconds=41)  # nothing renewed it for longer than the expiry
    await alice.wait_for(has((erin, False)))
    await bob.close()
    await heartbeats(alice)
    assert viewing(alice) == [(erin, True), (erin, False)]
    await alice.close()
