"""The workspace's conversation settings, kept in its settings JSON next to "routing".

`default_language`: the language of automatic messages to a customer whose language is not
known yet (detection still unsure) or not one the product writes in.
`reopen_within_hours`: a customer writing again within this many hours of a conversation's
close reopens it; later (or with 0) their message opens a new conversation.
`abandon_after_minutes`: a customer who has waited this long with no human reply has abandoned
the conversation (reports).
`short_abandon_seconds`: a conversation closed with no human reply within this many seconds of
the customer's first message is a short abandon (a customer who left at once, or a slip), kept
apart from the abandonment rate (reports); 0 counts every one.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.workspaces.models import Workspace

ProductLanguage = Literal["en", "pt-BR", "vi"]
DEFAULT_REOPEN_HOURS = 24
MAX_REOPEN_HOURS = 24 * 30
DEFAULT_ABANDON_MINUTES = 60
MAX_ABANDON_MINUTES = 24 * 60
DEFAULT_SHORT_ABANDON_SECONDS = 10
MAX_SHORT_ABANDON_SECONDS = 600
KEYS = ("default_language", "reopen_within_hours", "abandon_after_minutes", "short_abandon_seconds")


class ConversationSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    default_language: ProductLanguage = "en"
    reopen_within_hours: int = Field(default=DEFAULT_REOPEN_HOURS, ge=0, le=MAX_REOPEN_HOURS)
    abandon_after_minutes: int = Field(
        default=DEFAULT_ABANDON_MINUTES, ge=1, le=MAX_ABANDON_MINUTES
    )
    short_abandon_seconds: int = Field(
        default=DEFAULT_SHORT_ABANDON_SECONDS, ge=0, le=MAX_SHORT_ABANDON_SECONDS
    )


def conversation_settings(settings: dict[str, Any] | None) -> ConversationSettings:
    stored = settings or {}
    return ConversationSettings.model_validate({k: stored[k] for k in KEYS if k in stored})


async def load_conversation_settings(
    session: AsyncSession, workspace_id: uuid.UUID
) -> ConversationSettings:
    settings = await session.scalar(select(Workspace.settings).where(Workspace.id == workspace_id))
    return conversation_settings(settings)
