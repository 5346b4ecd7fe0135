"""Conversations (a thread with one contact on one channel) and their messages."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class ConversationStatus:
    OPEN = "open"
    PENDING = "pending"
    SNOOZED = "snoozed"
    CLOSED = "closed"
    ALL = (OPEN, PENDING, SNOOZED, CLOSED)


PRIORITIES = ("low", "normal", "high", "urgent")
# Open or pending (routing's HOLDING), as SQL: the predicate of the partial index below.
HOLDING_SQL = "status IN ('open', 'pending')"


class Conversation(Base):
    __tablename__ = "conversation"
    __table_args__ = (
        Index("ix_conversation_ws_status_activity", "workspace_id", "status", "last_activity_at"),
        Index("ix_conversation_ws_assignee_status", "workspace_id", "assignee_id", "status"),
        Index("ix_conversation_ws_team_status", "workspace_id", "team_id", "status"),
        Index("ix_conversation_contact", "contact_id"),
        # A channel's latest activity (the channels overview) without scanning the workspace.
        Index("ix_conversation_channel_activity", "channel_id", "last_activity_at"),
        # The open and pending conversations only, with what the reports count of them now
        # (queue and open per agent, waiting per team or channel): counted from the index
        # alone. A query must write the statuses as literals to use it
        # (`core/reports/reading.is_holding`).
        Index(
            "ix_conversation_holding",
            "workspace_id",
            "assignee_id",
            "team_id",
            "channel_id",
            "waiting_since",
            "status",
            postgresql_where=text(HOLDING_SQL),
            sqlite_where=text(HOLDING_SQL),
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=ConversationStatus.OPEN)
    snoozed_until: Mapped[datetime | None]
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    priority: Mapped[int] = mapped_column(default=1)
    subject: Mapped[str | None] = mapped_column(String(300))
    # Set while the customer waits for a human reply; cleared by one.
    waiting_since: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    # Routing: when it entered its team's queue (None: not waiting there), when the current
    # assignee got it, and the wait last told to the customer (to tell again when it grows).
    queued_at: Mapped[datetime | None]
    assigned_at: Mapped[datetime | None]
    queue_notice_seconds: Mapped[float | None]
    # Why it waits in the queue (set exactly while queued_at is): see routing.QueueReason.
    queue_reason: Mapped[str | None] = mapped_column(String(16))
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    # The workflow run that has the conversation (bot handling): routing leaves it alone until
    # the run hands it over to people or ends. No foreign key: the run refers to it already.
    bot_run_id: Mapped[uuid.UUID | None]
    outcome: Mapped[str | None] = mapped_column(String(80))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    last_activity_at: Mapped[datetime]
    last_inbound_at: Mapped[datetime | None]
    # The inbox row's line: the last message from the customer or an agent's reply (never an
    # automatic message or a note), and when it was written.
    last_message_preview: Mapped[str] = mapped_column(String(200), default="")
    last_message_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]


class Direction:
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class SenderType:
    CONTACT = "contact"
    AGENT = "agent"
    BOT = "bot"
    SYSTEM = "system"


class MessageKind:
    TEXT = "text"
    MEDIA = "media"
    NOTE = "note"
    TEMPLATE = "template"
    # What customers send besides text and files (channels/common.py documents each).
    LOCATION = "location"
    CONTACTS = "contacts"
    INTERACTIVE = "interactive"  # buttons or a list the agent sends
    INTERACTIVE_REPLY = "interactive_reply"  # the customer's tap on them
    POSTBACK = "postback"
    UNSUPPORTED = "unsupported"  # kept raw: the provider's own type is in `payload`


class DeliveryStatus:
    RECEIVED = "received"
    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("conversation_id", "client_message_id"),
        UniqueConstraint("channel_id", "provider_message_id"),
        Index("ix_message_conversation_created", "conversation_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(8))
    sender_type: Mapped[str] = mapped_column(String(8))
    sender_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(24))
    # A whisper: a note only the assignee and the team's supervisors read (docs/decisions/0022).
    is_whisper: Mapped[bool] = mapped_column(default=False, server_default=false())
    body: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    mentions: Mapped[list[str]] = mapped_column(JSONType, default=list)
    client_message_id: Mapped[str | None] = mapped_column(String(64))
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(12))
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # When a delivery last began handing the message to its provider, until the provider's
    # answer is recorded or it refused: set on a pending message, an attempt was cut short and
    # whether the provider took the message is unknown (docs/subsystems/outbound-delivery.md).
    send_started_at: Mapped[datetime | None]
    # The message this one quotes: its provider id as the provider sent it, and ours when known.
    reply_to_provider_id: Mapped[str | None] = mapped_column(String(200))
    reply_to_message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL")
    )
    # Kind-specific content (a location, shared contacts, a template and its parameters,
    # buttons, a tapped choice, files still being fetched) and, inbound, the provider's own
    # payload as received.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # The customer's reactions: [{"by": "contact", "emoji", "at"}]; an empty emoji is a removal
    # kept so that an older reaction arriving late cannot bring it back.
    reactions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class DeliveryReceipt(Base):
    """A provider's status report (sent, delivered, read, failed) for an outbound message.

    One row per (channel, provider message id, status): a redelivered report is a no-op. A
    report for a message not known yet (the send's answer is still on its way) is parked with
    no `message_id` and applied when the message gets its provider id.
    """

    __tablename__ = "delivery_receipt"
    __table_args__ = (
        UniqueConstraint("channel_id", "provider_message_id", "status"),
        Index("ix_delivery_receipt_parked", "channel_id", "provider_message_id", "message_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    provider_message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    occurred_at: Mapped[datetime | None]
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE")
    )
    # The message id Frontdesk gave the provider to echo in its reports (WhatsApp's
    # `biz_opaque_callback_data`): it finds a message whose send's answer was never recorded.
    our_message_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]


class MessagePart(Base):
    """One provider message of an outbound message sent in several (a long text, then each
    file): the delivery job records each as the provider accepts it, so a retry sends only the
    parts left, and a status report naming any part finds its message."""

    __tablename__ = "message_part"
    __table_args__ = (
        UniqueConstraint("channel_id", "provider_message_id"),
        UniqueConstraint("message_id", "part"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"))
    part: Mapped[int]
    provider_message_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
