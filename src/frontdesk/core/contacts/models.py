"""Contacts, their per-channel identities and custom field values."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType

LIFECYCLE_STAGES = ("new_lead", "hot_lead", "customer", "lost")
FIELD_TYPES = ("text", "number", "date", "boolean", "select")


class Contact(Base):
    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_workspace_name", "workspace_id", "name"),
        Index("ix_contact_workspace_phone", "workspace_id", "phone"),
        Index("ix_contact_workspace_email", "workspace_id", "email"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    # Where the language came from: "detected" (from their messages), "agent" (set by a
    # member, never overwritten by detection) or "provider" (the widget or the provider).
    language_source: Mapped[str | None] = mapped_column(String(16))
    # Detection's running totals per language over the contact's messages (evidence.py).
    language_evidence: Mapped[dict[str, float] | None] = mapped_column(JSONType)
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    lifecycle_stage: Mapped[str | None] = mapped_column(String(24))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ContactIdentity(Base):
    """A contact's id on one channel (WhatsApp wa_id, Messenger PSID, Telegram user id...)."""

    __tablename__ = "contact_identity"
    __table_args__ = (
        UniqueConstraint("channel_id", "provider_id"),
        Index("ix_contact_identity_channel_secondary", "channel_id", "secondary_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    provider_id: Mapped[str] = mapped_column(String(200))
    # Another stable id the provider may send instead of `provider_id` (WhatsApp's
    # business-scoped user id, sent alone by customers who hide their number).
    secondary_id: Mapped[str | None] = mapped_column(String(200))
    profile_name: Mapped[str | None] = mapped_column(String(200))
    extra: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime]


class CustomFieldDefinition(Base):
    __tablename__ = "custom_field_definition"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(120))
    field_type: Mapped[str] = mapped_column(String(16))
    options: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime]
    # An archived field is no longer offered for editing; stored values are kept.
    archived_at: Mapped[datetime | None]


class ContactFieldValue(Base):
    __tablename__ = "contact_field_value"
    __table_args__ = (UniqueConstraint("contact_id", "field_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    field_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("custom_field_definition.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Any] = mapped_column(JSONType)
    updated_at: Mapped[datetime]
