"""Channels: one connected number, page, bot, mailbox or website widget."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType

CHANNEL_TYPES = (
    "whatsapp",
    "messenger",
    "instagram",
    "telegram",
    "email",
    "sms",
    "webchat",
    "api",
)


class Channel(Base):
    __tablename__ = "channel"

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(120))
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # Credentials, encrypted with the secret key; never returned by the API.
    secrets_encrypted: Mapped[str | None] = mapped_column(Text)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class QuarantinedPayload(Base):
    """An authentic provider payload the product could not use, kept as received.

    Answering such a payload 2xx (rather than an error) stops the provider retrying it for
    days or disabling the webhook; keeping it lets an admin see what arrived and why it was set
    aside.
    """

    __tablename__ = "quarantined_payload"
    __table_args__ = (Index("ix_quarantined_payload_ws_created", "workspace_id", "created_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    channel_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE")
    )
    channel_type: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime]
