"""An uploaded file: its checked type and size, and where its bytes are stored."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="SET NULL"), index=True
    )
    # An agent uploads, or a website visitor (a contact) does: at most one of the two is set.
    uploaded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    uploaded_by_contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(255))
    # The type sniffed from the bytes, never the one the uploader declared.
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(300))
    thumbnail_key: Mapped[str | None] = mapped_column(String(300))
    width: Mapped[int | None]
    height: Mapped[int | None]
    created_at: Mapped[datetime]
