"""SLA policy schemas and a conversation's SLA as the inbox reads it."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field, model_validator

from frontdesk.core.conversations.schemas import Priority
from frontdesk.core.schemas import Input

# A year of minutes: longer targets are a typo.
MAX_MINUTES = 525_600


class SlaPolicyCreate(Input):
    first_response_minutes: int | None = Field(
        default=None, ge=1, le=MAX_MINUTES, description="First customer message → first reply."
    )
    next_response_minutes: int | None = Field(
        default=None, ge=1, le=MAX_MINUTES, description="A later customer message → the reply."
    )
    resolution_minutes: int | None = Field(
        default=None, ge=1, le=MAX_MINUTES, description="The (re)opening → the close."
    )
    name: str = Field(min_length=1, max_length=80)
    team_id: uuid.UUID | None = Field(default=None, description="Null: every team.")
    priority: Priority | None = Field(default=None, description="Null: every priority.")
    is_business_hours: bool = Field(
        default=False,
        description="Count only the team's business hours (else calendar time).",
    )
    at_risk_percent: int = Field(
        default=80, ge=10, le=99, description="At risk once this share of a target has passed."
    )

    @model_validator(mode="after")
    def _one_target(self) -> SlaPolicyCreate:
        if (
            self.first_response_minutes is None
            and self.next_response_minutes is None
            and self.resolution_minutes is None
        ):
            raise ValueError("a policy needs at least one target")
        return self


class SlaPolicyUpdate(Input):
    """Fields left out stay as they are; a target set to null is removed."""

    name: str | None = Field(default=None, min_length=1, max_length=80)
    team_id: uuid.UUID | None = None
    priority: Priority | None = None
    first_response_minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    next_response_minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    resolution_minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    is_business_hours: bool | None = None
    at_risk_percent: int | None = Field(default=None, ge=10, le=99)


class SlaPolicyRead(BaseModel):
    id: uuid.UUID
    name: str
    team_id: uuid.UUID | None
    priority: Priority | None
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    is_business_hours: bool
    at_risk_percent: int
    created_at: datetime
    updated_at: datetime
