"""F2, the race at Redis's return: the other processes have resubscribed (and caught up from
the log) when a process publishes its next commit over a pooled connection that died with the
old Redis. The event is committed; it must still reach them, so the broker keeps it and
publishes it again once Redis takes it."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import redis.asyncio

from frontdesk.db.uow import StoredEvent
from frontdesk.realtime.redis_broker import CHANNEL, RedisBroker, _encode_events
from tests.faults.harness import RedisServer, wait_until


def event(n: int) -> StoredEvent:
    return StoredEvent(
        id=n,
        workspace_id=uuid.uuid4(),
        type="message.created",
        audience=("ws:x",),
        payload={"n": n},
        created_at=datetime.now(UTC),
    )


async def test_a_commit_whose_publish_fails_as_redis_returns_still_reaches_the_others() -> None:
    heard: list[int] = []

    async def on_events(events: Sequence[StoredEvent]) -> None:
        heard.extend(e.id for e in events)

    async def ignore(*_: object) -> None:
        return None

    with tempfile.TemporaryDirectory() as workdir:
        server = await RedisServer(Path(workdir)).start()
        listener, publisher = RedisBroker(server.url), RedisBroker(server.url)
        try:
            await listener.start(on_events, ignore)
            await publisher.start(ignore, ignore)
            await publisher.publish([event(1)])
            await wait_until(lambda: 1 in heard, 30, "the listener hearing event 1")
            server.kill()
            await server.start()
            # The listener is back on the channel (a probe published directly reaches it)...
            probe = redis.asyncio.Redis.from_url(server.url)
            try:

                async def resubscribed() -> bool:
                    await probe.publish(CHANNEL, _encode_events([event(0)]))
                    return 0 in heard

                await wait_until(resubscribed, 30, "the listener resubscribing", every=0.2)
            finally:
                await probe.aclose()
            # ...when the publisher commits over its pooled connection to the old Redis.
            await publisher.publish([event(2)])
            await publisher.publish([event(3)])
            await wait_until(lambda: 2 in heard and 3 in heard, 30, "events 2 and 3 heard")
        finally:
            await listener.stop()
            await publisher.stop()
            server.kill()
    assert [n for n in heard if n] == [1, 2, 3]  # each once, in order
