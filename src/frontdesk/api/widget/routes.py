"""Visitor endpoints under /api/widget/v1: config, session, history, send, read receipts.

The visitor token travels in the `X-Visitor-Token` header; it names one contact on one
webchat channel, so a visitor can only ever reach their own messages.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from frontdesk.api.deps import RuntimeDep, UowDep, client_ip
from frontdesk.api.limits import SlidingWindow
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.errors import Unauthenticated
from frontdesk.core.runtime import Runtime
from frontdesk.core.webchat import actions
from frontdesk.core.webchat.schemas import (
    VisitorMessageCreate,
    VisitorMessageRead,
    VisitorMessages,
    VisitorRead,
    VisitorSessionCreate,
    VisitorSessionRead,
    WidgetConfig,
)
from frontdesk.core.webchat.visitor import visitor_message
from frontdesk.db.outbox import latest_event_id

router = APIRouter()

SESSIONS_PER_IP = SlidingWindow(limit=30, seconds=60)
MESSAGES_PER_VISITOR = SlidingWindow(limit=20, seconds=10)
READS_PER_VISITOR = SlidingWindow(limit=60, seconds=10)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class Visitor:
    def __init__(self, channel: Channel, identity: ContactIdentity) -> None:
        self.channel, self.identity = channel, identity


async def get_visitor(
    request: Request,
    runtime: RuntimeDep,
    uow: UowDep,
    token: Annotated[str | None, Header(alias="X-Visitor-Token")] = None,
) -> Visitor:
    if not token:
        raise Unauthenticated("send the visitor token in the X-Visitor-Token header")
    channel, identity = await actions.visitor_identity(uow.session, runtime.secrets, token)
    actions.check_origin(channel, request.headers.get("origin"))
    return Visitor(channel, identity)


VisitorDep = Annotated[Visitor, Depends(get_visitor)]


def _max_upload(runtime: Runtime) -> int:
    return int(getattr(runtime, "attachments_max_bytes", MAX_UPLOAD_BYTES))


@router.get("/channels/{channel_id}/config")
async def read_config(
    channel_id: uuid.UUID, request: Request, uow: UowDep, runtime: RuntimeDep
) -> WidgetConfig:
    channel = await actions.access_webchat_channel(uow.session, channel_id)
    actions.check_origin(channel, request.headers.get("origin"))
    return actions.widget_config(channel, _max_upload(runtime))


@router.post("/channels/{channel_id}/sessions")
async def start_session(
    channel_id: uuid.UUID,
    data: VisitorSessionCreate,
    request: Request,
    uow: UowDep,
    runtime: RuntimeDep,
) -> VisitorSessionRead:
    """Start or resume a visitor: returns the token to keep and the cursor to listen from."""
    SESSIONS_PER_IP.hit(client_ip(request), "new chat sessions")
    channel = await actions.access_webchat_channel(uow.session, channel_id)
    actions.check_origin(channel, request.headers.get("origin"))
    identity, contact, token = await actions.start_visitor_session(
        uow, runtime.secrets, channel, data
    )
    conv = await actions.latest_conversation(uow.session, channel, contact.id)
    read = VisitorSessionRead(
        visitor_token=token,
        contact_id=contact.id,
        name=contact.name,
        conversation_id=conv.id if conv else None,
        cursor=await latest_event_id(uow.session),
    )
    await uow.commit()
    return read


@router.get("/messages")
async def read_messages(
    visitor: VisitorDep,
    uow: UowDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
    cursor: str | None = None,
) -> VisitorMessages:
    return await actions.list_visitor_messages(
        uow.session, visitor.channel, visitor.identity.contact_id, limit=limit, cursor=cursor
    )


@router.post("/messages", status_code=201)
async def send_message(
    data: VisitorMessageCreate, visitor: VisitorDep, uow: UowDep, response: Response
) -> VisitorMessageRead:
    """Send a message; repeating a `client_message_id` returns the first copy with 200."""
    MESSAGES_PER_VISITOR.hit(visitor.identity.provider_id, "messages")
    recorded = await actions.post_visitor_message(
        uow, visitor.channel, visitor.identity, data, attachments=[]
    )
    read = visitor_message(recorded.message, None)
    if recorded.created:
        await uow.commit()
    else:
        response.status_code = 200
    return read


@router.post("/read", status_code=204)
async def mark_read(data: VisitorRead, visitor: VisitorDep, uow: UowDep) -> None:
    READS_PER_VISITOR.hit(visitor.identity.provider_id, "read receipts")
    await actions.mark_read_by_visitor(uow, visitor.channel, visitor.identity, data.message_id)
    await uow.commit()

