"""SLA policies (targets per team and priority) and each conversation's SLA clock."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk


class SlaTarget:
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"
    ALL = (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION)


class SlaStatus:
    """Of a conversation's unmet targets: none, all in time, one past its at-risk moment, one
    past its due time."""

    NONE = "none"
    OK = "ok"
    AT_RISK = "at_risk"
    BREACHED = "breached"


class SlaPolicy(Base):
    """Targets in minutes for a team (null: any team) and a priority (null: any priority)."""

    __tablename__ = "sla_policy"
    __table_args__ = (Index("ix_sla_policy_ws_team", "workspace_id", "team_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    priority: Mapped[str | None] = mapped_column(String(16))
    first_response_minutes: Mapped[int | None]
    next_response_minutes: Mapped[int | None]
    resolution_minutes: Mapped[int | None]
    is_business_hours: Mapped[bool] = mapped_column(default=False)
    at_risk_percent: Mapped[int] = mapped_column(Integer, default=80)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ConversationSla(Base):
    """Where a conversation's current segment stands against its policy.

    Clock starts (`started_at`, `customer_since`, `waiting_since`) are kept so the due times
    can be computed again when the team, the priority or the policy changes. Each target has
    its due time, its at-risk moment and which of the two was announced (`alerted`), reset
    when the due time moves; `next_check_at` is the next moment an announcement falls due.
    """

    __tablename__ = "conversation_sla"
    __table_args__ = (
        Index("ix_conversation_sla_check", "next_check_at"),
        Index("ix_conversation_sla_ws_status", "workspace_id", "status"),
    )

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    team_id: Mapped[uuid.UUID | None]
    assignee_id: Mapped[uuid.UUID | None]
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    policy_id: Mapped[uuid.UUID | None]
    segment: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime]
    is_closed: Mapped[bool] = mapped_column(default=False)
    # The segment's first customer message, and its first human reply.
    customer_since: Mapped[datetime | None]
    first_replied_at: Mapped[datetime | None]
    # A customer waiting for the next reply (after the first one).
    waiting_since: Mapped[datetime | None]
    first_response_due_at: Mapped[datetime | None]
    first_response_risk_at: Mapped[datetime | None]
    first_response_alerted: Mapped[str | None] = mapped_column(String(16))
    next_response_due_at: Mapped[datetime | None]
    next_response_risk_at: Mapped[datetime | None]
    next_response_alerted: Mapped[str | None] = mapped_column(String(16))
    resolution_due_at: Mapped[datetime | None]
    resolution_risk_at: Mapped[datetime | None]
    resolution_alerted: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=SlaStatus.NONE)
    next_check_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class SlaCursor(Base):
    """How far the SLA job has read the event log (one row, id 1)."""

    __tablename__ = "sla_cursor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]
