"""Storing an upload: checked, named safely, thumbnailed when an image, then recorded."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from frontdesk.core.actor import Actor
from frontdesk.core.attachments.media import THUMBNAIL_TYPE, ImageInfo, check_content, image_info
from frontdesk.core.attachments.media import safe_name as make_safe_name
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.attachments.storage import Storage
from frontdesk.core.errors import Forbidden, Invalid, TooLarge
from frontdesk.db.ids import new_id
from frontdesk.db.uow import UnitOfWork

# What a member's own picture may be (a profile picture).
PICTURE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


@dataclass(frozen=True)
class ContactUploader:
    """A website visitor sending a file: the contact they are in `workspace_id`."""

    workspace_id: uuid.UUID
    contact_id: uuid.UUID


def storage_key(workspace_id: uuid.UUID, attachment_id: uuid.UUID, variant: str) -> str:
    return f"{workspace_id}/{attachment_id}/{variant}"


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise TooLarge(f"the file is larger than {max_bytes} bytes", max_bytes=max_bytes)


async def store_attachment(
    uow: UnitOfWork,
    storage: Storage,
    uploader: Actor | ContactUploader,
    *,
    workspace_id: uuid.UUID,
    name: str | None,
    declared_type: str | None,
    data: bytes,
    max_bytes: int,
    conversation_id: uuid.UUID | None = None,
    picture: bool = False,
) -> Attachment:
    """Check and store one file of `workspace_id`; the caller has checked `conversation_id`.

    A `picture` (a member's own, for their profile) belongs to no conversation, must be a PNG,
    JPEG or WebP image, and any member may upload one, viewers included.
    Emits no event: the message that carries the attachment does. Bad input stores nothing.
    """
    if uploader.workspace_id != workspace_id:
        raise Forbidden("uploads go to the uploader's own workspace")
    if isinstance(uploader, Actor) and not picture:
        uploader.require_writer()
    if picture and (not isinstance(uploader, Actor) or uploader.user_id is None):
        raise Forbidden("only a signed-in member uploads a picture of their own")
    check_size(len(data), max_bytes)
    content_type, name = check_content(make_safe_name(name), declared_type, data)
    if picture and (content_type not in PICTURE_TYPES or conversation_id is not None):
        raise Invalid("a picture must be a PNG, JPEG or WebP image", field="file")
    image: ImageInfo | None = None
    if content_type.startswith("image/"):
        image = await asyncio.to_thread(image_info, data)  # decoding is CPU work: off the loop

    attachment_id = new_id()
    key = storage_key(workspace_id, attachment_id, "original")
    await storage.put(key, data, content_type)
    thumbnail_key = None
    if image is not None:
        thumbnail_key = storage_key(workspace_id, attachment_id, "thumbnail")
        await storage.put(thumbnail_key, image.thumbnail, THUMBNAIL_TYPE)

    attachment = Attachment(
        id=attachment_id,
        workspace_id=workspace_id,
        conversation_id=conversation_id,
        uploaded_by_user_id=uploader.user_id if isinstance(uploader, Actor) else None,
        uploaded_by_contact_id=uploader.contact_id
        if isinstance(uploader, ContactUploader)
        else None,
        name=name,
        content_type=content_type,
        size=len(data),
        storage_key=key,
        thumbnail_key=thumbnail_key,
        width=image.width if image else None,
        height=image.height if image else None,
        created_at=uow.now(),
    )
    uow.session.add(attachment)
    try:
        await uow.session.flush()
    except BaseException:
        await discard_attachment_files(storage, attachment)
        raise
    return attachment


async def discard_attachment_files(storage: Storage, attachment: Attachment) -> None:
    """Remove the stored bytes of an attachment whose row was never committed."""
    for key in (attachment.storage_key, attachment.thumbnail_key):
        if key:
            await storage.delete(key)
