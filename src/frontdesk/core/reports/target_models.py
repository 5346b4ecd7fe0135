"""Outcome targets: how many conversations closed with an outcome are expected per period."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk


class OutcomeTarget(Base):
    """`count` closes with `outcome` per `period` (day, week, month): for each agent of a team
    (`each_agent`), for the team as a whole (`team`), or for one agent (`agent`)."""

    __tablename__ = "outcome_target"

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(80))
    count: Mapped[int]
    period: Mapped[str] = mapped_column(String(8))
    applies_to: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
