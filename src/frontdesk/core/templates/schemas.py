"""Template schemas: what the provider says about a template, and what the app reads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class TemplateData(BaseModel):
    """One template as the provider lists it."""

    provider_template_id: str | None = None
    name: str = Field(min_length=1, max_length=512)
    language: str = Field(min_length=1, max_length=16)
    category: str = Field(default="", max_length=32)
    status: str = Field(default="", max_length=32)
    components: list[dict[str, Any]] = Field(default_factory=list)


class TemplateRead(BaseModel):
    id: uuid.UUID
    channel_id: uuid.UUID
    name: str
    language: str
    category: str
    status: str = Field(description="APPROVED templates can be sent; others are listed only.")
    body: str = Field(description="The body text, with {{1}}, {{2}}... for its parameters.")
    parameter_count: int
    components: list[dict[str, Any]]
    synced_at: datetime


class TemplateSync(BaseModel):
    count: int = Field(description="Templates the channel has now.")
    approved: int
    removed: int
