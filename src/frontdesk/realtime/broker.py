"""Brokers carry committed events and ephemeral signals to every app process's hub.

In-process by default; Redis pub/sub when several processes serve the same database. A broker
is never on the durability path: a lost publish is made good by replay from the event log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from frontdesk.db.uow import StoredEvent

EventSink = Callable[[Sequence[StoredEvent]], Awaitable[None]]
SignalSink = Callable[[tuple[str, ...], str, str | None], Awaitable[None]]


class Broker(Protocol):
    async def start(self, on_events: EventSink, on_signal: SignalSink) -> None: ...

    async def publish(self, events: Sequence[StoredEvent]) -> None: ...

    async def signal(self, audience: tuple[str, ...], frame: str, origin: str | None) -> None: ...

    async def stop(self) -> None: ...


class InProcessBroker:
    """One process: hand events and signals straight to the local hub."""

    def __init__(self) -> None:
        self._on_events: EventSink | None = None
        self._on_signal: SignalSink | None = None

    async def start(self, on_events: EventSink, on_signal: SignalSink) -> None:
        self.connect(on_events, on_signal)

    def connect(self, on_events: EventSink, on_signal: SignalSink) -> None:
        """Wire the hub at once: nothing to start for a single process."""
        self._on_events, self._on_signal = on_events, on_signal

    async def publish(self, events: Sequence[StoredEvent]) -> None:
        if self._on_events is not None:
            await self._on_events(events)

    async def signal(self, audience: tuple[str, ...], frame: str, origin: str | None) -> None:
        if self._on_signal is not None:
            await self._on_signal(audience, frame, origin)

    async def stop(self) -> None:
        self._on_events = self._on_signal = None
