"""The website visitor's socket: `/api/widget/v1/socket?token=<visitor token>&cursor=<id>`.

It carries only the visitor's own customer-safe events. The visitor may send `typing` (to
the agents of their conversation) and `read` (the replies they have seen).
"""

from __future__ import annotations

import uuid
from typing import Any

from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.conversations.models import ConversationStatus
from frontdesk.core.errors import Unauthenticated
from frontdesk.core.events import conversation_audience, visitor_key
from frontdesk.core.webchat import actions
from frontdesk.realtime.connection import Connection
from frontdesk.realtime.frames import control_frame, signal_frame
from frontdesk.realtime.socket import LiveSocket


class VisitorSocket(LiveSocket):
    channel: Channel
    identity: ContactIdentity

    async def connect(self) -> Connection:
        token = self.websocket.query_params.get("token")
        if not token:
            raise Unauthenticated("give the visitor token")
        async with self.runtime.database.read_session() as db:
            channel, identity = await actions.visitor_identity(db, self.runtime.secrets, token)
        actions.check_origin(channel, self.websocket.headers.get("origin"))
        self.channel, self.identity = channel, identity
        return Connection(
            websocket=self.websocket,
            workspace_id=channel.workspace_id,
            keys=frozenset({visitor_key(identity.contact_id)}),
            visitor=True,
            buffer_size=self.settings.buffer_size,
        )

    def hello_fields(self) -> dict[str, Any]:
        return {"contact_id": str(self.identity.contact_id)}

    async def handle(self, kind: str, message: dict[str, Any]) -> None:
        if kind == "typing":
            await self._typing(bool(message.get("active", True)))
        elif kind == "read":
            await self._read(message.get("message_id"))
        else:
            await super().handle(kind, message)

    async def _typing(self, active: bool) -> None:
        async with self.runtime.database.read_session() as db:
            conv = await actions.latest_conversation(db, self.channel, self.identity.contact_id)
        if conv is None or conv.status == ConversationStatus.CLOSED:
            return
        audience = conversation_audience(conv.workspace_id, conv.team_id, [conv.assignee_id])
        data = {"conversation_id": str(conv.id), "visitor": True, "active": active}
        await self.hub.signal(audience, signal_frame("typing", data), sender=self.conn)

    async def _read(self, raw: object) -> None:
        try:
            message_id = uuid.UUID(str(raw))
        except ValueError:
            self.conn.offer(control_frame("error", message="message_id is not valid"))
            return
        async with self.runtime.uow() as uow:
            await actions.mark_read_by_visitor(uow, self.channel, self.identity, message_id)
            await uow.commit()
