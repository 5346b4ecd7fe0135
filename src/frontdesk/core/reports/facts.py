"""Metric names and how one fact is written: once, with its wall and business-hours seconds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.hours.calendar import Schedule, open_seconds_between
from frontdesk.core.hours.queries import effective_schedule
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.routing.settings import team_routing
from frontdesk.db.upsert import insert_unless_stored


class Metric:
    OPENED = "opened"  # a new conversation
    REOPENED = "reopened"  # a closed conversation opened again: a new segment
    ASSIGNED = "assigned"  # a conversation given to an agent (offered to them)
    ACCEPTED = "accepted"  # an agent's first reply within an assignment they were given
    FIRST_RESPONSE = "first_response"  # first customer message → first human reply
    FIRST_RESPONSE_MET = "first_response_met"  # ... within the team's promised reply time
    ASSIGNMENT_RESPONSE = "assignment_response"  # first assignment → that assignee's reply
    RESPONSE = "response"  # a customer's wait (a burst of messages) → the human reply
    CLOSED = "closed"  # segment start → close (the resolution time); detail: outcome
    HANDLE = "handle"  # the closing assignment's start → close
    TRANSFERRED = "transferred"  # moved out of a team (team and agent are the ones left)
    ABANDONED = "abandoned"  # closed, or idle past the threshold, with no human reply
    STATE = "state"  # a slice (within one UTC hour) of an agent's state; detail: the state


DURATION_METRICS = (
    Metric.FIRST_RESPONSE,
    Metric.ASSIGNMENT_RESPONSE,
    Metric.RESPONSE,
    Metric.CLOSED,
    Metric.HANDLE,
    Metric.ABANDONED,
    Metric.STATE,
)
DEFAULT_REPLY_TARGET = timedelta(minutes=5)


class Cell(NamedTuple):
    """One rollup row: a workspace's UTC hour of one metric, detail, team, agent and channel."""

    workspace_id: uuid.UUID
    hour: datetime
    metric: str
    detail: str | None
    team_id: uuid.UUID | None
    agent_id: uuid.UUID | None
    channel_id: uuid.UUID | None


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass
class FactWriter:
    """Writes facts (insert unless the key is stored) and remembers the rollup cells (and the
    hours) they touched."""

    session: AsyncSession
    touched: set[tuple[uuid.UUID, datetime]] = field(default_factory=set)
    cells: set[Cell] = field(default_factory=set)
    written: int = 0
    _schedules: dict[tuple[uuid.UUID, uuid.UUID | None], Schedule | None] = field(
        default_factory=dict
    )
    _targets: dict[tuple[uuid.UUID, uuid.UUID | None], float] = field(default_factory=dict)

    async def schedule(self, workspace_id: uuid.UUID, team_id: uuid.UUID | None) -> Schedule | None:
        key = (workspace_id, team_id)
        if key not in self._schedules:
            self._schedules[key] = await effective_schedule(self.session, workspace_id, team_id)
        return self._schedules[key]

    async def reply_target(self, workspace_id: uuid.UUID, team_id: uuid.UUID | None) -> float:
        """The team's promised reply time (its routing settings), the service level's T."""
        key = (workspace_id, team_id)
        if key not in self._targets:
            if team_id is None:
                self._targets[key] = DEFAULT_REPLY_TARGET.total_seconds()
            else:
                settings = await team_routing(self.session, workspace_id, team_id)
                self._targets[key] = settings.expected_reply_minutes * 60.0
        return self._targets[key]

    async def write(
        self,
        workspace_id: uuid.UUID,
        key: str,
        metric: str,
        at: datetime,
        *,
        since: datetime | None = None,
        span: tuple[datetime, datetime] | None = None,
        team_id: uuid.UUID | None = None,
        **dims: Any,
    ) -> bool:
        """Store the fact unless `key` is stored. A duration is `since` → `at`, or `span` (a
        slice that starts at `at`); its business seconds use the team's hours in force now."""
        seconds = business = None
        start, end = span if span is not None else (since, at)
        if start is not None:
            seconds = max((end - start).total_seconds(), 0.0)
            schedule = await self.schedule(workspace_id, team_id)
            business = open_seconds_between(schedule, start, end) if seconds else 0.0
        values = {
            "workspace_id": workspace_id,
            "key": key,
            "metric": metric,
            "at": at,
            "team_id": team_id,
            "seconds": seconds,
            "business_seconds": business,
            **dims,
        }
        stored = await insert_unless_stored(
            self.session, ReportFact, values, ("workspace_id", "key"), ReportFact.id
        )
        if stored is None:
            return False
        self.written += 1
        hour = hour_of(at)
        self.touched.add((workspace_id, hour))
        self.cells.add(
            Cell(
                workspace_id,
                hour,
                metric,
                dims.get("detail"),
                team_id,
                dims.get("agent_id"),
                dims.get("channel_id"),
            )
        )
        return True
