"""What a search returns: ranked hits with a snippet whose matched words the server marks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.core.conversations.schemas import ChannelBrief, StatusName

SearchKind = Literal["message", "note", "contact"]


class SnippetPart(BaseModel):
    """A piece of the snippet as plain text; `hit` marks a matched word (never markup)."""

    text: str
    hit: bool


class SearchResultRead(BaseModel):
    kind: SearchKind
    message_id: uuid.UUID | None = Field(description="The message or note; null for a contact.")
    conversation_id: uuid.UUID | None
    conversation_status: StatusName | None
    contact_id: uuid.UUID
    contact_name: str
    channel: ChannelBrief | None
    created_at: datetime
    snippet: list[SnippetPart]
