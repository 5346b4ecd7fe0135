"""Similar conversations, suggested replies and the workspace's setting."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from frontdesk.core.canned.schemas import CannedResponseRead
from frontdesk.core.schemas import Input


class SimilaritySettingsUpdate(Input):
    is_enabled: bool = Field(
        default=False,
        description="Compute embeddings of conversations and canned responses, and offer "
        "similar conversations and suggested replies.",
    )


class SimilaritySettingsRead(BaseModel):
    is_enabled: bool
    model: str = Field(description="The embedding model, shipped with Frontdesk.")
    conversations_total: int = Field(description="Conversations with a customer message.")
    conversations_ready: int = Field(
        description="Of those, the ones whose embedding is up to date (progress of the job)."
    )


class SimilarConversationRead(BaseModel):
    conversation_id: uuid.UUID
    subject: str | None
    contact_name: str | None
    status: str
    last_message_preview: str
    last_message_at: datetime | None
    score: float = Field(description="Cosine similarity, 0 to 1; higher is closer.")


class SimilarConversationsRead(BaseModel):
    is_ready: bool = Field(
        description="False while this conversation's embedding is not computed yet."
    )
    items: list[SimilarConversationRead]


class SuggestedReplyRead(BaseModel):
    canned_response: CannedResponseRead
    score: float = Field(description="Cosine similarity to the last customer message.")


class SuggestedRepliesRead(BaseModel):
    is_ready: bool = Field(
        description="False while the last customer message's embedding is not computed yet."
    )
    items: list[SuggestedReplyRead]
