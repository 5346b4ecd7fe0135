"""An export a member (or an API token) asked for: what, in which format, and how far it got."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class ExportStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportExport(Base):
    __tablename__ = "report_export"
    __table_args__ = (
        Index("ix_report_export_workspace_id_created_at", "workspace_id", "created_at"),
        Index("ix_report_export_expires_at", "expires_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # Who asked: a member, or an API token (its own principal). No foreign keys: the export
    # stays the workspace's record after the member or token is gone.
    requested_by_user_id: Mapped[uuid.UUID | None]
    requested_by_token_id: Mapped[uuid.UUID | None]
    kind: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(8))
    # The period as resolved when asked (start, end, zone) and the filters, as given.
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(12))
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int | None]
    file_key: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
