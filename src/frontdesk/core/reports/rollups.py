"""Hourly rollups, rebuilt from the facts of each hour the report job touched.

Rebuilding a whole (workspace, hour) from its facts, rather than adding to counters, makes the
update idempotent: running it again, or after a backfill added facts, gives the same rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports.digest import Digest
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
    written = 0
    for workspace_id, hour in sorted(touched, key=lambda t: (str(t[0]), t[1])):
        written += await rebuild_hour(session, workspace_id, hour)
    return written
