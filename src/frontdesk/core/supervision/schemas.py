"""What the wallboard answers."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from frontdesk.core.routing.schemas import StateName
from frontdesk.core.schemas import Input


class TeamTile(BaseModel):
    team_id: uuid.UUID | None = Field(description="Null for conversations of no team.")
    name: str
    waiting_now: int = Field(description="Unassigned conversations in the team's queue.")
    longest_wait_seconds: float | None = Field(
        description="How long the oldest of them has waited in the queue."
    )
    awaiting_first_reply: int = Field(
        description="Open or pending conversations whose customer has had no human reply yet."
    )
    threshold_seconds: float = Field(description="The team's promised reply time (T).")
    service_level_today: float | None = Field(
        description="Share of today's first responses within T (the workspace's day)."
    )
    service_level_30_minutes: float | None = Field(description="The same over the last 30 minutes.")
    answered_30_minutes: int
    handled_today: int = Field(description="Conversations closed today.")
    abandoned_today: int
    sla_at_risk: int = Field(default=0, description="Open conversations whose SLA is at risk.")
    sla_breached: int = Field(default=0, description="Open conversations past an SLA due time.")


class AgentTile(BaseModel):
    user_id: uuid.UUID
    name: str
    state: StateName
    reason: str | None
    state_since: datetime | None
    team_ids: list[uuid.UUID]
    open_conversations: int
    capacity: int
    awaiting_reply: int = Field(description="Their conversations whose customer waits for them.")
    oldest_unanswered_since: datetime | None


class RaisedHand(BaseModel):
    conversation_id: uuid.UUID
    contact_name: str
    team_id: uuid.UUID | None
    raised_by_id: uuid.UUID | None
    raised_by_name: str | None
    note: str | None
    raised_at: datetime


class HelpRead(BaseModel):
    raised_by_id: uuid.UUID | None
    note: str | None
    raised_at: datetime


class HelpRaise(Input):
    note: str | None = Field(default=None, max_length=500, description="What the agent needs.")


class TakeOver(Input):
    note: str | None = Field(
        default=None, max_length=4096, description="An internal note to the agent who had it."
    )
    message: str | None = Field(
        default=None, max_length=4096, description="A message to the customer."
    )


class WallboardRead(BaseModel):
    generated_at: datetime
    service_level_target: float = Field(
        description="The share of first responses within T a team aims at (tiles turn red "
        "below it)."
    )
    teams: list[TeamTile]
    agents: list[AgentTile]
    raised_hands: list[RaisedHand] = Field(description="Agents asking for help, oldest first.")


class SupervisionRights(BaseModel):
    all_teams: bool = Field(description="An owner or manager: every team.")
    team_ids: list[uuid.UUID] = Field(description="A team lead's teams (empty with all_teams).")
