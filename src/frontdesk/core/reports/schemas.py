"""What the reports API answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from frontdesk.core.pagination import Page


class Stat(BaseModel):
    """A duration metric: how many, the mean, median and p90 (seconds; null with no data)."""

    count: int
    avg: float | None
    median: float | None
    p90: float | None


class Durations(BaseModel):
    wall: Stat
    business: Stat = Field(description="The same, counting only the schedule's open hours.")


class OverviewFigures(BaseModel):
    opened: int = Field(description="New conversations.")
    reopened: int
    closed: int
    assigned: int
    transferred: int
    abandoned: int
    short_abandoned: int = Field(
        description="Closed unanswered within the workspace's short-abandon seconds; kept out "
        "of `abandoned` and the abandonment rate."
    )
    answered: int = Field(description="Conversations given a first human response.")
    first_response: Durations
    assignment_response: Durations
    response: Durations
    resolution: Durations
    handle: Durations = Field(
        description="Active work per closed conversation (members' recorded work spans)."
    )
    service_level: float | None = Field(
        description="Share of first responses within the team's promised reply time (0-1)."
    )
    average_speed_of_answer: float | None = Field(
        description="Mean first response time of answered conversations, seconds."
    )
    abandonment_rate: float | None = Field(
        description="Abandoned ÷ (answered + abandoned) conversations."
    )
    sla_met: int = Field(default=0, description="SLA targets met (replies and closes in time).")
    sla_breached: int = Field(default=0, description="SLA targets past their due time.")
    sla_met_rate: float | None = Field(
        default=None, description="SLA met ÷ (met + breached) targets (0-1); null with none."
    )


class SeriesPoint(BaseModel):
    start: datetime = Field(description="The local start of the hour, day, week or month.")
    opened: int
    closed: int
    answered: int
    abandoned: int
    first_response_avg: float | None
    resolution_avg: float | None
    service_level: float | None


class PeriodRead(BaseModel):
    start: datetime
    end: datetime
    first_day: date
    last_day: date
    timezone: str


class OverviewRead(BaseModel):
    period: PeriodRead
    previous_period: PeriodRead
    current: OverviewFigures
    previous: OverviewFigures
    waiting_now: int = Field(description="Open conversations whose customer waits for a reply.")
    open_now: int
    series: list[SeriesPoint]


class StateTimes(BaseModel):
    online: float
    busy: float
    away: float
    offline: float


class AgentRow(BaseModel):
    agent_id: uuid.UUID | None = Field(description="Null on the average row.")
    name: str
    closed: float = Field(description="Conversations the agent closed (a mean on the average row).")
    assigned: float = Field(description="Assignments offered to the agent.")
    accepted: float = Field(description="Assignments the agent replied in.")
    first_response: Stat
    assignment_response: Stat
    response: Stat
    resolution: Stat
    handle: Stat = Field(description="Active work per conversation they closed or held at close.")
    worked_seconds: float = Field(description="Active work on conversations, seconds.")
    occupancy: float | None = Field(
        description="Worked ÷ time online or busy (above 1 when working several at once)."
    )
    online_seconds: float
    state_seconds: StateTimes
    queue_now: float = Field(description="Open conversations assigned to them waiting for a reply.")
    open_now: float


class AgentsRead(BaseModel):
    period: PeriodRead
    rows: list[AgentRow]
    average: AgentRow | None = Field(description="The mean of the rows (null for an agent).")


class StaffingHour(BaseModel):
    start: datetime
    arrivals: int
    handle_seconds: float | None = Field(description="Mean handle time used for the hour.")
    load: float = Field(description="Offered load A = λ·AHT, in Erlangs.")
    agents_needed: int
    service_level: float | None = Field(description="Predicted with the agents needed.")
    average_speed_of_answer: float | None
    occupancy: float | None
    agents_online: float = Field(description="Mean agents in the online state in the hour.")


class StaffingRead(BaseModel):
    period: PeriodRead
    target_service_level: float
    target_seconds: float
    concurrency: int = Field(description="Conversations an agent works at once (the divisor).")
    hours: list[StaffingHour]


class FactRow(BaseModel):
    conversation_id: uuid.UUID
    contact_name: str
    channel_type: str
    team_id: uuid.UUID | None
    agent_id: uuid.UUID | None
    metric: str
    detail: str | None
    at: datetime
    seconds: float | None
    business_seconds: float | None


class FactPage(Page[FactRow]):
    pass
