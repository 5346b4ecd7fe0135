"""Outcome targets and the outcomes report: what the API takes and answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input

TargetPeriod = Literal["day", "week", "month"]
AppliesTo = Literal["each_agent", "team", "agent"]


class OutcomeTargetRead(BaseModel):
    id: uuid.UUID
    outcome: str
    count: int
    period: TargetPeriod
    applies_to: AppliesTo
    team_id: uuid.UUID | None
    agent_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class OutcomeTargetCreate(Input):
    outcome: str = Field(min_length=1, max_length=80, description="The outcome closes count for.")
    count: int = Field(ge=1, le=100_000, description="Closes expected per period.")
    period: TargetPeriod = "day"
    applies_to: AppliesTo = Field(
        description="each_agent: every agent of team_id; team: team_id as a whole; agent: agent_id."
    )
    team_id: uuid.UUID | None = None
    agent_id: uuid.UUID | None = None


class OutcomeTargetUpdate(Input):
    count: int | None = Field(default=None, ge=1, le=100_000)
    period: TargetPeriod | None = None


class DayCount(BaseModel):
    day: date = Field(description="A local day of the period.")
    count: int
    target: int | None = Field(description="The day's target (daily targets only).")


class OutcomeProgress(BaseModel):
    """One agent or team against their target for one outcome and period kind."""

    subject: Literal["agent", "team"]
    agent_id: uuid.UUID | None
    team_id: uuid.UUID | None
    name: str
    outcome: str
    target: int = Field(description="Closes expected per target period (summed over targets).")
    target_period: TargetPeriod
    current: int = Field(description="Closes in the target period that contains today.")
    total: int = Field(description="Closes in the requested period.")
    days: list[DayCount]


class OutcomeCount(BaseModel):
    id: uuid.UUID
    count: int


class OutcomeTotals(BaseModel):
    outcome: str
    total: int
    days: list[DayCount]
    agents: list[OutcomeCount]
    teams: list[OutcomeCount]


class OutcomesRead(BaseModel):
    first_day: date
    last_day: date
    today: date = Field(description="Today in the report's time zone.")
    timezone: str
    outcomes: list[OutcomeTotals] = Field(description="Every outcome closed in the period.")
    progress: list[OutcomeProgress] = Field(description="Agents and teams with a target.")
