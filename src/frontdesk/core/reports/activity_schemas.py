"""The activity report: a weekday-by-hour heatmap and the agents' state bands over a day."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

HeatmapMetric = Literal["opened", "closed", "first_response", "assigned"]


class HeatCell(BaseModel):
    weekday: int = Field(ge=0, le=6, description="0 is Monday, in the report's time zone.")
    hour: int = Field(ge=0, le=23, description="The local hour the counted hour starts in.")
    count: int


class HeatmapRead(BaseModel):
    metric: HeatmapMetric
    first_day: date
    last_day: date
    timezone: str
    cells: list[HeatCell] = Field(description="All 168 cells, Monday 00:00 first.")
    total: int


class StateInterval(BaseModel):
    state: str = Field(description="online, busy, away or offline.")
    start: datetime
    end: datetime


class AgentTimeline(BaseModel):
    agent_id: uuid.UUID
    name: str
    intervals: list[StateInterval]


class AgentStatesRead(BaseModel):
    day: date
    timezone: str
    start: datetime = Field(description="The local day's midnight (UTC).")
    end: datetime = Field(description="The next midnight, or now while the day goes on.")
    agents: list[AgentTimeline]
