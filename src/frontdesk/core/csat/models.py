"""A survey sent on a close, and the customer's answer to it (one row per close)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk


class CsatResponse(Base):
    """The survey of one segment of a conversation (the part that ends with a close).

    Written when the survey is sent (`rating` empty); the customer's answer fills `rating`
    (1-5), once. The team, agent (the assignee at the close) and channel are those of the close,
    which is what the answer is about.
    """

    __tablename__ = "csat_response"
    __table_args__ = (
        UniqueConstraint("conversation_id", "segment"),
        # The inbound path looks for a contact's survey awaiting an answer on a channel.
        Index("ix_csat_response_waiting", "channel_id", "contact_id", "answered_at"),
        Index("ix_csat_response_workspace_id_sent_at", "workspace_id", "sent_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    # 1 for the first close that sent a survey, then 2... (a reopened and closed again
    # conversation is a new segment).
    segment: Mapped[int]
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    # No foreign keys: the answer keeps the team and agent it was about after they are removed.
    team_id: Mapped[uuid.UUID | None]
    agent_id: Mapped[uuid.UUID | None]
    closed_by_id: Mapped[uuid.UUID | None]
    closed_at: Mapped[datetime]
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL")
    )
    language: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    rating: Mapped[int | None]
    answered_at: Mapped[datetime | None]
    answer_message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL")
    )
