"""What the exports API takes and answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from frontdesk.core.reports.periods import Grouping, Preset

ExportKind = Literal["conversations", "agents", "overview", "facts"]
ExportFormat = Literal["csv", "xlsx"]
ExportState = Literal["queued", "running", "done", "failed"]
Ids = list[uuid.UUID]


class ExportCreate(BaseModel):
    """An export of one report with the report's filters."""

    model_config = ConfigDict(extra="forbid")

    kind: ExportKind = Field(
        description="conversations: one row per conversation segment with every timestamp and "
        "duration; agents: the agents table; overview: the series; facts: the conversations "
        "behind one number (`metric`)."
    )
    format: ExportFormat = "csv"
    period: Preset = "today"
    tz: str | None = Field(
        default=None, max_length=64, description="IANA time zone; the workspace's if unset."
    )
    start_date: date | None = None
    end_date: date | None = None
    team_ids: Ids = Field(default_factory=list, max_length=100)
    agent_ids: Ids = Field(default_factory=list, max_length=100)
    channel_ids: Ids = Field(default_factory=list, max_length=100)
    tag_ids: Ids = Field(
        default_factory=list, max_length=100, description="Conversations carrying any of these."
    )
    outcomes: list[Annotated[str, StringConstraints(min_length=1, max_length=80)]] = Field(
        default_factory=list, max_length=50, description="Segments closed with any of these."
    )
    group_by: Grouping = Field(default="day", description="The overview series' grouping.")
    metric: str | None = Field(
        default=None,
        max_length=40,
        pattern=r"^[a-z_]+$",
        description="The metric behind the number (`GET /reports/conversations`); required for "
        "`facts`.",
    )
    detail: str | None = Field(default=None, max_length=80)


class ExportRead(BaseModel):
    id: uuid.UUID
    kind: ExportKind
    format: ExportFormat
    status: ExportState
    rows_done: int
    rows_total: int | None = Field(description="Known once the job has counted the rows.")
    file_name: str | None
    size_bytes: int | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime = Field(description="When the file (and this record) are deleted.")
    first_day: date
    last_day: date
    timezone: str
    download_url: str | None = Field(description="Set once the file is ready.")


class ExportList(BaseModel):
    items: list[ExportRead]
