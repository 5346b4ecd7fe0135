"""The agent WebSocket: `/api/v1/realtime?cursor=<last event id>&workspace_id=<id>`.

Signed-in members connect with their session cookie (the Origin must be this site's), and
integrations with an API token in the Authorization header. The socket first says `hello`,
replays what the client missed since `cursor` (or asks it to `resync` when that is older than
the log keeps), says `ready`, then streams live events. Writes go over REST; the client sends
only `ping`, `typing` and `viewing`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.websockets import WebSocket, WebSocketDisconnect

from frontdesk.core.accounts.authn import (
    actor_for_principal,
    actor_from_api_token,
    principal_from_session_token,
    team_ids_of,
)
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.errors import DomainError
from frontdesk.core.events import (
    conversation_audience,
    subscription_keys,
    supervisors_key,
    team_key,
    visitor_key,
)
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Membership
from frontdesk.realtime.connection import Connection
from frontdesk.realtime.frames import control_frame, event_frame, signal_frame
from frontdesk.realtime.hub import Hub
from frontdesk.realtime.log import events_after, latest_event_id, oldest_event_id

log = logging.getLogger("frontdesk.realtime")

SESSION_COOKIE = "frontdesk_session"
CLOSE_POLICY = 1008
CLOSE_MEMBERSHIP_ENDED = 4403
SIGNAL_CACHE_SECONDS = 30.0


@dataclass
class RealtimeSettings:
    heartbeat_seconds: float = 25.0
    buffer_size: int = 1000


def _same_origin(websocket: WebSocket, public_url: str) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: no cross-site risk from cookies
    allowed = {urlsplit(public_url).netloc, websocket.headers.get("host", "")}
    return urlsplit(origin).netloc in allowed


async def _authenticate(websocket: WebSocket, runtime: Runtime) -> Actor:
    header = websocket.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    now = runtime.clock.now()
    async with runtime.database.read_session() as db:
        if scheme.lower() == "bearer" and token.strip():
            return await actor_from_api_token(db, token.strip(), now)
        cookie = websocket.cookies.get(SESSION_COOKIE)
        if not cookie or not _same_origin(websocket, runtime.public_url):
            raise PermissionError("sign in first")
        principal = await principal_from_session_token(db, cookie, now)
        raw = websocket.query_params.get("workspace_id")
        wanted = uuid.UUID(raw) if raw else None
        return await actor_for_principal(db, principal, wanted)


def _cursor(websocket: WebSocket) -> int | None:
    raw = websocket.query_params.get("cursor")
    if raw is None or raw == "":
        return None
    value = int(raw)
    if value < 0:
        raise ValueError("cursor")
    return value


class AgentSocket:
    """One agent socket's life: catch up, stream, relay signals, clean up."""

    def __init__(
        self, websocket: WebSocket, runtime: Runtime, hub: Hub, settings: RealtimeSettings
    ) -> None:
        self.websocket, self.runtime, self.hub, self.settings = websocket, runtime, hub, settings
        self._audiences: dict[uuid.UUID, tuple[float, tuple[str, ...]]] = {}

    async def run(self) -> None:
        ws = self.websocket
        try:
            actor = await _authenticate(ws, self.runtime)
            cursor = _cursor(ws)
        except (DomainError, PermissionError, ValueError) as exc:
            await ws.close(code=CLOSE_POLICY, reason=_reason(exc))
            return
        self.actor = actor
        await ws.accept()
        keys = subscription_keys(actor.workspace_id, actor.role, actor.user_id, actor.team_ids)
        conn = Connection(
            websocket=ws,
            workspace_id=actor.workspace_id,
            keys=keys,
            user_id=actor.user_id,
            session_id=actor.session_id,
            buffer_size=self.settings.buffer_size,
        )
        self.conn = conn
        self.hub.add(conn)
        conn.start()
        try:
            await self._catch_up(cursor)
            await self._presence(online=True)
            await self._read_loop()
        finally:
            self.hub.remove(conn)
            with contextlib.suppress(Exception):
                await self._presence(online=False)
            await conn.close()

    async def _catch_up(self, cursor: int | None) -> None:
        conn = self.conn
        async with self.runtime.database.read_session() as db:
            latest = await latest_event_id(db)
            conn.offer(
                control_frame(
                    "hello",
                    cursor=latest,
                    workspace_id=str(conn.workspace_id),
                    user_id=str(conn.user_id) if conn.user_id else None,
                    role=self.actor.role,
                )
            )
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
                conn.offer(event_frame(event))
        conn.finish_replay(latest)
        conn.offer(control_frame("ready", cursor=latest))

    async def _read_loop(self) -> None:
        ws, conn = self.websocket, self.conn
        heartbeat = self.settings.heartbeat_seconds
        dropped = asyncio.ensure_future(conn.dropped.wait())
        try:
            while not conn.closed:
                receive = asyncio.ensure_future(ws.receive_text())
                done, _ = await asyncio.wait(
                    {receive, dropped}, timeout=heartbeat, return_when=asyncio.FIRST_COMPLETED
                )
                if receive not in done:
                    receive.cancel()
                    with contextlib.suppress(BaseException):
                        await receive
                    if dropped in done:
                        return
                    conn.offer(control_frame("ping"))
                    continue
                try:
                    text = receive.result()
                except (WebSocketDisconnect, RuntimeError):
                    return
                await self._handle(text)
        finally:
            dropped.cancel()

    async def _handle(self, text: str) -> None:
        try:
            message = json.loads(text)
            kind = message.get("type")
        except (ValueError, AttributeError):
            self.conn.offer(control_frame("error", message="frames must be JSON objects"))
            return
        if kind == "ping":
            self.conn.offer(control_frame("pong"))
        elif kind in ("typing", "viewing"):
            await self._relay(kind, message)
        else:
            self.conn.offer(control_frame("error", message=f"unknown frame type {kind!r}"))

    async def _relay(self, kind: str, message: dict[str, Any]) -> None:
        """Typing and viewing go to those who see the conversation (not stored anywhere)."""
        try:
            conversation_id = uuid.UUID(str(message.get("conversation_id")))
        except ValueError:
            self.conn.offer(control_frame("error", message="conversation_id is not valid"))
            return
        audience = await self._audience(conversation_id)
        if audience is None:
            self.conn.offer(control_frame("error", message="conversation not found"))
            return
        data = {
            "conversation_id": str(conversation_id),
            "user_id": str(self.actor.user_id) if self.actor.user_id else None,
            "active": bool(message.get("active", True)),
        }
        await self.hub.signal(audience, signal_frame(kind, data), sender=self.conn)

    async def _audience(self, conversation_id: uuid.UUID) -> tuple[str, ...] | None:
        cached = self._audiences.get(conversation_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        async with self.runtime.database.read_session() as db:
            try:
                conv = await access_conversation(db, self.actor, conversation_id)
            except DomainError:
                return None
            audience = conversation_audience(conv.workspace_id, conv.team_id, [conv.assignee_id])
            channel_type = await _channel_type(db, conv.channel_id)
        if channel_type == "webchat":
            audience = (*audience, visitor_key(conversation_id))
        self._audiences[conversation_id] = (time.monotonic() + SIGNAL_CACHE_SECONDS, audience)
        return audience

    async def _presence(self, *, online: bool) -> None:
        actor = self.actor
        if actor.user_id is None:
            return
        audience = (supervisors_key(actor.workspace_id), *(team_key(t) for t in actor.team_ids))
        data = {"user_id": str(actor.user_id), "online": online}
        await self.hub.signal(audience, signal_frame("presence", data), sender=self.conn)


async def _channel_type(db: AsyncSession, channel_id: uuid.UUID) -> str | None:
    return await db.scalar(select(Channel.type).where(Channel.id == channel_id))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.message[:120]
    if isinstance(exc, ValueError):
        return "cursor must be a non-negative integer"
    return str(exc)[:120]


async def refresh_keys(runtime: Runtime, hub: Hub, conn: Connection) -> None:
    """Membership or teams changed: listen to exactly what the member may see now."""
    if conn.user_id is None:
        return
    async with runtime.database.read_session() as db:
        role = await db.scalar(
            select(Membership.role).where(
                Membership.workspace_id == conn.workspace_id, Membership.user_id == conn.user_id
            )
        )
        if role is None:
            conn.drop(CLOSE_MEMBERSHIP_ENDED, "no longer a member of this workspace")
            return
        teams = await team_ids_of(db, conn.workspace_id, conn.user_id)
    hub.rekey(conn, subscription_keys(conn.workspace_id, role, conn.user_id, teams))


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
                conn.held.append((event.id, event_frame(event)))
            conn.finish_replay(conn.last_event_id)


def install(app: Any, runtime: Runtime, hub: Hub, settings: RealtimeSettings) -> None:
    """Mount the agent socket on the app (called by the composition root)."""

    async def agent_socket(websocket: WebSocket) -> None:
        await AgentSocket(websocket, runtime, hub, settings).run()

    app.add_api_websocket_route("/api/v1/realtime", agent_socket)
