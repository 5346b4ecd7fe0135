"""Stored embeddings: one row per conversation and one per canned response.

Vectors are float32 bytes (`encoder.to_bytes`), portable to both databases. `source_at` is
the time of what was embedded (the conversation's last customer message, the canned response's
last edit), so the job knows a row is stale without reading any text.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base


class ConversationEmbedding(Base):
    __tablename__ = "conversation_embedding"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    # What the customer wrote, from the start: what the conversation is about.
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    # The last customer message alone: what a reply answers.
    last_message_vector: Mapped[bytes] = mapped_column(LargeBinary)
    model: Mapped[str] = mapped_column(String(64))
    source_at: Mapped[datetime]
    computed_at: Mapped[datetime]


class CannedResponseEmbedding(Base):
    __tablename__ = "canned_response_embedding"

    canned_response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("canned_response.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    model: Mapped[str] = mapped_column(String(64))
    source_at: Mapped[datetime]
    computed_at: Mapped[datetime]
