"""Message templates a provider has approved for a channel (WhatsApp), as last synced."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class TemplateStatus:
    APPROVED = "APPROVED"


class MessageTemplate(Base):
    """One template in one language. The provider owns it: a sync replaces the channel's set."""

    __tablename__ = "message_template"
    __table_args__ = (UniqueConstraint("channel_id", "name", "language"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    provider_template_id: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(512))
    language: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    # The provider's components (header, body with {{1}}..., footer, buttons), as sent.
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    synced_at: Mapped[datetime]
