"""Routing settings and what the API shows of states, queues and decisions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from frontdesk.core.routing.models import Strategy

StrategyName = Literal["manual", "round_robin", "least_open", "capacity_share"]
StateName = Literal["online", "busy", "away", "offline"]
MessageKey = Literal["assigned", "outside_hours", "queued", "no_agent"]
LANGUAGES = ("en", "pt-BR", "vi")
MAX_MESSAGE = 1000
MAX_REASON = 80
MAX_CAPACITY = 100


class AutomaticMessage(BaseModel):
    """One automatic message: on or off, and its text per language (empty: the default text)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    templates: dict[str, str] = Field(default_factory=dict)

    @field_validator("templates")
    @classmethod
    def _known_languages(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"unknown language {', '.join(unknown)}; use {', '.join(LANGUAGES)}")
        for text in value.values():
            if len(text) > MAX_MESSAGE:
                raise ValueError("keep each message under 1000 characters")
        return {k: v.strip() for k, v in value.items()}


class AutomaticMessages(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assigned: AutomaticMessage = Field(default_factory=AutomaticMessage)
    outside_hours: AutomaticMessage = Field(default_factory=AutomaticMessage)
    queued: AutomaticMessage = Field(default_factory=AutomaticMessage)
    no_agent: AutomaticMessage = Field(default_factory=AutomaticMessage)


class RoutingSettings(BaseModel):
    """A team's routing: the strategy, who is eligible, the rules' switches and the timeouts."""

    model_config = ConfigDict(extra="forbid")

    strategy: StrategyName = Strategy.ROUND_ROBIN  # type: ignore[assignment]
    online_only: bool = True
    respect_capacity: bool = True
    # A returning contact goes back to their previous agent if that conversation ended within
    # this many minutes (None: the rule is off).
    returning_minutes: int | None = Field(default=24 * 60, ge=1, le=60 * 24 * 90)
    # A contact with an owner: "owner_then_team" tries the owner, then the team's strategy;
    # "owner_only" waits in the queue for the owner; "off" ignores owners.
    owner_rule: Literal["off", "owner_then_team", "owner_only"] = "owner_then_team"
    # Back to the queue when the assignee has been offline this long (None: never).
    offline_minutes: int | None = Field(default=5, ge=1, le=24 * 60)
    # Back to the queue when the assignee has not replied within this many minutes (None: never).
    reply_timeout_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    # Language as a skill: agents who speak the contact's language come before the strategy.
    route_by_language: bool = False
    # What the assigned message promises ("we usually reply within 5 minutes").
    expected_reply_minutes: int = Field(default=5, ge=1, le=24 * 60)
    messages: AutomaticMessages = Field(default_factory=AutomaticMessages)


class WorkspaceRouting(BaseModel):
    """Workspace-wide routing settings, kept in the workspace's settings under "routing"."""

    model_config = ConfigDict(extra="forbid")

    default_capacity: int = Field(default=3, ge=1, le=100)
    away_reasons: list[str] = Field(
        default_factory=lambda: ["Lunch", "Break", "Meeting", "Training"], max_length=20
    )
    # Offline after this many minutes without activity (None: never).
    inactivity_minutes: int | None = Field(default=60, ge=1, le=24 * 60)
    # Offline this long after the agent's last app connection closed.
    disconnect_grace_seconds: int = Field(default=120, ge=10, le=3600)

    @field_validator("away_reasons")
    @classmethod
    def _clean_reasons(cls, value: list[str]) -> list[str]:
        cleaned = [r.strip() for r in value if r.strip()]
        if any(len(r) > MAX_REASON for r in cleaned):
            raise ValueError("keep each reason under 80 characters")
        return list(dict.fromkeys(cleaned))


class StateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: StateName
    reason: str | None = Field(default=None, max_length=80)


class CapacityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capacity: int | None = Field(default=None, ge=1, le=100)
    channel_capacity: dict[str, int] = Field(default_factory=dict)

    @field_validator("channel_capacity")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        if any(v < 1 or v > MAX_CAPACITY for v in value.values()):
            raise ValueError("each channel limit is between 1 and 100")
        return value


class AgentStatusRead(BaseModel):
    user_id: uuid.UUID
    name: str
    state: StateName
    reason: str | None
    state_since: datetime | None
    capacity: int
    capacity_is_default: bool
    channel_capacity: dict[str, int]
    open_conversations: int
    last_assigned_at: datetime | None


class StateChangeRead(BaseModel):
    state: StateName
    reason: str | None
    source: str
    changed_by_id: uuid.UUID | None
    at: datetime


class SkippedCandidate(BaseModel):
    user_id: uuid.UUID
    name: str
    reason: str


class AssignmentRead(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    team_id: uuid.UUID | None
    user_id: uuid.UUID | None
    user_name: str | None
    source: str
    rule: str
    strategy: str | None
    candidates: list[dict[str, object]]
    decided_by_id: uuid.UUID | None
    decided_at: datetime
    ended_at: datetime | None
    end_reason: str | None


class QueueEntry(BaseModel):
    conversation_id: uuid.UUID
    position: int
    contact_name: str
    channel_type: str
    priority: str
    queued_at: datetime
    # Why it waits: routing (not decided yet), no_agent (nobody can take it now), manual (the
    # team assigns by hand), closed (outside business hours), owner or returning (its person).
    reason: str
    waiting_seconds: float
    estimated_wait_seconds: float | None


class QueueRead(BaseModel):
    team_id: uuid.UUID
    team_name: str
    length: int
    longest_wait_seconds: float
    free_slots: int
    online_agents: int
    entries: list[QueueEntry]


class TeamRoutingRead(BaseModel):
    team_id: uuid.UUID
    settings: RoutingSettings
    default_messages: dict[str, dict[str, str]]
