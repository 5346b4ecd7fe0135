"""Workspace and member schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input
from frontdesk.core.workspaces.client_scope import ClientScopeIn, ClientScopeRead
from frontdesk.core.workspaces.settings import (
    MAX_ABANDON_MINUTES,
    MAX_REOPEN_HOURS,
    MAX_SHORT_ABANDON_SECONDS,
    ProductLanguage,
)


class WorkspaceRead(BaseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID
    name: str
    slug: str
    timezone: str
    default_language: ProductLanguage = Field(
        description="Automatic messages use it while a customer's language is not known."
    )
    reopen_within_hours: int = Field(
        description="A customer's message within this many hours of a close reopens the "
        "conversation; 0: always a new one."
    )
    abandon_after_minutes: int = Field(
        description="A customer waiting this long with no human reply has abandoned (reports)."
    )
    short_abandon_seconds: int = Field(
        description="Closed with no reply within this many seconds of the customer's first "
        "message: a short abandon, kept out of the abandonment rate (reports)."
    )
    role: str
    created_at: datetime


class WorkspaceUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    timezone: str | None = Field(default=None, min_length=1, max_length=64)
    default_language: ProductLanguage | None = None
    reopen_within_hours: int | None = Field(default=None, ge=0, le=MAX_REOPEN_HOURS)
    abandon_after_minutes: int | None = Field(default=None, ge=1, le=MAX_ABANDON_MINUTES)
    short_abandon_seconds: int | None = Field(default=None, ge=0, le=MAX_SHORT_ABANDON_SECONDS)


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
    languages: list[str] = Field(
        description="Languages the member speaks (a routing skill): en, pt-BR, vi or ISO 639."
    )
    client_scope: ClientScopeRead | None = Field(
        default=None, description="A client viewer's teams and channels; null: not limited."
    )
    joined_at: datetime


MAX_LANGUAGES = 20


class MemberUpdate(Input):
    role: Literal["owner", "manager", "agent", "viewer"] | None = None
    languages: list[Annotated[str, Field(min_length=2, max_length=8)]] | None = Field(
        default=None, max_length=MAX_LANGUAGES
    )
    client_scope: ClientScopeIn | None = Field(
        default=None,
        description="Limit a viewer to a client's teams and/or channels; null lifts the limit.",
    )
