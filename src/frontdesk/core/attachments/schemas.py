"""How an attachment is shown: its checked type and size, and URLs that expire."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from frontdesk.core.attachments.models import Attachment
from frontdesk.core.attachments.signing import SignedUrls


class AttachmentRead(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID | None
    name: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    # Signed and expiring: anyone holding one may fetch the bytes until it expires.
    url: str
    thumbnail_url: str | None
    created_at: datetime

    @classmethod
    def build(cls, attachment: Attachment, urls: SignedUrls) -> AttachmentRead:
        return cls(
            id=attachment.id,
            conversation_id=attachment.conversation_id,
            name=attachment.name,
            content_type=attachment.content_type,
            size=attachment.size,
            width=attachment.width,
            height=attachment.height,
            url=urls.url,
            thumbnail_url=urls.thumbnail_url,
            created_at=attachment.created_at,
        )
