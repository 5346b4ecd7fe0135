"""Read cursors: how far each member has read each conversation."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk


class ReadCursor(Base):
    """The latest message a member had seen when they last opened a conversation.

    It only moves forward; the customer's messages after it are unread for that member.
    """

    __tablename__ = "read_cursor"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    last_read_message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL")
    )
    # The creation time of that message: (last_read_at, last_read_message_id) orders like messages.
    last_read_at: Mapped[datetime]
    updated_at: Mapped[datetime]
