"""Webhook subscriptions, their deliveries (one per event and subscription), and team chat hooks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType

ERROR_LENGTH = 500


class WebhookSubscription(Base):
    """A URL that receives the workspace's events of the chosen types, signed with its secret."""

    __tablename__ = "webhook_subscription"

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    # The wire names delivered; empty means every event type of the catalogue.
    event_types: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # The `whsec_...` signing secret, sealed with the server's secret key.
    secret_sealed: Mapped[str] = mapped_column(Text)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    disabled_at: Mapped[datetime | None]
    # Deliveries that failed for good since the last one delivered (the rule that disables it).
    failed_in_a_row: Mapped[int] = mapped_column(default=0)
    # The log's end when it was made: earlier events are never sent to it.
    start_after_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class WebhookDelivery(Base):
    """One event sent (or being sent) to one subscription, with every attempt's answer."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        # An event goes to a subscription once, however often the dispatcher reads it.
        UniqueConstraint("subscription_id", "event_id"),
        Index(
            "ix_webhook_delivery_ws_sub_created", "workspace_id", "subscription_id", "created_at"
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_subscription.id", ondelete="CASCADE")
    )
    # The event log entry it was made from (null for a test ping).
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    event_type: Mapped[str] = mapped_column(String(80))
    # The JSON body, fixed at creation: every attempt sends the same bytes and webhook-id.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_response: Mapped[str | None] = mapped_column(String(ERROR_LENGTH))
    last_error: Mapped[str | None] = mapped_column(String(ERROR_LENGTH))
    last_duration_ms: Mapped[int | None]
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def webhook_id(self) -> str:
        """The Standard Webhooks `webhook-id`: the same on every attempt, for deduplication."""
        return f"msg_{self.id.hex}"


class TeamChatHook(Base):
    """A Slack-compatible incoming webhook told of escalations (of one team, or every team)."""

    __tablename__ = "team_chat_hook"

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    # The incoming webhook URL is itself the credential: sealed, shown only by its hint.
    url_sealed: Mapped[str] = mapped_column(Text)
    url_hint: Mapped[str] = mapped_column(String(120))
    escalations: Mapped[list[str]] = mapped_column(JSONType, default=list)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    last_posted_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(ERROR_LENGTH))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
