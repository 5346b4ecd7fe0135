"""The daily rollup tier: a workspace's UTC day of hourly rollups, merged per cell."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class ReportDailyRollup(Base):
    """The 24 hourly rollups of one UTC day merged by team, agent, channel, metric and detail:
    the same counts, sums and digests a report would get by merging those hours itself.

    Each digest is kept in three columns rather than one JSON document (`digest.py`'s n, b and
    v): a day's exact values can run to thousands of numbers, and a report that needs only the
    counts and buckets then reads neither them nor their decoding. Values are plain text,
    numbers joined by commas. Null count: no digest.
    """

    __tablename__ = "report_daily_rollup"
    __table_args__ = (Index("ix_report_daily_rollup_workspace_id_day", "workspace_id", "day"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    day: Mapped[datetime]  # the UTC midnight the day starts at
    metric: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(80))
    team_id: Mapped[uuid.UUID | None]
    agent_id: Mapped[uuid.UUID | None]
    channel_id: Mapped[uuid.UUID | None]
    count: Mapped[int] = mapped_column(default=0)
    sum_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    sum_business_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    digest_count: Mapped[int | None]
    digest_buckets: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    digest_values: Mapped[str | None] = mapped_column(Text)
    business_digest_count: Mapped[int | None]
    business_digest_buckets: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    business_digest_values: Mapped[str | None] = mapped_column(Text)
    # Month to date: each digest's buckets added up over the cell's rows from the first of the
    # UTC month through this day (kept by `daily.refresh_month`), so a run of whole days within
    # a month is the difference of two rows (`reading.bucket_rows`); `{}` when none has a digest.
    digest_month_buckets: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    business_digest_month_buckets: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
