"""One live socket: its audience keys and a bounded send buffer drained by its own task.

A client that stops reading fills its buffer and is dropped; nobody else waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from frontdesk.core.events import CLIENT_KEY_PREFIX

log = logging.getLogger("frontdesk.realtime")

CLOSE_TOO_SLOW = 4008
CLOSE_SIGNED_OUT = 4401
CLOSE_TIMEOUT_SECONDS = 2.0
# How many sent event ids a socket remembers to refuse a second copy. Concurrent commits may
# publish in the opposite order of their ids, so a smaller id can arrive after a larger one:
# it must still go out (once), not be taken for a copy of something already sent.
RECENT_IDS = 256


@dataclass(eq=False)
class Connection:
    websocket: WebSocket
    workspace_id: uuid.UUID
    keys: frozenset[str]
    user_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    # An integration's socket: the token, and the member whose standing keeps it alive.
    token_id: uuid.UUID | None = None
    token_creator_id: uuid.UUID | None = None
    visitor: bool = False
    buffer_size: int = 1000
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    # While replaying from the log, live event frames wait here (id, frame), in arrival order.
    replaying: bool = True
    held: list[tuple[int, str]] = field(default_factory=list)
    last_event_id: int = 0
    # Every id at or below the floor was sent (or replayed); above it, `_recent` says which.
    floor: int = 0
    _recent: set[int] = field(default_factory=set)
    _recent_order: deque[int] = field(default_factory=deque)
    closed: bool = False
    close_code: int = 1000
    close_reason: str = ""
    dropped: asyncio.Event = field(default_factory=asyncio.Event)
    # Runs beside the writer while the socket is open (the agent socket's credential recheck).
    watch: Callable[[Connection], Coroutine[Any, Any, None]] | None = None
    _queue: asyncio.Queue[str] = field(init=False)
    _writer: asyncio.Task[None] | None = None
    _watcher: asyncio.Task[None] | None = None

    @property
    def client(self) -> bool:
        """A client viewer's socket (it listens to client keys alone)."""
        return any(key.startswith(CLIENT_KEY_PREFIX) for key in self.keys)

    def __post_init__(self) -> None:
        self._queue = asyncio.Queue(maxsize=self.buffer_size)

    def start(self) -> None:
        self._writer = asyncio.create_task(self._drain(), name=f"socket-writer-{self.id}")
        if self.watch is not None:
            self._watcher = asyncio.create_task(self.watch(self), name=f"socket-watch-{self.id}")

    def offer_event(self, event_id: int, frame: str) -> None:
        """Queue a stored event's frame, once; held back during replay.

        Frames go out in the order the events were published, which is id order except when
        two commits publish in a race; a late smaller id is still sent.
        """
        if self.replaying:
            if len(self.held) >= self.buffer_size:
                self.drop(CLOSE_TOO_SLOW, "too many events while catching up")
                return
            self.held.append((event_id, frame))
            return
        if event_id <= self.floor or event_id in self._recent:
            return  # already sent (by the replay or an earlier copy)
        self._remember(event_id)
        self.last_event_id = max(self.last_event_id, event_id)
        self.offer(frame)

    def _remember(self, event_id: int) -> None:
        self._recent.add(event_id)
        self._recent_order.append(event_id)
        if len(self._recent_order) > RECENT_IDS:
            oldest = self._recent_order.popleft()
            self._recent.discard(oldest)
            self.floor = max(self.floor, oldest)

    def offer(self, frame: str) -> None:
        if self.closed:
            return
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.drop(CLOSE_TOO_SLOW, "the client is not reading fast enough")

    def finish_replay(self, last_replayed: int) -> None:
        """Send what arrived live during the replay and was not in it, then go live."""
        self.last_event_id = max(self.last_event_id, last_replayed)
        self.floor = max(self.floor, last_replayed)
        held, self.held = sorted(self.held), []
        self.replaying = False
        for event_id, frame in held:
            self.offer_event(event_id, frame)

    def drop(self, code: int, reason: str) -> None:
        """Stop sending at once; the endpoint closes the socket (and gives up on a stuck peer)."""
        if self.closed:
            return
        self.closed = True
        self.close_code, self.close_reason = code, reason
        log.info("dropping socket %s: %s", self.id, reason)
        if self._writer is not None:
            self._writer.cancel()
        self.dropped.set()

    async def _drain(self) -> None:
        try:
            while True:
                frame = await self._queue.get()
                await self.websocket.send_text(frame)
        except asyncio.CancelledError:
            raise
        except Exception:  # the peer went away mid-send
            self.drop(1011, "send failed")

    async def close(self) -> None:
        """Close with the recorded code; a peer that never answers is abandoned."""
        self.closed = True
        for task in (self._writer, self._watcher):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.websocket.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self.websocket.close(code=self.close_code, reason=self.close_reason),
                    CLOSE_TIMEOUT_SECONDS,
                )
