"""Team schemas."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input

MAX_TEAM_MEMBERS = 500


class TeamMemberRead(BaseModel):
    user_id: uuid.UUID
    name: str
    is_supervisor: bool = Field(
        default=False, description="A team lead: supervises this team (wallboard, monitor...)."
    )


class TeamRead(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    members: list[TeamMemberRead]
    member_count: int
    open_conversation_count: int = Field(
        description="Conversations of the team that are not closed."
    )
    channel_count: int
    created_at: datetime
    archived_at: datetime | None = Field(
        description="When the team was archived: left out of pickers, it receives nothing new."
    )


class TeamCreate(Input):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=500)
    user_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_TEAM_MEMBERS)


class TeamUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=500)


class TeamMembersSet(Input):
    user_ids: list[uuid.UUID] = Field(max_length=MAX_TEAM_MEMBERS)


class TeamMemberAdd(Input):
    user_id: uuid.UUID


class TeamSupervisorSet(Input):
    is_supervisor: bool = Field(description="Whether the member leads (supervises) the team.")
