"""A raised hand: an agent asking the supervisors for help with one conversation."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk

OPEN = text("resolved_at IS NULL")


class HelpRequest(Base):
    __tablename__ = "help_request"
    __table_args__ = (
        # One raised hand at a time per conversation: two agents raising it at once, one wins.
        Index(
            "uq_help_request_open",
            "conversation_id",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        Index("ix_help_request_workspace_open", "workspace_id", "resolved_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    raised_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(500))
    raised_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
