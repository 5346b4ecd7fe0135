"""Saved view schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.core.conversations.schemas import Priority, StatusName
from frontdesk.core.schemas import Input
from frontdesk.core.sla.read_schemas import SlaFilter


def _open_only() -> list[StatusName]:
    return ["open"]


class ViewFilters(Input):
    """The inbox filters a view keeps; a filter left out matches every conversation."""

    statuses: list[StatusName] = Field(
        default_factory=_open_only,
        min_length=1,
        max_length=4,
        description="Conversations in any of these statuses.",
    )
    channel_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    tag_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | Literal["unassigned"] | None = Field(
        default=None, description='A member of the workspace, or "unassigned".'
    )
    priorities: list[Priority] = Field(default_factory=list, max_length=4)
    sla: SlaFilter | None = Field(
        default=None, description="Only conversations whose SLA is at risk, or breached."
    )


class SavedViewRead(BaseModel):
    id: uuid.UUID
    name: str
    is_shared: bool = Field(description="Shared with the workspace; otherwise only its owner's.")
    owner_id: uuid.UUID
    filters: ViewFilters
    created_at: datetime
    updated_at: datetime


class SavedViewCreate(Input):
    name: str = Field(min_length=1, max_length=80)
    is_shared: bool = Field(
        default=False, description="Share with the workspace (owners and managers only)."
    )
    filters: ViewFilters


class SavedViewUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    is_shared: bool | None = None
    filters: ViewFilters | None = None


class SavedViewCounts(BaseModel):
    counts: dict[str, int] = Field(
        description="By view id: the conversations the caller may see that match the view."
    )
