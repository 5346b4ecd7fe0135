"""What each kind of export writes: its header, how many rows, and the rows in batches.

Every batch is read in its own short read session, so a long export holds no transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.pagination import MAX_LIMIT
from frontdesk.core.reports.agent_report import get_agent_report
from frontdesk.core.reports.drilldown import list_report_conversations
from frontdesk.core.reports.exports import segments
from frontdesk.core.reports.exports.writers import Cell
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.reports.narrowing import narrow
from frontdesk.core.reports.overview import get_overview
from frontdesk.core.reports.periods import Grouping, Period
from frontdesk.core.reports.reading import Filters
from frontdesk.core.reports.schemas import AgentRow, Stat
from frontdesk.core.workspaces.models import Membership, Team

SEGMENT_BATCH = 500
Sessions = Callable[[], AsyncSession]
Rows = list[list[Cell]]


@dataclass(frozen=True)
class ExportSpec:
    workspace_id: uuid.UUID
    kind: str
    period: Period
    filters: Filters
    everyone: bool
    group_by: Grouping = "day"
    metric: str | None = None
    detail: str | None = None


class Source(Protocol):
    header: tuple[str, ...]

    async def count(self, db: AsyncSession) -> int: ...

    def batches(self, sessions: Sessions) -> AsyncIterator[Rows]: ...


async def load_names(db: AsyncSession, workspace_id: uuid.UUID) -> segments.Names:
    members = await db.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id)
    )
    teams = await db.execute(select(Team.id, Team.name).where(Team.workspace_id == workspace_id))
    channels = await db.execute(
        select(Channel.id, Channel.name, Channel.type).where(Channel.workspace_id == workspace_id)
    )
    return segments.Names(
        members=dict(members.all()),
        teams=dict(teams.all()),
        channels={cid: (name, kind) for cid, name, kind in channels},
    )


class ConversationSource:
    header = segments.COLUMNS

    def __init__(self, spec: ExportSpec) -> None:
        self.spec = spec

    async def count(self, db: AsyncSession) -> int:
        spec = self.spec
        return await segments.count_segments(db, spec.workspace_id, spec.period, spec.filters)

    async def batches(self, sessions: Sessions) -> AsyncIterator[Rows]:
        spec = self.spec
        async with sessions() as db:
            names = await load_names(db, spec.workspace_id)
        after: tuple[uuid.UUID, int] | None = None
        while True:
            async with sessions() as db:
                keys = await segments.segment_keys(
                    db,
                    spec.workspace_id,
                    spec.period,
                    spec.filters,
                    after=after,
                    limit=SEGMENT_BATCH,
                )
                if not keys:
                    return
                rows = await segments.segment_rows(db, spec.workspace_id, keys, names)
            yield rows
            if len(keys) < SEGMENT_BATCH:
                return
            after = keys[-1]


def _stat(stat: Stat) -> list[Cell]:
    return [stat.count, stat.avg, stat.median, stat.p90]


def _agent_cells(row: AgentRow, name: str) -> list[Cell]:
    states = row.state_seconds
    return [
        name,
        row.closed,
        row.assigned,
        row.accepted,
        *_stat(row.first_response),
        *_stat(row.assignment_response),
        *_stat(row.response),
        *_stat(row.resolution),
        row.online_seconds,
        states.busy,
        states.away,
        states.offline,
        row.queue_now,
        row.open_now,
    ]


def _stat_columns(name: str) -> tuple[str, ...]:
    return (f"{name}_count", f"{name}_avg_seconds", f"{name}_median_seconds", f"{name}_p90_seconds")


class AgentSource:
    header = (
        "agent",
        "closed",
        "assigned",
        "accepted",
        *_stat_columns("first_response"),
        *_stat_columns("assignment_response"),
        *_stat_columns("response"),
        *_stat_columns("resolution"),
        "online_seconds",
        "busy_seconds",
        "away_seconds",
        "offline_seconds",
        "queue_now",
        "open_now",
    )

    def __init__(self, spec: ExportSpec, now: datetime) -> None:
        self.spec, self.now = spec, now
        self.rows: Rows = []

    async def count(self, db: AsyncSession) -> int:
        spec = self.spec
        report = await get_agent_report(
            db, spec.workspace_id, spec.period, spec.filters, self.now, with_average=spec.everyone
        )
        self.rows = [_agent_cells(row, row.name) for row in report.rows]
        if report.average is not None:
            self.rows.append(_agent_cells(report.average, "Average"))
        return len(self.rows)

    async def batches(self, sessions: Sessions) -> AsyncIterator[Rows]:
        yield self.rows


class OverviewSource:
    header = (
        "start",
        "opened",
        "closed",
        "answered",
        "abandoned",
        "first_response_avg_seconds",
        "resolution_avg_seconds",
        "service_level",
    )

    def __init__(self, spec: ExportSpec) -> None:
        self.spec = spec
        self.rows: Rows = []

    async def count(self, db: AsyncSession) -> int:
        spec = self.spec
        overview = await get_overview(
            db, spec.workspace_id, spec.period, spec.filters, spec.group_by
        )
        self.rows = [
            [
                point.start,
                point.opened,
                point.closed,
                point.answered,
                point.abandoned,
                point.first_response_avg,
                point.resolution_avg,
                point.service_level,
            ]
            for point in overview.series
        ]
        return len(self.rows)

    async def batches(self, sessions: Sessions) -> AsyncIterator[Rows]:
        yield self.rows


class FactSource:
    """The conversations behind one number, newest first (the drill-down's list)."""

    header = (
        "at",
        "metric",
        "detail",
        "conversation_id",
        "contact_name",
        "channel_type",
        "team",
        "agent",
        "seconds",
        "business_seconds",
    )

    def __init__(self, spec: ExportSpec) -> None:
        self.spec = spec

    async def count(self, db: AsyncSession) -> int:
        spec, filters = self.spec, self.spec.filters
        query = select(func.count()).where(
            ReportFact.workspace_id == spec.workspace_id,
            ReportFact.metric == spec.metric,
            ReportFact.at >= spec.period.start,
            ReportFact.at < spec.period.end,
            ReportFact.conversation_id.is_not(None),
        )
        if spec.detail is not None:
            query = query.where(ReportFact.detail == spec.detail)
        if filters.team_ids:
            query = query.where(ReportFact.team_id.in_(filters.team_ids))
        if filters.agent_ids:
            query = query.where(ReportFact.agent_id.in_(filters.agent_ids))
        if filters.channel_ids:
            query = query.where(ReportFact.channel_id.in_(filters.channel_ids))
        return int(await db.scalar(narrow(query, spec.workspace_id, filters)) or 0)

    async def batches(self, sessions: Sessions) -> AsyncIterator[Rows]:
        spec = self.spec
        async with sessions() as db:
            names = await load_names(db, spec.workspace_id)
        cursor: str | None = None
        while True:
            async with sessions() as db:
                page = await list_report_conversations(
                    db,
                    spec.workspace_id,
                    spec.metric or "",
                    spec.period,
                    spec.filters,
                    detail=spec.detail,
                    cursor=cursor,
                    limit=MAX_LIMIT,
                )
            yield [
                [
                    item.at,
                    item.metric,
                    item.detail,
                    str(item.conversation_id),
                    item.contact_name,
                    item.channel_type,
                    names.teams.get(item.team_id) if item.team_id else None,
                    names.members.get(item.agent_id) if item.agent_id else None,
                    item.seconds,
                    item.business_seconds,
                ]
                for item in page.items
            ]
            if page.next_cursor is None:
                return
            cursor = page.next_cursor


def source_for(spec: ExportSpec, now: datetime) -> Source:
    sources: dict[str, Any] = {
        "conversations": lambda: ConversationSource(spec),
        "agents": lambda: AgentSource(spec, now),
        "overview": lambda: OverviewSource(spec),
        "facts": lambda: FactSource(spec),
    }
    source: Source = sources[spec.kind]()
    return source
