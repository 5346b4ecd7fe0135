"""What the API shows of a survey and its answer."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from frontdesk.core.csat.models import CsatResponse


class CsatResponseRead(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    segment: int = Field(description="1 for the first close that sent a survey, then 2...")
    team_id: uuid.UUID | None
    agent_id: uuid.UUID | None = Field(description="The assignee when it was closed.")
    channel_id: uuid.UUID
    language: str
    closed_at: datetime
    sent_at: datetime
    expires_at: datetime = Field(description="Answers are taken until then.")
    rating: int | None = Field(description="1-5; null while unanswered.")
    answered_at: datetime | None


def response_read(row: CsatResponse) -> CsatResponseRead:
    return CsatResponseRead(
        id=row.id,
        conversation_id=row.conversation_id,
        segment=row.segment,
        team_id=row.team_id,
        agent_id=row.agent_id,
        channel_id=row.channel_id,
        language=row.language,
        closed_at=row.closed_at,
        sent_at=row.sent_at,
        expires_at=row.expires_at,
        rating=row.rating,
        answered_at=row.answered_at,
    )
