"""A CSV of contacts brought in by a manager, and a merge of two contacts kept for its undo."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class ImportStatus:
    UPLOADED = "uploaded"  # columns and a preview are known; waiting for the mapping
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ContactImport(Base):
    __tablename__ = "contact_import"
    __table_args__ = (
        Index("ix_contact_import_workspace_id_created_at", "workspace_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # No foreign key: the import stays the workspace's record after the member is gone.
    requested_by_user_id: Mapped[uuid.UUID | None]
    file_name: Mapped[str] = mapped_column(String(200))
    file_key: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int]
    encoding: Mapped[str] = mapped_column(String(16))
    delimiter: Mapped[str] = mapped_column(String(1))
    columns: Mapped[list[str]] = mapped_column(JSONType)
    # Column name -> target ("name", "phone", "email", "language", "lifecycle_stage", "tags",
    # "field:<key>"); unmapped columns are left out.
    mapping: Mapped[dict[str, str] | None] = mapped_column(JSONType)
    # The country a number without "+" is read in (ISO 3166 alpha-2), as the user chose.
    default_region: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12))
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_created: Mapped[int] = mapped_column(default=0)
    rows_updated: Mapped[int] = mapped_column(default=0)
    rows_failed: Mapped[int] = mapped_column(default=0)
    # One entry per refused row: {"row": n, "column": name, "code": why, "value": text}.
    row_errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class ContactMergeRecord(Base):
    """What a merge moved from the merged contact to the kept one, so it can be undone."""

    __tablename__ = "contact_merge"
    __table_args__ = (
        Index("ix_contact_merge_workspace_id_created_at", "workspace_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kept_contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    merged_contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    merged_by_user_id: Mapped[uuid.UUID | None]
    moved: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime]
    undone_at: Mapped[datetime | None]
