"""Uploading files and fetching them: members upload, signed URLs serve the bytes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep, get_actor
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.actor import Actor
from frontdesk.core.attachments.actions import (
    check_size,
    discard_attachment_files,
    store_attachment,
)
from frontdesk.core.attachments.media import THUMBNAIL_TYPE
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.attachments.queries import access_attachment, get_attachment
from frontdesk.core.attachments.schemas import AttachmentRead
from frontdesk.core.attachments.signing import Variant, signed_urls, verify_signature
from frontdesk.core.attachments.storage import Storage
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.errors import DomainError, Invalid, NotFound
from frontdesk.core.runtime import Runtime

router = APIRouter()

# Room for the multipart boundaries and headers around the file itself.
MULTIPART_OVERHEAD = 16 * 1024
INLINE_TYPES = ("image/", "application/pdf")

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "conversation_id": {
                            "type": "string",
                            "format": "uuid",
                            "description": "The conversation the file is for; without one, the "
                            "file is the member's own picture (PNG, JPEG or WebP), unless "
                            "`purpose` says otherwise.",
                        },
                        "purpose": {
                            "type": "string",
                            "enum": ["workflow"],
                            "description": "`workflow`: a file a workflow sends (any file a "
                            "conversation takes; owners and managers, without `conversation_id`).",
                        },
                    },
                }
            }
        },
    }
}


def _storage(runtime: Runtime) -> Storage:
    if runtime.storage is None:
        raise RuntimeError("no storage is configured for attachments")
    return runtime.storage


def _read(runtime: Runtime, attachment: Attachment) -> AttachmentRead:
    urls = signed_urls(
        runtime.secrets, attachment, runtime.clock.now(), base_url=runtime.public_url
    )
    return AttachmentRead.build(attachment, urls)


def check_declared_length(request: Request, max_bytes: int) -> None:
    """Refuse a body announced as too large before reading any of it."""
    try:
        length = int(request.headers.get("content-length", "0"))
    except ValueError:
        length = 0
    check_size(max(0, length - MULTIPART_OVERHEAD), max_bytes)


def _conversation_id(raw: object) -> uuid.UUID | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise Invalid("conversation_id is not a valid id", field="conversation_id")
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise Invalid("conversation_id is not a valid id", field="conversation_id") from None


@router.post("", status_code=201, openapi_extra=UPLOAD_BODY, responses=error_responses(413))
async def upload_attachment(
    request: Request, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> AttachmentRead:
    """Upload one file (multipart field `file`) for a conversation the caller can see; without
    `conversation_id`, a picture of the caller's own (any member may), or with `purpose`
    `workflow` a file a workflow sends in the conversations it runs in (owners and managers)."""
    max_bytes = runtime.attachments_max_bytes
    check_declared_length(request, max_bytes)
    async with request.form(max_files=1, max_fields=4) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise Invalid("send the file in the multipart field 'file'", field="file")
        conversation_id = _conversation_id(form.get("conversation_id"))
        purpose = form.get("purpose")
        if purpose not in (None, "workflow"):
            raise Invalid("purpose must be 'workflow' or left out", field="purpose")
        if purpose == "workflow":
            if conversation_id is not None:
                raise Invalid("a workflow's file belongs to no conversation", field="purpose")
            actor.require_admin()  # those who edit workflows
            picture = False
        elif conversation_id is None:
            picture = True
        else:
            actor.require_writer()
            await access_conversation(uow.session, actor, conversation_id)
            picture = False
        data = await upload.read(max_bytes + 1)  # never more than one byte past the limit
        storage = _storage(runtime)
        attachment = await store_attachment(
            uow,
            storage,
            actor,
            workspace_id=actor.workspace_id,
            conversation_id=conversation_id,
            name=upload.filename,
            declared_type=upload.content_type,
            data=data,
            max_bytes=max_bytes,
            picture=picture,
        )
    try:
        await uow.commit()
    except BaseException:
        await discard_attachment_files(storage, attachment)
        raise
    return _read(runtime, attachment)


@router.get("/{attachment_id}")
async def read_attachment(
    attachment_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> AttachmentRead:
    """The attachment with fresh signed URLs."""
    return _read(runtime, await access_attachment(db, actor, attachment_id))


async def _authorised(
    request: Request,
    runtime: Runtime,
    db: AsyncSession,
    attachment_id: uuid.UUID,
    variant: Variant,
    *,
    exp: int | None,
    sig: str | None,
) -> tuple[Attachment, bool]:
    """The attachment for a valid signature, or for a member who may see it without one.

    Anything else is "not found", so a bad signature gives nothing away. The flag says whether
    a signature authorised the request.
    """
    if sig is not None or exp is not None:
        now = runtime.clock.now()
        if verify_signature(runtime.secrets, attachment_id, variant, exp=exp, sig=sig, now=now):
            found = await get_attachment(db, attachment_id)
            if found is not None:
                return found, True
        raise NotFound("attachment")
    try:
        actor: Actor = await get_actor(request, runtime)
    except DomainError:
        raise NotFound("attachment") from None
    return await access_attachment(db, actor, attachment_id), False


def _disposition(name: str, content_type: str) -> str:
    """Images and PDFs open in the browser; anything else downloads under its safe name."""
    kind = "inline" if content_type.startswith(INLINE_TYPES) else "attachment"
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


async def _serve(
    request: Request,
    runtime: Runtime,
    db: AsyncSession,
    attachment_id: uuid.UUID,
    variant: Variant,
    *,
    exp: int | None,
    sig: str | None,
) -> StreamingResponse:
    attachment, signed = await _authorised(
        request, runtime, db, attachment_id, variant, exp=exp, sig=sig
    )
    key: str | None = attachment.storage_key
    content_type, name = attachment.content_type, attachment.name
    if variant == "thumbnail":
        key, content_type = attachment.thumbnail_key, THUMBNAIL_TYPE
        name = f"{name.rpartition('.')[0] or name}-thumbnail.webp"
    storage = _storage(runtime)
    if key is None or not await storage.exists(key):
        raise NotFound("attachment")
    max_age = 300
    if signed and exp is not None:
        max_age = max(0, min(3600, exp - int(runtime.clock.now().timestamp())))
    headers = {
        "Content-Disposition": _disposition(name, content_type),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": f"private, max-age={max_age}",
    }
    body: AsyncIterator[bytes] = storage.stream(key)
    return StreamingResponse(body, media_type=content_type, headers=headers)


@router.get("/{attachment_id}/content", response_class=StreamingResponse)
async def read_attachment_content(
    attachment_id: uuid.UUID,
    request: Request,
    db: ReaderDep,
    runtime: RuntimeDep,
    exp: int | None = None,
    sig: str | None = None,
) -> StreamingResponse:
    """The file's bytes, for whoever holds a valid signed URL (no cookie needed)."""
    return await _serve(request, runtime, db, attachment_id, "content", exp=exp, sig=sig)


@router.get("/{attachment_id}/thumbnail", response_class=StreamingResponse)
async def read_attachment_thumbnail(
    attachment_id: uuid.UUID,
    request: Request,
    db: ReaderDep,
    runtime: RuntimeDep,
    exp: int | None = None,
    sig: str | None = None,
) -> StreamingResponse:
    """An image's WebP thumbnail (at most 320 px), for whoever holds a valid signed URL."""
    return await _serve(request, runtime, db, attachment_id, "thumbnail", exp=exp, sig=sig)
