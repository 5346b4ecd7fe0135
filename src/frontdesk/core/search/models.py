"""The search documents: one row per searchable message, note or contact.

Rows are written by SQL triggers on `message`, `contact`, `contact_identity` and
`contact_field_value` (docs/decisions/0033-full-text-search.md), never by the application, so
every write path keeps the index in step within its own transaction. The full-text index over
`body` lives outside the models: an FTS5 table `search_index` on SQLite; on PostgreSQL a
column `search_tsv` (`search_vector(body)`, set by a trigger) and its GIN index
(`core/search/index.py`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, BigIntPK


class DocumentKind:
    MESSAGE = "message"
    NOTE = "note"
    # Whispers are indexed but never returned: only their readers see them in the thread.
    WHISPER = "whisper"
    CONTACT = "contact"


class SearchDocument(Base):
    __tablename__ = "search_document"
    __table_args__ = (
        Index("ix_search_document_conversation", "conversation_id"),
        Index("ix_search_document_workspace_kind", "workspace_id", "kind"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), unique=True
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), unique=True
    )
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    channel_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text, default="")
