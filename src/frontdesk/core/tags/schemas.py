"""Tag schemas."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from frontdesk.core.schemas import Input

COLOR = r"^(#[0-9a-fA-F]{6}|[a-z]{3,12})$"


class TagRead(BaseModel):
    id: uuid.UUID
    name: str
    color: str
    is_outcome: bool
    created_at: datetime
    archived_at: datetime | None = Field(
        default=None, description="When archived: no longer offered; where applied, it stays."
    )

    model_config = ConfigDict(from_attributes=True)


class TagCreate(Input):
    name: str = Field(min_length=1, max_length=80)
    color: str = Field(default="gray", pattern=COLOR)
    is_outcome: bool = Field(default=False, description="Offered when closing a conversation.")


class TagUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    color: str | None = Field(default=None, pattern=COLOR)
    is_outcome: bool | None = None
    is_archived: bool | None = Field(
        default=None, description="Archive (true) or restore (false) the tag."
    )
