"""The daily rollup tier, rebuilt from the hourly rollups of each UTC day the report job touched.

A report over weeks reads one row a day per cell for its whole UTC days and hourly rows only
for the partial days at its edges (`reading.py`), some 24 times fewer rows. A daily row is the
merge of its day's hourly rows (`Digest.merge`: counts and buckets add up, exact values join
while every hour keeps them and there are at most `MERGED_EXACT_LIMIT`), so any report reads
the same figures from either tier. Rebuilt rather than incremented, like the hours: running it
again gives the same rows. Days are UTC days: the hourly rows are UTC hours, so a UTC day is
whole hours in every time zone, and a period in any zone is whole UTC days between two edges
(docs/decisions/0020-daily-rollups.md).

Each daily row also keeps its cell's month-to-date buckets (`refresh_month`): the buckets of the
cell's rows from the first of the UTC month through its day, added up. Whole days within a month
are then the difference of two rows per cell (`reading.bucket_rows`), however many days
(docs/decisions/0040-month-to-date-buckets.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports.daily_models import ReportDailyRollup
from frontdesk.core.reports.digest import Digest
from frontdesk.core.reports.facts import Cell
from frontdesk.core.reports.models import ReportRollup

DAY = timedelta(days=1)
# (metric, detail, team, agent, channel): one daily row of a workspace's day.
DayKey = tuple[str, str | None, uuid.UUID | None, uuid.UUID | None, uuid.UUID | None]
# Past this many cells of one day, the whole day is rebuilt (one plain range read).
WHOLE_DAY_FROM = 48
# Reports read the daily tier for whole days; unset, they read every hour (the tests compare).
READ_DAILY: ContextVar[bool] = ContextVar("read_daily", default=True)


def day_of(moment: datetime) -> datetime:
    """The UTC midnight the moment's UTC day starts at."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def whole_days(start: datetime, end: datetime) -> tuple[datetime, datetime] | None:
    """The UTC days wholly inside [start, end), as [first, last) midnights; None if none (or
    the daily tier is not read)."""
    if not READ_DAILY.get():
        return None
    first = day_of(start)
    if first < start:
        first += DAY
    last = day_of(end)
    return (first, last) if first < last else None


@dataclass
class _Day:
    count: int = 0
    seconds: float = 0.0
    business: float = 0.0
    digest: Digest = field(default_factory=Digest)
    business_digest: Digest = field(default_factory=Digest)


def _same(column: Any, value: object) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value  # type: ignore[no-any-return]


def _matching(
    table: type[ReportRollup] | type[ReportDailyRollup], keys: set[DayKey]
) -> ColumnElement[bool]:
    return or_(
        *(
            and_(
                table.metric == metric,
                _same(table.detail, detail),
                _same(table.team_id, team_id),
                _same(table.agent_id, agent_id),
                _same(table.channel_id, channel_id),
            )
            for metric, detail, team_id, agent_id, channel_id in sorted(
                keys, key=lambda k: tuple(str(v) for v in k)
            )
        )
    )


def digest_columns(name: str, digest: Digest) -> dict[str, Any]:
    """A digest as the daily row's three columns: its count, buckets and exact values (numbers
    joined by commas, `repr` so each reads back as the same float), or nulls when empty."""
    if not digest.count:
        return {f"{name}_count": None, f"{name}_buckets": None, f"{name}_values": None}
    data = digest.to_json()
    values = ",".join(repr(float(v)) for v in digest.values) if digest.values is not None else None
    return {f"{name}_count": data["n"], f"{name}_buckets": data["b"], f"{name}_values": values}


def month_of(moment: datetime) -> datetime:
    """The UTC midnight the moment's UTC month starts at."""
    return day_of(moment).replace(day=1)


def next_month(month: datetime) -> datetime:
    return (month + timedelta(days=32)).replace(day=1)


def _added(total: dict[str, int], buckets: dict[str, Any] | None) -> dict[str, int]:
    if not buckets:
        return total
    summed = dict(total)
    for index, n in buckets.items():
        summed[str(index)] = summed.get(str(index), 0) + int(n)
    return summed


async def refresh_month(
    session: AsyncSession, workspace_id: uuid.UUID, day: datetime, keys: set[DayKey] | None = None
) -> None:
    """Recompute the month-to-date buckets (`digest_month_buckets`, `business_...`) of the cells
    `keys` names (or all) from `day` to the end of its UTC month: each row's are the buckets of
    the cell's rows from the first of the month through its own day, added up."""
    month = month_of(day)
    table = ReportDailyRollup
    query = select(
        table.id,
        table.day,
        table.metric,
        table.detail,
        table.team_id,
        table.agent_id,
        table.channel_id,
        table.digest_buckets,
        table.business_digest_buckets,
        table.digest_month_buckets,
        table.business_digest_month_buckets,
    ).where(table.workspace_id == workspace_id, table.day >= month, table.day < next_month(month))
    if keys is not None:
        query = query.where(_matching(table, keys))
    running: dict[DayKey, tuple[dict[str, int], dict[str, int]]] = {}
    changed = []
    for row in await session.execute(query.order_by(table.day)):
        key = (row.metric, row.detail, row.team_id, row.agent_id, row.channel_id)
        wall, business = running.get(key, ({}, {}))
        wall, business = (
            _added(wall, row.digest_buckets),
            _added(business, row.business_digest_buckets),
        )
        running[key] = (wall, business)
        if row.day >= day and (wall, business) != (
            row.digest_month_buckets,
            row.business_digest_month_buckets,
        ):
            changed.append({"row_id": row.id, "wall": wall, "business": business})
    if changed:
        rows = cast(Table, table.__table__)  # Core: one statement for every row
        await session.execute(
            update(rows)
            .where(rows.c.id == bindparam("row_id"))
            .values(
                digest_month_buckets=bindparam("wall"),
                business_digest_month_buckets=bindparam("business"),
            ),
            changed,
        )


async def rebuild_day(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    day: datetime,
    keys: set[DayKey] | None = None,
    *,
    month: bool = True,
) -> int:
    """Replace the day's rows (only the cells `keys` names, or all) with the merge of its hourly
    rows, then those cells' month-to-date buckets (unless `month` is false: the caller refreshes
    them once for many days); returns how many were written."""
    hourly = select(
        ReportRollup.metric,
        ReportRollup.detail,
        ReportRollup.team_id,
        ReportRollup.agent_id,
        ReportRollup.channel_id,
        ReportRollup.count,
        ReportRollup.sum_seconds,
        ReportRollup.sum_business_seconds,
        ReportRollup.digest,
        ReportRollup.business_digest,
    ).where(
        ReportRollup.workspace_id == workspace_id,
        ReportRollup.hour >= day,
        ReportRollup.hour < day + DAY,
    )
    stale = delete(ReportDailyRollup).where(
        ReportDailyRollup.workspace_id == workspace_id, ReportDailyRollup.day == day
    )
    if keys is not None:
        hourly = hourly.where(_matching(ReportRollup, keys))
        stale = stale.where(_matching(ReportDailyRollup, keys))
    cells: dict[DayKey, _Day] = {}
    # In hour order, so the exact values join in the order a report over the hours reads them.
    for row in await session.execute(hourly.order_by(ReportRollup.hour)):
        metric, detail, team_id, agent_id, channel_id, count, seconds, business, wall, biz = row
        cell = cells.setdefault((metric, detail, team_id, agent_id, channel_id), _Day())
        cell.count += int(count)
        cell.seconds += float(seconds)
        cell.business += float(business)
        if wall:
            cell.digest.merge(Digest.from_json(wall))
        if biz:
            cell.business_digest.merge(Digest.from_json(biz))
    await session.execute(stale)
    session.add_all(
        ReportDailyRollup(
            workspace_id=workspace_id,
            day=day,
            metric=metric,
            detail=detail,
            team_id=team_id,
            agent_id=agent_id,
            channel_id=channel_id,
            count=cell.count,
            sum_seconds=cell.seconds,
            sum_business_seconds=cell.business,
            **digest_columns("digest", cell.digest),
            **digest_columns("business_digest", cell.business_digest),
        )
        for (metric, detail, team_id, agent_id, channel_id), cell in cells.items()
    )
    await session.flush()
    if month:
        await refresh_month(session, workspace_id, day, keys)
    return len(cells)


async def _refresh_months(
    session: AsyncSession, days: dict[tuple[uuid.UUID, datetime], set[DayKey] | None]
) -> None:
    """Refresh each month touched once, from its first day rebuilt, for every cell rebuilt in it
    (all when a whole day was)."""
    months: dict[tuple[uuid.UUID, datetime], tuple[datetime, set[DayKey] | None]] = {}
    for (workspace_id, day), keys in days.items():
        month = (workspace_id, month_of(day))
        first, known = months.get(month, (day, set()))
        merged = None if keys is None or known is None else known | keys
        months[month] = (min(first, day), merged)
    for (workspace_id, _), (first, keys) in sorted(
        months.items(), key=lambda i: (str(i[0][0]), i[0][1])
    ):
        await refresh_month(session, workspace_id, first, keys)


async def rebuild_days(session: AsyncSession, cells: Iterable[Cell], *, whole: bool = False) -> int:
    """Rebuild the daily rows of the hourly cells touched: those cells' rows of each day, or
    whole days when many cells share one (or `whole`, a replay of history)."""
    by_day: dict[tuple[uuid.UUID, datetime], set[DayKey]] = {}
    for cell in cells:
        by_day.setdefault((cell.workspace_id, day_of(cell.hour)), set()).add(
            (cell.metric, cell.detail, cell.team_id, cell.agent_id, cell.channel_id)
        )
    written = 0
    rebuilt: dict[tuple[uuid.UUID, datetime], set[DayKey] | None] = {}
    for (workspace_id, day), keys in sorted(by_day.items(), key=lambda i: (str(i[0][0]), i[0][1])):
        whole_day = whole or len(keys) >= WHOLE_DAY_FROM
        rebuilt[(workspace_id, day)] = None if whole_day else keys
        written += await rebuild_day(
            session, workspace_id, day, None if whole_day else keys, month=False
        )
    await _refresh_months(session, rebuilt)
    return written


async def rebuild_whole_days(
    session: AsyncSession, touched: Iterable[tuple[uuid.UUID, datetime]]
) -> int:
    """Rebuild every daily row of the days of these (workspace, hour) pairs."""
    days = sorted({(ws, day_of(hour)) for ws, hour in touched}, key=lambda t: (str(t[0]), t[1]))
    written = 0
    for workspace_id, day in days:
        written += await rebuild_day(session, workspace_id, day, month=False)
    await _refresh_months(session, dict.fromkeys(days))
    return written
