"""Broadcasts: one message sent to a segment of contacts on one channel, and its recipients."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class BroadcastStatus:
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"
    ALL = (DRAFT, SCHEDULED, SENDING, PAUSED, CANCELLED, DONE)


class RecipientStatus:
    """A recipient's own state; once `sent` its message's status tells the rest."""

    PENDING = "pending"  # waiting for its turn under the channel's pace
    SENT = "sent"  # its message is written and handed to the delivery job
    SKIPPED = "skipped"  # never sent: `reason` says why (opted out, no id on the channel...)
    CANCELLED = "cancelled"  # the broadcast was cancelled before its turn
    ALL = (PENDING, SENT, SKIPPED, CANCELLED)


class Broadcast(Base):
    __tablename__ = "broadcast"
    __table_args__ = (Index("ix_broadcast_ws_created", "workspace_id", "created_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    # Who it goes to (`BroadcastSegment` as JSON) and what (`BroadcastContent` as JSON).
    segment: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    content: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # When it goes: None is "when started"; else this instant, chosen as a local time in
    # `time_zone` (kept to show it back as it was chosen).
    send_at: Mapped[datetime | None]
    time_zone: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=BroadcastStatus.DRAFT)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class BroadcastRecipient(Base):
    """One contact of a started broadcast: the segment is evaluated once, when it starts."""

    __tablename__ = "broadcast_recipient"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "contact_id"),
        Index("ix_broadcast_recipient_broadcast_status", "broadcast_id", "status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    broadcast_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("broadcast.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="SET NULL")
    )
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=RecipientStatus.PENDING)
    # Why it was skipped (`opted_out`, `no_identity`, `outside_window`, `missing_variable`).
    reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
