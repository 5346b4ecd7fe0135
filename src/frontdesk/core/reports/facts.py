"""Metric names and how one fact is written: once, with its wall and business-hours seconds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.hours.calendar import Schedule, open_seconds_between
from frontdesk.core.hours.queries import effective_schedule
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.routing.settings import team_routing
from frontdesk.core.workspaces.settings import load_conversation_settings
from frontdesk.db.ids import new_id
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
    HANDLE = "handle"  # the segment's active work (sum of `work`), written at the close
    WORK = "work"  # a span of a member's active work on a conversation
    TRANSFERRED = "transferred"  # moved out of a team (team and agent are the ones left)
    ABANDONED = "abandoned"  # closed, or idle past the threshold, with no human reply
    ABANDONED_SHORT = "abandoned_short"  # closed unanswered within the short-abandon threshold
    STATE = "state"  # a slice (within one UTC hour) of an agent's state; detail: the state


DURATION_METRICS = (
    Metric.FIRST_RESPONSE,
    Metric.ASSIGNMENT_RESPONSE,
    Metric.RESPONSE,
    Metric.CLOSED,
    Metric.HANDLE,
    Metric.WORK,
    Metric.ABANDONED,
    Metric.ABANDONED_SHORT,
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


# Facts per INSERT statement when they are written together (SQLite takes at most 32,766
# parameters in one statement; a fact has 14 columns).
FLUSH_ROWS = 500


@dataclass
class FactWriter:
    """Writes facts (insert unless the key is stored) and remembers the rollup cells (and the
    hours) they touched.

    Facts are kept and written together by `flush` (a few multi-row inserts rather than one
    statement per fact): call it before reading facts or the cells. A caller that must know at
    once whether a fact was new (it adds the fact's seconds to a sum) asks with `checked`."""

    session: AsyncSession
    touched: set[tuple[uuid.UUID, datetime]] = field(default_factory=set)
    cells: set[Cell] = field(default_factory=set)
    written: int = 0
    _pending: dict[tuple[uuid.UUID, str], dict[str, Any]] = field(default_factory=dict)
    _schedules: dict[tuple[uuid.UUID, uuid.UUID | None], Schedule | None] = field(
        default_factory=dict
    )
    _targets: dict[tuple[uuid.UUID, uuid.UUID | None], float] = field(default_factory=dict)
    _abandon: dict[uuid.UUID, tuple[timedelta, float]] = field(default_factory=dict)

    async def abandon_limits(self, workspace_id: uuid.UUID) -> tuple[timedelta, float]:
        """The workspace's abandonment threshold and its short-abandon seconds."""
        if workspace_id not in self._abandon:
            prefs = await load_conversation_settings(self.session, workspace_id)
            self._abandon[workspace_id] = (
                timedelta(minutes=prefs.abandon_after_minutes),
                float(prefs.short_abandon_seconds),
            )
        return self._abandon[workspace_id]

    async def business_seconds(
        self, workspace_id: uuid.UUID, team_id: uuid.UUID | None, start: datetime, end: datetime
    ) -> float:
        """Seconds of `start` → `end` inside the team's hours (else the workspace's)."""
        if end <= start:
            return 0.0
        return open_seconds_between(await self.schedule(workspace_id, team_id), start, end)

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
        durations: tuple[float, float] | None = None,
        team_id: uuid.UUID | None = None,
        checked: bool = False,
        **dims: Any,
    ) -> bool:
        """Store the fact unless `key` is stored. A duration is `since` → `at`, or `span` (a
        slice that starts at `at`), or `durations` (wall and business seconds, a sum of
        spans); business seconds use the team's hours in force now.

        With `checked` it is written now and the answer says whether it was new; else it waits
        for `flush` and the answer is True unless the key is waiting already."""
        seconds: float | None = None
        business: float | None = None
        start, end = span if span is not None else (since, at)
        if durations is not None:
            seconds, business = durations
        elif start is not None:
            seconds = max((end - start).total_seconds(), 0.0)
            business = await self.business_seconds(workspace_id, team_id, start, end)
        values: dict[str, Any] = {
            "id": new_id(),
            "workspace_id": workspace_id,
            "key": key,
            "metric": metric,
            "at": at,
            "team_id": team_id,
            "seconds": seconds,
            "business_seconds": business,
            "detail": None,
            "conversation_id": None,
            "segment": None,
            "agent_id": None,
            "channel_id": None,
            "event_id": None,
            **dims,
        }
        if (workspace_id, key) in self._pending:
            return False
        if not checked:
            self._pending[(workspace_id, key)] = values
            if len(self._pending) >= FLUSH_ROWS:
                await self.flush()
            return True
        stored = await insert_unless_stored(
            self.session, ReportFact, values, ("workspace_id", "key"), ReportFact.id
        )
        if stored is None:
            return False
        self._count(values)
        return True

    async def flush(self) -> None:
        """Write the facts kept so far, each unless its key is stored already."""
        pending = list(self._pending.values())
        self._pending.clear()
        for start in range(0, len(pending), FLUSH_ROWS):
            rows = pending[start : start + FLUSH_ROWS]
            stored = await self.session.execute(
                _insert(self.session)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["workspace_id", "key"])
                .returning(ReportFact.id)
            )
            written = set(stored.scalars())
            for values in rows:
                if values["id"] in written:
                    self._count(values)

    def _count(self, values: dict[str, Any]) -> None:
        self.written += 1
        hour = hour_of(values["at"])
        self.touched.add((values["workspace_id"], hour))
        self.cells.add(
            Cell(
                values["workspace_id"],
                hour,
                values["metric"],
                values["detail"],
                values["team_id"],
                values["agent_id"],
                values["channel_id"],
            )
        )


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(ReportFact)
