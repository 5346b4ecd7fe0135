"""A workspace's business hours, and a team's own hours where they differ (team_id set)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class BusinessHours(Base):
    """One schedule: the workspace's (no team) or a team's.

    Periods and holidays are stored as JSON lists because a schedule is read and written whole.
    Uniqueness of the workspace's own row (team_id NULL) is kept by the action, which holds the
    workspace's write lock while it writes.
    """

    __tablename__ = "business_hours"
    __table_args__ = (UniqueConstraint("workspace_id", "team_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), index=True
    )
    timezone: Mapped[str] = mapped_column(String(64))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # [{"weekday": "monday", "start": "09:00", "end": "18:00"}, ...]
    periods: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # The schedule's own: [{"date": "2026-12-25", "name": "Christmas", "is_recurring": true}, ...]
    holidays: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # A country's holidays from the holidays library (ISO 3166-1 alpha-2, and a subdivision).
    holiday_country: Mapped[str | None] = mapped_column(String(2))
    holiday_subdivision: Mapped[str | None] = mapped_column(String(40))
    # Library holidays by key: public ones worked on, optional ones closed on.
    skipped_holidays: Mapped[list[str]] = mapped_column(JSONType, default=list)
    observed_holidays: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
