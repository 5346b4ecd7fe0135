"""Canned response schemas."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input

SHORTCUT_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
MAX_BODY_LENGTH = 10_000


class CannedResponseRead(BaseModel):
    id: uuid.UUID
    shortcut: str
    title: str
    body: str
    variables: list[str] = Field(description="The `{{variables}}` the body uses, in order.")
    created_by_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class CannedResponseCreate(Input):
    shortcut: str = Field(pattern=SHORTCUT_PATTERN)
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1, max_length=MAX_BODY_LENGTH)


class CannedResponseUpdate(Input):
    shortcut: str | None = Field(default=None, pattern=SHORTCUT_PATTERN)
    title: str | None = Field(default=None, min_length=1, max_length=120)
    body: str | None = Field(default=None, min_length=1, max_length=MAX_BODY_LENGTH)


class CannedResponseRender(Input):
    conversation_id: uuid.UUID


class CannedResponseRendered(BaseModel):
    body: str
    unknown_variables: list[str] = Field(
        description="Variables that are not known; they are left in the body as written."
    )
