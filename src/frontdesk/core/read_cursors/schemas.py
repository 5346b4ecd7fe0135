"""Read cursor schemas."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class ReadCursorRead(BaseModel):
    conversation_id: uuid.UUID
    user_id: uuid.UUID
    last_read_message_id: uuid.UUID | None
    last_read_at: datetime = Field(
        description="When the latest message the member had seen was written."
    )


class ReadState(BaseModel):
    """How far the caller has read one conversation."""

    last_read_at: datetime | None = Field(
        description="When the latest message they had seen was written; null if never opened."
    )
    last_read_message_id: uuid.UUID | None = Field(
        description="That message: messages written in the same instant are ordered by id."
    )
    unread_count: int = Field(description="The customer's messages written after that.")
