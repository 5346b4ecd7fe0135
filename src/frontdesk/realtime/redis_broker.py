"""Redis pub/sub between app processes: every process hears every commit and signal.

Publishing never fails a request: the change is already committed, and sockets catch up from
the event log. After a lost subscription the hub is told to catch its sockets up. Events whose
publish failed are kept (bounded) and published again, in order, once Redis takes them: a
process whose publish fails just after Redis returns, when the others have already caught up,
would otherwise leave their sockets without those events until their next reconnect.

One install uses one channel (`FRONTDESK_REDIS_CHANNEL`, `frontdesk:live` by default). Redis
pub/sub ignores the database number of the URL, so installs (or test runs) sharing one Redis
must each name their own channel. A process with no sockets (`frontdesk worker`) only
publishes: `open_for_publishing` connects without subscribing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis

from frontdesk.db.uow import StoredEvent
from frontdesk.realtime.broker import EventSink, SignalSink

log = logging.getLogger("frontdesk.realtime.redis")

CHANNEL = "frontdesk:live"
# Event messages kept for publishing again; beyond this the oldest go (the log still has them).
UNSENT_LIMIT = 5000


def _encode_events(events: Sequence[StoredEvent]) -> str:
    return json.dumps(
        {
            "kind": "events",
            "events": [
                {
                    "id": e.id,
                    "workspace_id": str(e.workspace_id) if e.workspace_id else None,
                    "type": e.type,
                    "audience": list(e.audience),
                    "payload": e.payload,
                    "created_at": e.created_at.isoformat(),
                }
                for e in events
            ],
        },
        separators=(",", ":"),
    )


def _decode_events(raw: list[dict[str, Any]]) -> list[StoredEvent]:
    return [
        StoredEvent(
            id=int(e["id"]),
            workspace_id=uuid.UUID(e["workspace_id"]) if e["workspace_id"] else None,
            type=e["type"],
            audience=tuple(e["audience"]),
            payload=e["payload"],
            created_at=datetime.fromisoformat(e["created_at"]),
        )
        for e in raw
    ]


class RedisBroker:
    def __init__(
        self,
        url: str,
        *,
        channel: str = CHANNEL,
        on_reconnect: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.url = url
        self.channel = channel
        self.on_reconnect = on_reconnect
        self._redis: aioredis.Redis | None = None
        self._task: asyncio.Task[None] | None = None
        self._on_events: EventSink | None = None
        self._on_signal: SignalSink | None = None
        self._subscribed = asyncio.Event()
        self._unsent: deque[str] = deque(maxlen=UNSENT_LIMIT)
        self._resend: asyncio.Task[None] | None = None

    async def start(self, on_events: EventSink, on_signal: SignalSink) -> None:
        self._on_events, self._on_signal = on_events, on_signal
        self._redis = aioredis.Redis.from_url(self.url, decode_responses=True)
        self._task = asyncio.create_task(self._listen(), name="redis-broker")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), 5)

    async def open_for_publishing(self) -> None:
        """Connect to publish only: a process with no sockets hears nothing."""
        self._redis = aioredis.Redis.from_url(self.url, decode_responses=True)

    async def _publish(self, message: str) -> bool:
        if self._redis is None:
            return True
        try:
            await self._redis.publish(self.channel, message)
        except Exception as exc:  # committed already: sockets will catch up from the log
            log.warning("could not publish to Redis: %s", exc)
            return False
        return True

    async def publish(self, events: Sequence[StoredEvent]) -> None:
        message = _encode_events(events)
        if self._unsent:  # behind earlier ones that wait: keep the order
            self._unsent.append(message)
        elif not await self._publish(message):
            self._unsent.append(message)
            if self._resend is None or self._resend.done():
                self._resend = asyncio.create_task(self._publish_unsent(), name="redis-resend")

    async def _publish_unsent(self) -> None:
        delay = 0.2
        while self._unsent:
            await asyncio.sleep(delay)
            while self._unsent and await self._publish(self._unsent[0]):
                self._unsent.popleft()
            delay = min(delay * 2, 5.0)

    async def signal(self, audience: tuple[str, ...], frame: str, origin: str | None) -> None:
        message = {"kind": "signal", "audience": list(audience), "frame": frame, "origin": origin}
        await self._publish(json.dumps(message, separators=(",", ":")))

    async def _listen(self) -> None:
        delay, first = 0.2, True
        while True:
            if self._redis is None:
                return
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self._subscribed.set()
                    if not first and self.on_reconnect is not None:
                        await self.on_reconnect()
                    first, delay = False, 0.2
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await self._handle(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("Redis subscription lost (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _handle(self, data: str) -> None:
        try:
            message = json.loads(data)
            if message["kind"] == "events" and self._on_events is not None:
                await self._on_events(_decode_events(message["events"]))
            elif message["kind"] == "signal" and self._on_signal is not None:
                await self._on_signal(
                    tuple(message["audience"]), message["frame"], message["origin"]
                )
        except Exception:
            log.exception("bad message on %s", self.channel)

    async def stop(self) -> None:
        if self._resend is not None:
            self._resend.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._resend
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._redis is not None:
            await self._redis.aclose()
