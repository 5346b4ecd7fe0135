"""What the breakdown reports answer: teams, channels, responses, service level and routing."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from frontdesk.core.reports.schemas import Durations, OverviewFigures, PeriodRead, Stat


class BreakdownRow(BaseModel):
    id: uuid.UUID | None = Field(description="The team or channel; null for none.")
    name: str | None = Field(description="Null when the team or channel no longer exists.")
    type: str | None = Field(default=None, description="The channel's type (channels only).")
    current: OverviewFigures
    previous: OverviewFigures
    waiting_now: int = Field(description="Open conversations whose customer waits for a reply.")


class BreakdownRead(BaseModel):
    period: PeriodRead
    previous_period: PeriodRead
    rows: list[BreakdownRow]


class ResponseFigures(BaseModel):
    first_response: Durations
    response: Durations


class HistogramBucket(BaseModel):
    min_seconds: float
    max_seconds: float | None = Field(description="Excluded; null for the last bucket.")
    first_response: int
    response: int
    previous_first_response: int
    previous_response: int


class HourOfDay(BaseModel):
    hour: int = Field(description="The local hour of the day, 0-23.")
    first_response: Stat
    response: Stat


class ResponsePoint(BaseModel):
    start: datetime
    first_response: Stat
    response: Stat


class ResponsesRead(BaseModel):
    period: PeriodRead
    previous_period: PeriodRead
    current: ResponseFigures
    previous: ResponseFigures
    histogram: list[HistogramBucket]
    by_hour_of_day: list[HourOfDay]
    series: list[ResponsePoint]


class ServiceFigures(BaseModel):
    answered: int
    met: int = Field(description="First responses within the threshold.")
    service_level: float | None
    average_speed_of_answer: float | None
    abandoned: int = Field(description="Abandoned, short abandons left out.")
    short_abandoned: int = Field(
        description="Closed unanswered within the workspace's short-abandon seconds."
    )
    abandonment_rate: float | None = Field(description="Abandoned ÷ (answered + abandoned).")
    abandonment_rate_with_short: float | None = Field(
        description="The same with short abandons counted as abandoned."
    )


class ServiceRow(BaseModel):
    team_id: uuid.UUID | None
    name: str | None
    threshold_seconds: float = Field(description="The team's promised reply time, T.")
    current: ServiceFigures
    previous: ServiceFigures


class ServicePoint(BaseModel):
    start: datetime
    answered: int
    met: int
    service_level: float | None
    average_speed_of_answer: float | None
    abandoned: int


class ServiceLevelRead(BaseModel):
    period: PeriodRead
    previous_period: PeriodRead
    short_abandon_seconds: float = Field(description="The workspace's short-abandon seconds.")
    current: ServiceFigures
    previous: ServiceFigures
    rows: list[ServiceRow]
    series: list[ServicePoint]


class OfferRow(BaseModel):
    id: uuid.UUID | None
    name: str | None
    offered: int = Field(description="Assignments given.")
    accepted: int = Field(description="Assignments replied in by their assignee.")
    acceptance_rate: float | None
    previous_offered: int
    previous_accepted: int


class TransferRow(BaseModel):
    from_team_id: uuid.UUID | None
    from_name: str | None
    to_team_id: uuid.UUID | None
    to_name: str | None
    count: int
    time_to_transfer: Stat = Field(description="Segment start → transfer, seconds.")


class Fairness(BaseModel):
    agents: int = Field(description="Agents offered work or online in the period.")
    max_minus_min: int | None
    coefficient_of_variation: float | None = Field(description="Population stdev ÷ mean.")


class ChatRouteFigures(BaseModel):
    offered: int = Field(description="Conversations a menu option or keyword sent to a team.")
    handled: int = Field(description="... that an agent then replied to, before any redirect.")
    redirected: int = Field(description="... that a person sent back to the menu.")
    previous_offered: int
    time_to_redirect: Stat = Field(description="Offered → sent back to the menu, seconds.")


class ChatRouteRow(ChatRouteFigures):
    key: str = Field(description="The route: a menu option's id or the keyword.")
    label: str = Field(description="Its label as last offered.")


class ChatRouteAgentRow(ChatRouteFigures):
    id: uuid.UUID | None = Field(description="The agent it was with; null for nobody.")
    name: str | None


class RoutingRead(BaseModel):
    period: PeriodRead
    previous_period: PeriodRead
    offered: int
    accepted: int
    previous_offered: int
    previous_accepted: int
    teams: list[OfferRow]
    agents: list[OfferRow]
    transfers: list[TransferRow]
    reassignments: int = Field(description="Assignments after a segment's first.")
    assignment_wait: Stat = Field(description="Segment start → its first assignment, seconds.")
    fairness: Fairness
    chat_routes: list[ChatRouteRow] = Field(
        description="Chat routes (workflows' menu options and keywords) offered in the period."
    )
    chat_route_agents: list[ChatRouteAgentRow] = Field(
        description="The same by the agent each route was with when handled or redirected."
    )
