"""Hourly rollups, rebuilt from the facts of each rollup cell the report job touched.

Rebuilding a cell (a workspace's hour of one metric, detail, team, agent and channel) from its
facts, rather than adding to counters, makes the update idempotent: running it again, or after
a backfill added facts, gives the same rows. A cell holds one agent's facts of one metric in
one hour, so its cost does not grow with the workspace's volume.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports.daily import rebuild_days, rebuild_whole_days
from frontdesk.core.reports.digest import Digest
from frontdesk.core.reports.facts import Cell
from frontdesk.core.reports.models import ReportFact, ReportRollup

RollupKey = tuple[str, str | None, uuid.UUID | None, uuid.UUID | None, uuid.UUID | None]


@dataclass
class _Cell:
    count: int = 0
    seconds: float = 0.0
    business: float = 0.0
    digest: Digest = field(default_factory=Digest)
    business_digest: Digest = field(default_factory=Digest)


async def rebuild_hour(session: AsyncSession, workspace_id: uuid.UUID, hour: datetime) -> int:
    """Replace the workspace's rollup rows of one UTC hour; returns how many were written."""
    end = hour + timedelta(hours=1)
    facts = await session.scalars(
        select(ReportFact).where(
            ReportFact.workspace_id == workspace_id, ReportFact.at >= hour, ReportFact.at < end
        )
    )
    cells: dict[RollupKey, _Cell] = {}
    for fact in facts:
        key = (fact.metric, fact.detail, fact.team_id, fact.agent_id, fact.channel_id)
        cell = cells.setdefault(key, _Cell())
        cell.count += 1
        if fact.seconds is not None:
            cell.seconds += fact.seconds
            cell.digest.add(fact.seconds)
        if fact.business_seconds is not None:
            cell.business += fact.business_seconds
            cell.business_digest.add(fact.business_seconds)
    await session.execute(
        delete(ReportRollup).where(
            ReportRollup.workspace_id == workspace_id, ReportRollup.hour == hour
        )
    )
    session.add_all(
        ReportRollup(
            workspace_id=workspace_id,
            hour=hour,
            metric=metric,
            detail=detail,
            team_id=team_id,
            agent_id=agent_id,
            channel_id=channel_id,
            count=cell.count,
            sum_seconds=cell.seconds,
            sum_business_seconds=cell.business,
            digest=cell.digest.to_json() if cell.digest.count else None,
            business_digest=cell.business_digest.to_json() if cell.business_digest.count else None,
        )
        for (metric, detail, team_id, agent_id, channel_id), cell in cells.items()
    )
    await session.flush()
    return len(cells)


async def rebuild_hours(
    session: AsyncSession, touched: Iterable[tuple[uuid.UUID, datetime]]
) -> int:
    """Rebuild these (workspace, hour) pairs whole, then the days they fall in."""
    touched = list(touched)
    written = 0
    for workspace_id, hour in sorted(touched, key=lambda t: (str(t[0]), t[1])):
        written += await rebuild_hour(session, workspace_id, hour)
    await rebuild_whole_days(session, touched)
    return written


def _same(column: Any, value: object) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value  # type: ignore[no-any-return]


async def rebuild_cell(session: AsyncSession, cell: Cell) -> None:
    """Replace one rollup row with what its facts add up to (none when they are gone)."""
    facts = list(
        await session.scalars(
            select(ReportFact).where(
                ReportFact.workspace_id == cell.workspace_id,
                ReportFact.metric == cell.metric,
                ReportFact.at >= cell.hour,
                ReportFact.at < cell.hour + timedelta(hours=1),
                _same(ReportFact.detail, cell.detail),
                _same(ReportFact.team_id, cell.team_id),
                _same(ReportFact.agent_id, cell.agent_id),
                _same(ReportFact.channel_id, cell.channel_id),
            )
        )
    )
    await session.execute(
        delete(ReportRollup).where(
            ReportRollup.workspace_id == cell.workspace_id,
            ReportRollup.hour == cell.hour,
            ReportRollup.metric == cell.metric,
            _same(ReportRollup.detail, cell.detail),
            _same(ReportRollup.team_id, cell.team_id),
            _same(ReportRollup.agent_id, cell.agent_id),
            _same(ReportRollup.channel_id, cell.channel_id),
        )
    )
    if not facts:
        return
    total = _Cell()
    for fact in facts:
        total.count += 1
        if fact.seconds is not None:
            total.seconds += fact.seconds
            total.digest.add(fact.seconds)
        if fact.business_seconds is not None:
            total.business += fact.business_seconds
            total.business_digest.add(fact.business_seconds)
    session.add(
        ReportRollup(
            workspace_id=cell.workspace_id,
            hour=cell.hour,
            metric=cell.metric,
            detail=cell.detail,
            team_id=cell.team_id,
            agent_id=cell.agent_id,
            channel_id=cell.channel_id,
            count=total.count,
            sum_seconds=total.seconds,
            sum_business_seconds=total.business,
            digest=total.digest.to_json() if total.digest.count else None,
            business_digest=total.business_digest.to_json()
            if total.business_digest.count
            else None,
        )
    )


# Past this many cells of one hour, rebuilding the whole hour at once costs fewer statements.
WHOLE_HOUR_FROM = 12
# Set while history is replayed in bulk (the demo's load): each batch then touches a few cells
# in very many hours, and rebuilding each of those hours whole costs several times fewer
# statements than cell by cell. The live job leaves it unset.
WHOLE_HOURS: ContextVar[bool] = ContextVar("whole_hours", default=False)


async def rebuild_cells(session: AsyncSession, cells: Iterable[Cell]) -> None:
    """Rebuild the cells touched: one by one, or their whole hour when many share it (a
    replay of history); then the daily rows of the days they fall in (daily.py)."""
    cells = list(cells)
    by_hour: dict[tuple[uuid.UUID, datetime], list[Cell]] = {}
    for cell in cells:
        by_hour.setdefault((cell.workspace_id, cell.hour), []).append(cell)
    for (workspace_id, hour), group in sorted(
        by_hour.items(), key=lambda i: (str(i[0][0]), i[0][1])
    ):
        if len(group) >= WHOLE_HOUR_FROM or WHOLE_HOURS.get():
            await rebuild_hour(session, workspace_id, hour)
            continue
        for cell in sorted(group, key=lambda c: tuple(str(v) for v in c)):
            await rebuild_cell(session, cell)
    await session.flush()
    await rebuild_days(session, cells, whole=WHOLE_HOURS.get())
