"""What every live socket does: say hello, catch up from the log, stream, answer pings.

Subclasses decide who is connecting (`connect`), what they may say (`handle`), and what
happens when they arrive and leave.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from frontdesk.core.errors import DomainError
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import latest_event_id
from frontdesk.realtime.connection import Connection
from frontdesk.realtime.frames import control_frame, event_frame
from frontdesk.realtime.hub import Hub
from frontdesk.realtime.log import events_after, oldest_event_id

log = logging.getLogger("frontdesk.realtime")

CLOSE_POLICY = 1008


@dataclass
class RealtimeSettings:
    heartbeat_seconds: float = 25.0
    buffer_size: int = 1000
    # How often an agent socket checks that its session or API token still holds.
    recheck_seconds: float = 30.0


class Refused(Exception):
    """The socket may not open; the message says why (sent as the close reason)."""


def read_cursor(websocket: WebSocket) -> int | None:
    raw = websocket.query_params.get("cursor")
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise Refused("cursor must be a non-negative integer") from None
    if value < 0:
        raise Refused("cursor must be a non-negative integer")
    return value


class LiveSocket:
    def __init__(
        self, websocket: WebSocket, runtime: Runtime, hub: Hub, settings: RealtimeSettings
    ) -> None:
        self.websocket, self.runtime, self.hub, self.settings = websocket, runtime, hub, settings
        self.conn: Connection

    async def connect(self) -> Connection:
        raise NotImplementedError

    def hello_fields(self) -> dict[str, Any]:
        return {}

    async def handle(self, kind: str, message: dict[str, Any]) -> None:
        self.conn.offer(control_frame("error", message=f"unknown frame type {kind!r}"))

    async def opened(self) -> None:
        return None

    async def closed(self) -> None:
        return None

    async def idle(self) -> None:
        """The client has said nothing for a heartbeat: expire what it no longer renews."""
        return None

    async def run(self) -> None:
        ws = self.websocket
        try:
            cursor = read_cursor(ws)
            conn = await self.connect()
        except (DomainError, Refused, ValueError) as exc:
            reason = exc.message if isinstance(exc, DomainError) else str(exc)
            await ws.close(code=CLOSE_POLICY, reason=reason[:120])
            return
        await ws.accept()
        self.conn = conn
        self.hub.add(conn)
        conn.start()
        try:
            await self._catch_up(cursor)
            await self.opened()
            await self._read_loop()
        finally:
            self.hub.remove(conn)
            with contextlib.suppress(Exception):
                await self.closed()
            await conn.close()

    async def _catch_up(self, cursor: int | None) -> None:
        conn = self.conn
        async with self.runtime.database.read_session() as db:
            latest = await latest_event_id(db)
            conn.offer(control_frame("hello", cursor=latest, **self.hello_fields()))
            if cursor is None:
                conn.finish_replay(latest)
                return
            oldest = await oldest_event_id(db)
            missing = oldest is not None and cursor + 1 < oldest and cursor < latest
            if missing or cursor > latest:
                conn.offer(control_frame("resync", cursor=latest))
                conn.finish_replay(latest)
                return
            async for event in events_after(db, conn.workspace_id, cursor, conn.keys, latest):
                conn.offer(event_frame(event, client=conn.client))
        conn.finish_replay(latest)
        conn.offer(control_frame("ready", cursor=latest))

    async def _read_loop(self) -> None:
        ws, conn = self.websocket, self.conn
        dropped = asyncio.ensure_future(conn.dropped.wait())
        try:
            while not conn.closed:
                receive = asyncio.ensure_future(ws.receive_text())
                done, _ = await asyncio.wait(
                    {receive, dropped},
                    timeout=self.settings.heartbeat_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if receive not in done:
                    receive.cancel()
                    with contextlib.suppress(BaseException):
                        await receive
                    if dropped in done:
                        return
                    await self.idle()
                    conn.offer(control_frame("ping"))
                    continue
                try:
                    text = receive.result()
                except (WebSocketDisconnect, RuntimeError):
                    return
                await self._dispatch(text)
        finally:
            dropped.cancel()

    async def _dispatch(self, text: str) -> None:
        try:
            message = json.loads(text)
            kind = str(message["type"])
        except (ValueError, KeyError, TypeError):
            self.conn.offer(control_frame("error", message="frames must be JSON objects"))
            return
        if kind == "ping":
            self.conn.offer(control_frame("pong"))
            return
        try:
            await self.handle(kind, message)
        except DomainError as exc:
            self.conn.offer(control_frame("error", message=exc.message))


async def catch_up_all(runtime: Runtime, hub: Hub) -> None:
    """After a lost broker subscription, send every local socket what it missed from the log."""
    async with runtime.database.read_session() as db:
        latest = await latest_event_id(db)
        for conn in hub.all_connections():
            if conn.closed or conn.last_event_id >= latest:
                continue
            conn.replaying = True
            async for event in events_after(
                db, conn.workspace_id, conn.last_event_id, conn.keys, latest
            ):
                conn.held.append((event.id, event_frame(event, client=conn.client)))
            conn.finish_replay(conn.last_event_id)
