"""The channels a provider webhook routes among, kept in memory between deliveries.

Reading a workspace's channels and decrypting their secrets for every delivery costs a read
transaction per webhook; this keeps them per (workspace, channel type) for `ttl_seconds`.

- A channel created, updated or deleted (or a team deleted) through this process drops the
  workspace's entry as soon as the change commits (`forget_changed`, wired to the publisher by
  the composition root), so it takes effect here at once.
- A change committed by another process takes effect here at the latest `ttl_seconds` later;
  sooner when a delivery does not verify, or names a number the kept channels do not have: the
  webhook then reads the channels again before answering (`fresh=True`).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import active_channels_of_type
from frontdesk.core.runtime import Runtime
from frontdesk.db.uow import StoredEvent

log = logging.getLogger("frontdesk.webhooks")

# Events after which a workspace's channels are read again: a channel changed, or a team was
# deleted (which takes the team off its channels).
CHANGE_EVENTS = frozenset({"channel.changed", "team.changed"})
TTL_SECONDS = 5.0


@dataclass(frozen=True)
class OpenChannel:
    """An active channel (detached from any session: read it, never add it to one) and its
    decrypted credentials ({} when it has none or they cannot be decrypted)."""

    channel: Channel
    secrets: dict[str, Any]


@dataclass(frozen=True)
class _Entry:
    channels: tuple[OpenChannel, ...]
    loaded_at: float


class WebhookChannels:
    @classmethod
    def watching(cls, runtime: Runtime) -> WebhookChannels:
        """A cache that every commit made through `runtime` keeps up to date."""
        cache, previous = cls(), runtime.publisher

        async def publish(events: Sequence[StoredEvent]) -> None:
            cache.forget_changed(events)
            await previous(events)

        runtime.publisher = publish
        return cache

    def __init__(
        self, ttl_seconds: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._entries: dict[tuple[uuid.UUID, str], _Entry] = {}
        self._generation = 0

    async def active(
        self, runtime: Runtime, workspace_id: uuid.UUID, type_: str, *, fresh: bool = False
    ) -> tuple[OpenChannel, ...]:
        """The workspace's active channels of `type_`; read from the database when `fresh`."""
        key = (workspace_id, type_)
        entry = self._entries.get(key)
        if not fresh and entry is not None and self._clock() - entry.loaded_at < self.ttl_seconds:
            return entry.channels
        generation, loaded_at = self._generation, self._clock()
        async with runtime.database.read_session() as db:
            channels = await active_channels_of_type(db, workspace_id, type_)
        opened = tuple(OpenChannel(c, _open(runtime, c)) for c in channels)
        if generation == self._generation:  # no change was committed while reading
            self._entries[key] = _Entry(opened, loaded_at)
        return opened

    def forget(self, workspace_id: uuid.UUID | None) -> None:
        self._generation += 1
        for key in [k for k in self._entries if workspace_id is None or k[0] == workspace_id]:
            del self._entries[key]

    def forget_changed(self, events: Sequence[StoredEvent]) -> None:
        """Drop the entries of the workspaces whose channels these committed events changed."""
        for event in events:
            if event.type in CHANGE_EVENTS:
                self.forget(event.workspace_id)


def _open(runtime: Runtime, channel: Channel) -> dict[str, Any]:
    if not channel.secrets_encrypted:
        return {}
    try:
        return runtime.secrets.open(channel.secrets_encrypted)
    except ValueError:  # sealed with another secret key: this channel cannot verify anything
        log.error("%s channel %s: its credentials cannot be decrypted", channel.type, channel.id)
        return {}
