"""Workspace and member schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input


class WorkspaceRead(BaseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID
    name: str
    slug: str
    timezone: str
    role: str
    created_at: datetime


class WorkspaceUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    timezone: str | None = Field(default=None, min_length=1, max_length=64)


class WorkspaceCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")
    timezone: str = Field(default="UTC", max_length=64)


class TeamBrief(BaseModel):
    id: uuid.UUID
    name: str


class MemberRead(BaseModel):
    user_id: uuid.UUID
    name: str
    email: str
    avatar_url: str | None
    role: str
    is_active: bool
    teams: list[TeamBrief]
    joined_at: datetime


class MemberUpdate(Input):
    role: Literal["owner", "manager", "agent", "viewer"]
