"""Whether a team is open now and when it next opens, from its business hours."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.hours.calendar import is_open, next_opening
from frontdesk.core.hours.queries import effective_schedule


@dataclass(frozen=True)
class Opening:
    open_now: bool
    next_opening: datetime | None
    time_zone: str


async def opening(
    session: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID | None, now: datetime
) -> Opening:
    """The team's hours (or the workspace's); with none, always open."""
    schedule = await effective_schedule(session, workspace_id, team_id)
    if schedule is None or not schedule.is_enabled:
        return Opening(open_now=True, next_opening=None, time_zone="UTC")
    open_now = is_open(schedule, now)
    return Opening(
        open_now=open_now,
        next_opening=None if open_now else next_opening(schedule, now),
        time_zone=schedule.timezone,
    )
