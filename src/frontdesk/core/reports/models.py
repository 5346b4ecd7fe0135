"""Report tables: the event-log cursor, per-conversation progress, facts and hourly rollups.

Dimension columns (team, agent, channel) carry no foreign keys on purpose: a fact keeps the
team or agent it was recorded for after that team or member is removed, as history does.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class ReportCursor(Base):
    """How far the report job has read the event log (one row, `id = 1`)."""

    __tablename__ = "report_cursor"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]


class ReportConversation(Base):
    """Where a conversation's current segment stands, as the report job has read it."""

    __tablename__ = "report_conversation"
    # The job looks for customers still waiting on every run: open, unanswered, not abandoned.
    __table_args__ = (
        Index(
            "ix_report_conversation_waiting",
            "is_closed",
            "is_answered",
            "is_abandoned",
            "customer_since",
        ),
    )

    conversation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    segment: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime]
    channel_id: Mapped[uuid.UUID | None]
    team_id: Mapped[uuid.UUID | None]
    assignee_id: Mapped[uuid.UUID | None]
    assigned_at: Mapped[datetime | None]
    assignee_replied: Mapped[bool] = mapped_column(default=False)
    first_assignee_id: Mapped[uuid.UUID | None]
    first_assigned_at: Mapped[datetime | None]
    customer_since: Mapped[datetime | None]
    wait_started_at: Mapped[datetime | None]
    is_answered: Mapped[bool] = mapped_column(default=False)
    is_abandoned: Mapped[bool] = mapped_column(default=False)
    is_closed: Mapped[bool] = mapped_column(default=False)
    # The segment's active work so far (sums of `conversation.worked` spans): its handle time.
    work_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    work_business_seconds: Mapped[float] = mapped_column(Float, default=0.0)


class ReportFact(Base):
    """One measured thing (a first response, a close, a slice of an agent's state), written once."""

    __tablename__ = "report_fact"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_report_fact_workspace_id_at", "workspace_id", "at"),
        Index("ix_report_fact_workspace_id_metric_at", "workspace_id", "metric", "at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(160))
    metric: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(80))
    conversation_id: Mapped[uuid.UUID | None]
    segment: Mapped[int | None]
    team_id: Mapped[uuid.UUID | None]
    agent_id: Mapped[uuid.UUID | None]
    channel_id: Mapped[uuid.UUID | None]
    at: Mapped[datetime]
    seconds: Mapped[float | None] = mapped_column(Float)
    business_seconds: Mapped[float | None] = mapped_column(Float)
    event_id: Mapped[int | None] = mapped_column(BigInteger)


class ReportRollup(Base):
    """Facts of one UTC hour by team, agent, channel, metric and detail: counts, sums, digests."""

    __tablename__ = "report_rollup"
    __table_args__ = (Index("ix_report_rollup_workspace_id_hour", "workspace_id", "hour"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    hour: Mapped[datetime]
    metric: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(80))
    team_id: Mapped[uuid.UUID | None]
    agent_id: Mapped[uuid.UUID | None]
    channel_id: Mapped[uuid.UUID | None]
    count: Mapped[int] = mapped_column(default=0)
    sum_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    sum_business_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    digest: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    business_digest: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
