"""Saved views: a member's named set of inbox filters, private or shared with the workspace."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class SavedView(Base):
    __tablename__ = "saved_view"
    __table_args__ = (Index("ix_saved_view_ws_owner", "workspace_id", "owner_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # Who made it: a private view is theirs alone; a shared one keeps them for attribution.
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    is_shared: Mapped[bool] = mapped_column(default=False)
    # The filters as `ViewFilters` dumps them (JSON mode): statuses, channel, team, tag, ...
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
