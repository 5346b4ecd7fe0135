"""Visitor endpoints under /api/widget/v1: config, session, history, send, read receipts.

The visitor token travels in the `X-Visitor-Token` header; it names one contact on one
webchat channel, so a visitor can only ever reach their own messages.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.datastructures import UploadFile

from frontdesk.api.deps import ReaderDep, RuntimeDep, UowDep, client_ip
from frontdesk.api.limits import SlidingWindow
from frontdesk.api.links import linked
from frontdesk.api.openapi_errors import error_responses
from frontdesk.api.v1.attachments import check_declared_length
from frontdesk.core.attachments.actions import (
    ContactUploader,
    discard_attachment_files,
    store_attachment,
)
from frontdesk.core.attachments.media import THUMBNAIL_TYPE
from frontdesk.core.attachments.pictures import member_picture
from frontdesk.core.attachments.queries import attachments_for_message
from frontdesk.core.attachments.schemas import AttachmentRead
from frontdesk.core.attachments.signing import signed_urls
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.errors import Invalid, NotFound, Unauthenticated
from frontdesk.core.webchat import actions
from frontdesk.core.webchat.availability import widget_availability
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
from frontdesk.settings import Settings

router = APIRouter()


# Each limit's window in seconds; how many requests fit in it are settings
# (FRONTDESK_WIDGET_SESSIONS_PER_IP, _MESSAGES_PER_VISITOR, _READS_PER_VISITOR,
# _UPLOADS_PER_VISITOR), defaults 30, 20, 60 and 10.
WINDOWS: dict[str, float] = {
    "sessions_per_ip": 60,
    "messages_per_visitor": 10,
    "reads_per_visitor": 10,
    "uploads_per_visitor": 60,
}


@dataclass
class WidgetLimits:
    """The visitor API's rate limits, kept per app (each app counts its own visitors)."""

    sessions_per_ip: SlidingWindow
    messages_per_visitor: SlidingWindow
    reads_per_visitor: SlidingWindow
    uploads_per_visitor: SlidingWindow

    @classmethod
    def from_settings(cls, settings: Settings) -> WidgetLimits:
        def window(name: str) -> SlidingWindow:
            return SlidingWindow(limit=getattr(settings, f"widget_{name}"), seconds=WINDOWS[name])

        return cls(**{name: window(name) for name in WINDOWS})


def limits(request: Request) -> WidgetLimits:
    state = request.app.state
    if not isinstance(getattr(state, "widget_limits", None), WidgetLimits):
        settings = getattr(state, "settings", None)
        state.widget_limits = WidgetLimits.from_settings(
            settings if isinstance(settings, Settings) else Settings()
        )
    found: WidgetLimits = state.widget_limits
    return found


VISITOR_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


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


@router.get("/channels/{channel_id}/config")
async def read_config(
    channel_id: uuid.UUID, request: Request, uow: UowDep, runtime: RuntimeDep
) -> WidgetConfig:
    channel = await actions.access_webchat_channel(uow.session, channel_id)
    actions.check_origin(channel, request.headers.get("origin"))
    availability = await widget_availability(uow.session, channel, runtime.clock.now())
    return actions.widget_config(channel, runtime.attachments_max_bytes, availability)


@router.post("/channels/{channel_id}/sessions", responses=error_responses(401, 429))
async def start_session(
    channel_id: uuid.UUID,
    data: VisitorSessionCreate,
    request: Request,
    uow: UowDep,
    runtime: RuntimeDep,
) -> VisitorSessionRead:
    """Start or resume a visitor: returns the token to keep and the cursor to listen from."""
    limits(request).sessions_per_ip.hit(client_ip(request), "new chat sessions")
    channel = await actions.access_webchat_channel(uow.session, channel_id)
    actions.check_origin(channel, request.headers.get("origin"))
    _identity, contact, token = await actions.start_visitor_session(
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


@router.get("/channels/{channel_id}/pictures/{attachment_id}", response_class=StreamingResponse)
async def read_agent_picture(
    channel_id: uuid.UUID, attachment_id: uuid.UUID, db: ReaderDep, runtime: RuntimeDep
) -> StreamingResponse:
    """An agent's picture (a WebP of at most 320 px), as `agent.avatar_url` names it.

    Only a file that is, right now, the uploaded picture of a member of the channel's workspace;
    any other attachment is "not found", signed in or not.
    """
    channel = await actions.access_webchat_channel(db, channel_id)
    picture = await member_picture(db, channel.workspace_id, attachment_id)
    storage = runtime.storage
    key = picture.thumbnail_key if picture is not None else None
    if storage is None or key is None or not await storage.exists(key):
        raise NotFound("picture")
    headers = {
        "Cache-Control": "public, max-age=300",
        "Cross-Origin-Resource-Policy": "cross-origin",  # an <img> on the customer's site
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(storage.stream(key), media_type=THUMBNAIL_TYPE, headers=headers)


@router.get("/messages")
async def read_messages(
    visitor: VisitorDep,
    uow: UowDep,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
    cursor: str | None = None,
) -> VisitorMessages:
    page = await actions.list_visitor_messages(
        uow.session, visitor.channel, visitor.identity.contact_id, limit=limit, cursor=cursor
    )
    return page.model_copy(update={"items": [linked(runtime, m) for m in page.items]})


@router.post("/messages", status_code=201, responses=error_responses(429))
async def send_message(
    data: VisitorMessageCreate,
    request: Request,
    visitor: VisitorDep,
    uow: UowDep,
    response: Response,
    runtime: RuntimeDep,
) -> VisitorMessageRead:
    """Send a message; repeating a `client_message_id` returns the first copy with 200."""
    limits(request).messages_per_visitor.hit(visitor.identity.provider_id, "messages")
    attachments = []
    if data.attachment_ids:
        conv = await actions.latest_conversation(
            uow.session, visitor.channel, visitor.identity.contact_id
        )
        attachments = await attachments_for_message(
            uow.session,
            visitor.channel.workspace_id,
            conv.id if conv else uuid.UUID(int=0),
            data.attachment_ids,
            contact_id=visitor.identity.contact_id,
        )
    recorded = await actions.post_visitor_message(
        uow, visitor.channel, visitor.identity, data, attachments=attachments
    )
    read = linked(runtime, visitor_message(recorded.message, None))
    if recorded.created:
        await uow.commit()
    else:
        response.status_code = 200
    return read


@router.post("/read", status_code=204, responses=error_responses(429))
async def mark_read(data: VisitorRead, request: Request, visitor: VisitorDep, uow: UowDep) -> None:
    limits(request).reads_per_visitor.hit(visitor.identity.provider_id, "read receipts")
    await actions.mark_read_by_visitor(uow, visitor.channel, visitor.identity, data.message_id)
    await uow.commit()


@router.post(
    "/attachments",
    status_code=201,
    openapi_extra=VISITOR_UPLOAD_BODY,
    responses=error_responses(413, 429),
)
async def upload_attachment(
    request: Request, visitor: VisitorDep, uow: UowDep, runtime: RuntimeDep
) -> AttachmentRead:
    """A visitor's file (multipart field `file`), then sent with a message's `attachment_ids`."""
    limits(request).uploads_per_visitor.hit(visitor.identity.provider_id, "uploads")
    max_bytes = runtime.attachments_max_bytes
    check_declared_length(request, max_bytes)
    if runtime.storage is None:
        raise RuntimeError("no storage is configured for attachments")
    storage = runtime.storage
    async with request.form(max_files=1, max_fields=2) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise Invalid("send the file in the multipart field 'file'", field="file")
        data = await upload.read(max_bytes + 1)
        attachment = await store_attachment(
            uow,
            storage,
            ContactUploader(
                workspace_id=visitor.channel.workspace_id, contact_id=visitor.identity.contact_id
            ),
            workspace_id=visitor.channel.workspace_id,
            name=upload.filename,
            declared_type=upload.content_type,
            data=data,
            max_bytes=max_bytes,
        )
    try:
        await uow.commit()
    except BaseException:
        await discard_attachment_files(storage, attachment)
        raise
    urls = signed_urls(
        runtime.secrets, attachment, runtime.clock.now(), base_url=runtime.public_url
    )
    return AttachmentRead.build(attachment, urls)
