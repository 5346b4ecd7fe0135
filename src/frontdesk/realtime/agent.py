"""The agent socket: `/api/v1/realtime?cursor=<last event id>&workspace_id=<id>`.

Signed-in members connect with their session cookie (the Origin must be this site's), and
integrations with an API token in the Authorization header. Writes go over REST; the client
sends only `ping`, `typing`, `viewing` and `activity` (the user is doing something: it keeps
the automatic "offline after inactivity" away).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.websockets import WebSocket

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
from frontdesk.core.organisation.live import organisation_keys
from frontdesk.core.routing.presence import touch
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.client_scope import client_scope_of
from frontdesk.core.workspaces.models import Membership
from frontdesk.realtime.connection import CLOSE_SIGNED_OUT, Connection
from frontdesk.realtime.frames import control_frame, signal_frame
from frontdesk.realtime.hub import Hub
from frontdesk.realtime.recheck import credentials_hold, end_if_lapsed
from frontdesk.realtime.socket import LiveSocket, Refused

SESSION_COOKIE = "frontdesk_session"
CLOSE_MEMBERSHIP_ENDED = 4403
SIGNAL_CACHE_SECONDS = 30.0
SEEN_EVERY_SECONDS = 30.0
# The app renews "viewing" every 15 s while a conversation is open; one not renewed for this
# long (a tab asleep, a network gone without a close) is over for everyone else.
VIEWING_EXPIRES_SECONDS = 40.0
ACTIVE_EVERY_SECONDS = 60.0
log = logging.getLogger("frontdesk.realtime.agent")


def _same_origin(websocket: WebSocket, public_url: str) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: no cross-site risk from cookies
    allowed = {urlsplit(public_url).netloc, websocket.headers.get("host", "")}
    return urlsplit(origin).netloc in allowed


async def authenticate(websocket: WebSocket, runtime: Runtime) -> Actor:
    header = websocket.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    now = runtime.clock.now()
    async with runtime.database.unit_session() as db:  # may refresh last-seen times: a write
        if scheme.lower() == "bearer" and token.strip():
            return await actor_from_api_token(db, token.strip(), now)
        cookie = websocket.cookies.get(SESSION_COOKIE)
        if not cookie or not _same_origin(websocket, runtime.public_url):
            raise Refused("sign in first")
        principal = await principal_from_session_token(db, cookie, now)
        raw = websocket.query_params.get("workspace_id")
        try:
            wanted = uuid.UUID(raw) if raw else None
        except ValueError:
            raise Refused("workspace_id is not a valid id") from None
        return await actor_for_principal(db, principal, wanted)


class AgentSocket(LiveSocket):
    """One agent socket's life: catch up, stream, relay signals, clean up."""

    actor: Actor
    _audiences: dict[uuid.UUID, tuple[float, tuple[str, ...]]]

    async def connect(self) -> Connection:
        actor = await authenticate(self.websocket, self.runtime)
        self.actor, self._audiences = actor, {}
        async with self.runtime.database.read_session() as db:
            organisation = await organisation_keys(db, actor.user_id)
        return Connection(
            websocket=self.websocket,
            workspace_id=actor.workspace_id,
            keys=subscription_keys(
                actor.workspace_id, actor.role, actor.user_id, actor.team_ids, actor.client_scope
            )
            | organisation,
            user_id=actor.user_id,
            session_id=actor.session_id,
            token_id=actor.token_id,
            token_creator_id=actor.token_creator_id,
            buffer_size=self.settings.buffer_size,
            watch=end_if_lapsed(self.runtime, self.settings.recheck_seconds),
        )

    def hello_fields(self) -> dict[str, Any]:
        return {
            "workspace_id": str(self.actor.workspace_id),
            "user_id": str(self.actor.user_id) if self.actor.user_id else None,
            "role": self.actor.role,
        }

    async def opened(self) -> None:
        self._viewing: tuple[uuid.UUID, datetime] | None = None
        await self._presence(online=True)
        self._last_active = 0.0
        self._seen_task = asyncio.create_task(self._keep_seen())

    async def closed(self) -> None:
        task = getattr(self, "_seen_task", None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._stop_viewing()
        await self._presence(online=False)

    async def idle(self) -> None:
        viewing = getattr(self, "_viewing", None)
        now = self.runtime.clock.now()
        if viewing and (now - viewing[1]).total_seconds() > VIEWING_EXPIRES_SECONDS:
            await self._stop_viewing()

    async def handle(self, kind: str, message: dict[str, Any]) -> None:
        if kind == "viewing":
            await self._view(message)
        elif kind == "typing":
            await self._relay(kind, message)
        elif kind == "activity":
            await self._active()
        else:
            await super().handle(kind, message)

    async def _touch(self, *, seen: bool, active: bool) -> None:
        if self.actor.user_id is None:
            return
        async with self.runtime.database.write_session() as db:
            await touch(
                db,
                self.actor.workspace_id,
                self.actor.user_id,
                self.runtime.clock.now(),
                seen=seen,
                active=active,
            )
            await db.commit()

    async def _keep_seen(self) -> None:
        """While the app is connected the agent is "seen": the sweep takes an agent offline
        only when no connection has been seen for the workspace's grace period."""
        while True:
            try:
                await self._touch(seen=True, active=False)
            except Exception:  # a busy database must not end the socket
                log.warning("could not record that %s is connected", self.actor.user_id)
            await asyncio.sleep(SEEN_EVERY_SECONDS)

    async def _active(self) -> None:
        """The user did something in the app (throttled): it keeps inactivity-offline away."""
        now = time.monotonic()
        if now - self._last_active < ACTIVE_EVERY_SECONDS:
            return
        self._last_active = now
        await self._touch(seen=True, active=True)

    async def _view(self, message: dict[str, Any]) -> None:
        """A socket views one conversation at a time: opening another, saying it stopped,
        closing, or falling silent (`idle`) ends the previous one for everyone else."""
        conversation_id = await self._conversation_heard(message)
        if conversation_id is None:
            return
        active = bool(message.get("active", True))
        previous = self._viewing[0] if self._viewing else None
        if active and previous is not None and previous != conversation_id:
            await self._signal_viewing(previous, active=False)
        if active:
            self._viewing = (conversation_id, self.runtime.clock.now())
        elif previous == conversation_id:
            self._viewing = None
        await self._signal_viewing(conversation_id, active=active)

    async def _stop_viewing(self) -> None:
        viewing = getattr(self, "_viewing", None)
        self._viewing = None
        if viewing is not None:
            await self._signal_viewing(viewing[0], active=False)

    async def _signal_viewing(self, conversation_id: uuid.UUID, *, active: bool) -> None:
        audience = await self._audience(conversation_id)
        if audience is not None:
            frame = signal_frame("viewing", self._signal_data(conversation_id, active))
            await self.hub.signal(audience, frame, sender=self.conn)

    def _signal_data(self, conversation_id: uuid.UUID, active: bool) -> dict[str, Any]:
        return {
            "conversation_id": str(conversation_id),
            "user_id": str(self.actor.user_id) if self.actor.user_id else None,
            "active": active,
        }

    async def _conversation_heard(self, message: dict[str, Any]) -> uuid.UUID | None:
        """The conversation a signal is about, if the member may see it (else they are told)."""
        try:
            conversation_id = uuid.UUID(str(message.get("conversation_id")))
        except ValueError:
            self.conn.offer(control_frame("error", message="conversation_id is not valid"))
            return None
        if await self._audience(conversation_id) is None:
            self.conn.offer(control_frame("error", message="conversation not found"))
            return None
        return conversation_id

    async def _relay(self, kind: str, message: dict[str, Any]) -> None:
        """Typing goes to those who see the conversation (not stored anywhere)."""
        conversation_id = await self._conversation_heard(message)
        audience = await self._audience(conversation_id) if conversation_id else None
        if conversation_id is None or audience is None:
            return
        data = self._signal_data(conversation_id, bool(message.get("active", True)))
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
            if await _channel_type(db, conv.channel_id) == "webchat":
                audience = (*audience, visitor_key(conv.contact_id))
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


async def refresh_keys(runtime: Runtime, hub: Hub, conn: Connection) -> None:
    """Membership or teams changed: listen to exactly what the member may see now (an API
    token's socket: end it if the token no longer holds, e.g. its maker was demoted)."""
    if conn.token_id is not None:
        if not await credentials_hold(runtime, conn):
            conn.drop(CLOSE_SIGNED_OUT, "signed out")
        return
    if conn.user_id is None or conn.visitor:
        return
    async with runtime.database.read_session() as db:
        membership = await db.scalar(
            select(Membership).where(
                Membership.workspace_id == conn.workspace_id, Membership.user_id == conn.user_id
            )
        )
        if membership is None:
            conn.drop(CLOSE_MEMBERSHIP_ENDED, "no longer a member of this workspace")
            return
        role, scope = membership.role, client_scope_of(membership)
        teams = await team_ids_of(db, conn.workspace_id, conn.user_id)
        organisation = await organisation_keys(db, conn.user_id)
    keys = subscription_keys(conn.workspace_id, role, conn.user_id, teams, scope)
    hub.rekey(conn, keys | organisation)
