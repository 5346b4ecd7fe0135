"""What the organisation overview answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field


class LiveLoad(BaseModel):
    """The workspace right now, from its conversations and agents' states."""

    open: int = Field(description="Conversations open or pending.")
    waiting: int = Field(description="Of those, customers waiting for a human reply.")
    queued: int = Field(description="Waiting in a team's queue with nobody assigned.")
    awaiting_first_reply: int = Field(description="Waiting and never answered by a person.")
    longest_wait_seconds: float | None = Field(
        description="How long the customer waiting longest has waited; null when nobody waits."
    )
    agents_online: int
    agents_busy: int
    agents_away: int


class TodayFigures(BaseModel):
    """Today so far, in the workspace's own time zone, from the report rollups."""

    day: date = Field(description="Today's date in the workspace's time zone.")
    timezone: str
    opened: int
    closed: int
    answered: int = Field(description="Conversations given a first human response.")
    abandoned: int
    first_response_median: float | None = Field(description="Seconds; null with no answer.")
    service_level: float | None = Field(
        description="Share of first responses within the promised reply time (0-1)."
    )
    abandonment_rate: float | None = Field(
        description="Abandoned ÷ (answered + abandoned) conversations (0-1)."
    )


class OrganisationWorkspace(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    created_at: datetime
    role: str | None = Field(
        description="The caller's role in the workspace; null when they are not a member "
        "(they see its figures but cannot switch into it)."
    )
    live: LiveLoad
    today: TodayFigures


class OrganisationBrief(BaseModel):
    id: uuid.UUID
    name: str


class OrganisationOverviewRead(BaseModel):
    organisation: OrganisationBrief
    generated_at: datetime = Field(description="When these figures were read (server time).")
    workspaces: list[OrganisationWorkspace]
