"""Notifications: what needs one member's attention, kept until they read it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk


class NotificationKind:
    MENTION = "mention"
    ASSIGNED = "assigned"
    # Room for what comes next: an SLA about to be missed, an agent's raised hand.
    SLA = "sla"
    HELP = "help"
    # A quality review submitted to its agent, or a reply in its thread.
    REVIEW = "review"
    ALL = (MENTION, ASSIGNED, SLA, HELP, REVIEW)


class Notification(Base):
    """One thing for one member (the recipient) about one conversation."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_ws_user_created", "workspace_id", "user_id", "created_at"),
        Index("ix_notification_ws_user_read", "workspace_id", "user_id", "read_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    # Who caused it: the member who mentioned or assigned (None: a routing rule).
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The note that mentioned the recipient.
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL")
    )
    # What an SLA notice is about: `<target>:<at_risk|breached>` (core/sla/alerts.py).
    detail: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
