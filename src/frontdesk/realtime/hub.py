"""The hub of one app process: its live sockets indexed by audience key.

Committed events reach every process through the broker; each hub sends an event to the local
sockets whose keys meet the event's audience, once per socket, in the order they were published
(id order, except that concurrent commits may publish in a race: see `Connection.offer_event`).
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence

from frontdesk.db.uow import StoredEvent
from frontdesk.realtime.broker import Broker
from frontdesk.realtime.connection import CLOSE_SIGNED_OUT, Connection
from frontdesk.realtime.frames import event_frame

log = logging.getLogger("frontdesk.realtime")

# Events after which the keys of a workspace's sockets are worked out again.
MEMBERSHIP_EVENTS = frozenset({"team.changed", "member.changed"})


class Hub:
    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.origin = uuid.uuid4().hex  # tells this process's own signals apart
        self._by_key: dict[str, set[Connection]] = defaultdict(set)
        self._by_workspace: dict[uuid.UUID, set[Connection]] = defaultdict(set)
        self.refresh_keys: Callable[[Connection], Awaitable[None]] | None = None
        # Told of every dispatched batch (organisation admins' load signals).
        self.relay: Callable[[Sequence[StoredEvent]], Awaitable[None]] | None = None

    @property
    def connections(self) -> int:
        return sum(len(c) for c in self._by_workspace.values())

    def all_connections(self) -> list[Connection]:
        return [c for sockets in self._by_workspace.values() for c in sockets]

    async def start(self) -> None:
        await self.broker.start(self.dispatch, self.dispatch_signal)

    def add(self, conn: Connection) -> None:
        self._by_workspace[conn.workspace_id].add(conn)
        for key in conn.keys:
            self._by_key[key].add(conn)

    def remove(self, conn: Connection) -> None:
        self._by_workspace[conn.workspace_id].discard(conn)
        if not self._by_workspace[conn.workspace_id]:
            del self._by_workspace[conn.workspace_id]
        for key in conn.keys:
            sockets = self._by_key.get(key)
            if sockets is not None:
                sockets.discard(conn)
                if not sockets:
                    del self._by_key[key]

    def rekey(self, conn: Connection, keys: frozenset[str]) -> None:
        if conn.keys == keys:
            return
        self.remove(conn)
        conn.keys = keys
        if not conn.closed:
            self.add(conn)

    def local_for(self, audience: Sequence[str]) -> set[Connection]:
        found: set[Connection] = set()
        for key in audience:
            found |= self._by_key.get(key, set())
        return found

    async def dispatch(self, events: Sequence[StoredEvent]) -> None:
        """Hand committed events to the local sockets that may see them."""
        for event in events:
            targets = self.local_for(event.audience)
            if event.workspace_id is not None:
                # `user:<id>` keys name a person, who may have sockets open in several
                # workspaces: an event goes only to the sockets of its own workspace.
                targets = {c for c in targets if c.workspace_id == event.workspace_id}
            if targets:
                frame = event_frame(event)
                client_frame = None  # a client viewer's copy, made when one is a target
                for conn in targets:
                    if conn.client:
                        client_frame = client_frame or event_frame(event, client=True)
                        conn.offer_event(event.id, client_frame)
                    else:
                        conn.offer_event(event.id, frame)
            await self._after(event)
        if self.relay is not None:
            await self.relay(events)

    async def _after(self, event: StoredEvent) -> None:
        if event.type == "user.sessions_revoked":
            self._close_user(event.payload)
            await self._recheck_tokens_of(str(event.payload.get("user_id", "")))
        elif event.type == "session.ended":
            self._close_where(lambda c: str(c.session_id) == event.payload.get("session_id"))
        elif event.type == "api_token.revoked":
            self._close_where(lambda c: str(c.token_id) == event.payload.get("id"))
        elif (
            event.type in MEMBERSHIP_EVENTS
            and event.workspace_id in self._by_workspace
            and self.refresh_keys is not None
        ):
            for conn in list(self._by_workspace[event.workspace_id]):
                await self.refresh_keys(conn)

    def _close_user(self, payload: dict[str, object]) -> None:
        """Sessions were revoked (sign out everywhere, disabled account): end their sockets now."""
        user_id, kept = str(payload.get("user_id", "")), payload.get("kept_session_id")
        for sockets in list(self._by_workspace.values()):
            for conn in list(sockets):
                if str(conn.user_id) == user_id and (kept is None or str(conn.session_id) != kept):
                    conn.drop(CLOSE_SIGNED_OUT, "signed out")

    def _close_where(self, ended: Callable[[Connection], bool]) -> None:
        """One session signed out or one token revoked: end exactly its sockets."""
        for conn in self.all_connections():
            if not conn.visitor and ended(conn):
                conn.drop(CLOSE_SIGNED_OUT, "signed out")

    async def _recheck_tokens_of(self, user_id: str) -> None:
        """A member disabled (in any workspace): the tokens they made, wherever, stop too."""
        if self.refresh_keys is None:
            return
        for conn in self.all_connections():
            if conn.token_id is not None and str(conn.token_creator_id) == user_id:
                await self.refresh_keys(conn)

    async def signal(
        self, audience: tuple[str, ...], frame: str, *, sender: Connection | None
    ) -> None:
        """Send an ephemeral frame to every process; the sender's own socket is skipped."""
        origin = f"{self.origin}:{sender.id}" if sender else self.origin
        await self.broker.signal(audience, frame, origin)

    async def dispatch_signal(
        self, audience: tuple[str, ...], frame: str, origin: str | None
    ) -> None:
        for conn in self.local_for(audience):
            if origin and origin == f"{self.origin}:{conn.id}":
                continue
            conn.offer(frame)

    async def stop(self) -> None:
        await self.broker.stop()
        for sockets in list(self._by_workspace.values()):
            for conn in list(sockets):
                conn.drop(1001, "server shutting down")
