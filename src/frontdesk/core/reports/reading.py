"""Reading rollups: totals and merged digests over a period, with the report's filters.

A period's whole UTC days are read from the daily tier (`daily.py`) and its partial days at
either edge from the hourly rows, in one `UNION ALL` every query of a report reads from; a
report grouped by hour reads the hours only. Both tiers hold the same figures. The digests'
buckets over whole days are read from the daily rows' month-to-date buckets (`bucket_rows`):
two rows per cell and month instead of one per cell and day.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    Subquery,
    bindparam,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.reports.daily import month_of, next_month, whole_days
from frontdesk.core.reports.daily_models import ReportDailyRollup
from frontdesk.core.reports.digest import Digest
from frontdesk.core.reports.merging import add_shape, finished_shapes, merged_digests, shape_columns
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.schemas import Durations, Stat
from frontdesk.core.routing.engine import HOLDING
from frontdesk.core.workspaces.models import TeamMember


@dataclass(frozen=True)
class Filters:
    team_ids: tuple[uuid.UUID, ...] = ()
    agent_ids: tuple[uuid.UUID, ...] = ()
    channel_ids: tuple[uuid.UUID, ...] = ()
    # Conversations that carry any of the tags; segments closed with any of the outcomes. The
    # rollups have neither dimension, so these are read from the facts (core/reports/narrowing).
    tag_ids: tuple[uuid.UUID, ...] = ()
    outcomes: tuple[str, ...] = ()

    @property
    def reads_facts(self) -> bool:
        return bool(self.tag_ids or self.outcomes)


@dataclass
class Totals:
    """Counts and sums by metric (and detail), and merged digests by metric."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    details: dict[tuple[str, str | None], int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    detail_seconds: dict[tuple[str, str | None], float] = field(
        default_factory=lambda: defaultdict(float)
    )
    business: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    digests: dict[str, Digest] = field(default_factory=dict)
    business_digests: dict[str, Digest] = field(default_factory=dict)

    def add(
        self, metric: str, detail: str | None, count: int, seconds: float, business: float
    ) -> None:
        self.counts[metric] += count
        self.details[(metric, detail)] += count
        self.seconds[metric] += seconds
        self.detail_seconds[(metric, detail)] += seconds
        self.business[metric] += business

    def merge_digest(self, metric: str, wall: Any, business: Any) -> None:
        for store, data in ((self.digests, wall), (self.business_digests, business)):
            if data:
                store.setdefault(metric, Digest()).merge_json(data)

    def absorb(self, other: Totals) -> None:
        for (metric, detail), count in other.details.items():
            self.details[(metric, detail)] += count
            self.detail_seconds[(metric, detail)] += other.detail_seconds[(metric, detail)]
        for metric, count in other.counts.items():
            self.counts[metric] += count
            self.seconds[metric] += other.seconds[metric]
            self.business[metric] += other.business[metric]
        for metric, digest in other.digests.items():
            self.digests.setdefault(metric, Digest()).merge(digest)
        for metric, digest in other.business_digests.items():
            self.business_digests.setdefault(metric, Digest()).merge(digest)

    def stat(self, metric: str, *, business: bool = False) -> Stat:
        count = self.counts.get(metric, 0)
        total = (self.business if business else self.seconds).get(metric, 0.0)
        digest = (self.business_digests if business else self.digests).get(metric, Digest())
        return Stat(
            count=count,
            avg=_ms(total / count) if count else None,
            median=_ms(digest.quantile(0.5)),
            p90=_ms(digest.quantile(0.9)),
        )

    def durations(self, metric: str) -> Durations:
        return Durations(wall=self.stat(metric), business=self.stat(metric, business=True))


def scoped(
    query: Select[Any], workspace_id: uuid.UUID, filters: Filters, start: datetime, end: datetime
) -> Select[Any]:
    query = query.where(
        ReportRollup.workspace_id == workspace_id,
        ReportRollup.hour >= start,
        ReportRollup.hour < end,
    )
    if filters.team_ids:
        query = query.where(ReportRollup.team_id.in_(filters.team_ids))
    if filters.agent_ids:
        query = query.where(ReportRollup.agent_id.in_(filters.agent_ids))
    if filters.channel_ids:
        query = query.where(ReportRollup.channel_id.in_(filters.channel_ids))
    return query


_ROW = ("metric", "detail", "count", "sum_seconds", "sum_business_seconds")
DIGESTS = ("digest", "business_digest")


def _digest_parts(table: Any, postgres: bool) -> list[Any]:
    """Each digest's count, buckets and exact values (`<digest>_n`, `_b`, `_v`): the daily
    tier's own columns, or the parts of the hourly rows' JSON (the values as JSON text, which
    `merging._numbers` reads as well as the daily rows' plain text)."""
    parts = []
    for name in DIGESTS:
        if table is ReportDailyRollup:
            n, b, v = (getattr(table, f"{name}_{p}") for p in ("count", "buckets", "values"))
        else:
            column = getattr(table, name)
            n, v = column["n"].as_integer(), column["v"].as_string()
            b = column["b"] if postgres else func.json_extract(column, "$.b")
        parts += [n.label(f"{name}_n"), b.label(f"{name}_b"), v.label(f"{name}_v")]
    return parts


def rollup_rows(
    workspace_id: uuid.UUID,
    filters: Filters,
    start: datetime,
    end: datetime,
    *,
    by: Any,
    metrics: tuple[str, ...] | None,
    digests_on: str | None = None,
    daily_moments: bool = False,
) -> Subquery:
    """The rollup rows of [start, end): daily rows for its whole UTC days, hourly rows for the
    rest (all hourly when grouped by hour). Columns: `by_value` (the `by` column's value, or
    null), metric, detail, count, sum_seconds, sum_business_seconds, and with `digests_on`
    (the dialect's name) each digest's parts (`_digest_parts`). Grouped by hour with
    `daily_moments`, whole days are read from the daily tier with their day as `by_value` (for
    a series whose groups hold whole UTC days)."""
    hourly = getattr(by, "key", None) == "hour"
    days = whole_days(start, end) if daily_moments or not hourly else None
    spans: list[tuple[Any, datetime, datetime]] = []
    if days is None:
        spans.append((ReportRollup, start, end))
    else:
        spans += [(ReportRollup, start, days[0]), (ReportDailyRollup, *days)]
        spans.append((ReportRollup, days[1], end))
    branches = []
    for table, first, last in spans:
        if first >= last:
            continue
        moment = table.hour if table is ReportRollup else table.day
        group: Any
        if by is None:
            group = literal(None)
        elif hourly and table is ReportDailyRollup:
            group = table.day
        else:
            group = getattr(table, by.key)
        columns = [group.label("by_value"), *(getattr(table, name) for name in _ROW)]
        if digests_on is not None:
            columns += _digest_parts(table, digests_on == "postgresql")
        query = select(*columns).where(
            table.workspace_id == workspace_id, moment >= first, moment < last
        )
        branches.append(_narrowed(query, table, filters, metrics))
    return (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("rollup")


def _narrowed(
    query: Select[Any], table: Any, filters: Filters, metrics: tuple[str, ...] | None
) -> Select[Any]:
    if filters.team_ids:
        query = query.where(table.team_id.in_(filters.team_ids))
    if filters.agent_ids:
        query = query.where(table.agent_id.in_(filters.agent_ids))
    if filters.channel_ids:
        query = query.where(table.channel_id.in_(filters.channel_ids))
    if metrics is not None:
        query = query.where(table.metric.in_(metrics))
    return query


def month_spans(first: datetime, last: datetime) -> list[tuple[datetime, datetime, datetime]]:
    """The whole UTC days [first, last) cut at the first of each month: (month, from, to)."""
    spans = []
    while first < last:
        month = month_of(first)
        end = min(next_month(month), last)
        spans.append((month, first, end))
        first = end
    return spans


# A daily row's cell. On PostgreSQL its texts are compared byte by byte (else by the database's
# collation), which sorts each cell's rows together several times faster. Built once: building
# a collation is a slow part of building the statement.
_CELL = (
    ReportDailyRollup.agent_id,
    ReportDailyRollup.team_id,
    ReportDailyRollup.channel_id,
    ReportDailyRollup.metric,
    ReportDailyRollup.detail,
)
_CELL_BYTEWISE = (*_CELL[:3], *(text.collate("C") for text in _CELL[3:]))


def bucket_rows(
    workspace_id: uuid.UUID,
    filters: Filters,
    start: datetime,
    end: datetime,
    *,
    by: Any,
    metrics: tuple[str, ...],
    postgres: bool,
) -> Subquery | None:
    """Rows whose bucket counts, each times its `sign`, add up to the digests' buckets over
    [start, end): the hourly rows of the partial days at the edges (sign 1) and, for the whole
    days, per cell and month, the month-to-date buckets of its last daily row before the span's
    end (1) less those of its last row before the span's start (-1, unless the span starts the
    month). Two rows per cell and month instead of one per cell and day. Columns: `by_value`,
    metric, sign, `digest_b`, `business_digest_b` (null: no digest). None when grouped by hour
    or without whole days: the rollup rows themselves are read."""
    days = None if getattr(by, "key", None) == "hour" else whole_days(start, end)
    if days is None:
        return None
    branches = []
    for first, last in ((start, days[0]), (days[1], end)):
        if first < last:
            parts = []
            for name in DIGESTS:
                column = getattr(ReportRollup, name)
                b = column["b"] if postgres else func.json_extract(column, "$.b")
                # JSON null: no digest.
                parts.append(case((column["n"].as_integer().is_not(None), b)).label(f"{name}_b"))
            group = literal(None) if by is None else getattr(ReportRollup, by.key)
            query = select(
                group.label("by_value"), ReportRollup.metric, literal(1).label("sign"), *parts
            ).where(
                ReportRollup.workspace_id == workspace_id,
                ReportRollup.hour >= first,
                ReportRollup.hour < last,
            )
            branches.append(_narrowed(query, ReportRollup, filters, metrics))
    table = ReportDailyRollup
    cell = _CELL_BYTEWISE if postgres else _CELL
    for month, first, last in month_spans(*days):
        for bound, sign in ((last, 1), (first, -1)):
            if bound == month:
                continue
            # The last row per cell, found sorting ids only; its buckets are read by id.
            latest = func.row_number().over(partition_by=cell, order_by=table.day.desc())
            ranked = _narrowed(
                select(table.id, latest.label("latest")).where(
                    table.workspace_id == workspace_id, table.day >= month, table.day < bound
                ),
                table,
                filters,
                metrics,
            ).subquery()
            group = literal(None) if by is None else getattr(table, by.key)
            branches.append(
                select(
                    group.label("by_value"),
                    table.metric,
                    literal(sign).label("sign"),
                    *(getattr(table, f"{n}_month_buckets").label(f"{n}_b") for n in DIGESTS),
                )
                .join(ranked, ranked.c.id == table.id)
                .where(ranked.c.latest == 1)
            )
    return (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("buckets")


async def totals_by(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    filters: Filters,
    start: datetime,
    end: datetime,
    *,
    by: Any,
    metrics: tuple[str, ...] | None = None,
    digests: tuple[str, ...] = (),
    daily_moments: bool = False,
) -> dict[Any, Totals]:
    """Totals per value of the column `by` (an hour, an agent...); key None for one total.
    `daily_moments`: see `rollup_rows` (the keys are then hours and whole UTC days)."""
    if filters.reads_facts:
        from frontdesk.core.reports.narrowing import fact_totals_by

        return await fact_totals_by(
            db, workspace_id, filters, start, end, by=by, metrics=metrics, digests=digests
        )
    dialect = db.get_bind().dialect.name
    # The digests' shapes are read with the sums when the sums read every digest's rows: one
    # statement and one pass over the rows fewer.
    with_shapes = bool(digests) and (metrics is None or set(digests) <= set(metrics))
    rows = rollup_rows(
        workspace_id,
        filters,
        start,
        end,
        by=by,
        metrics=metrics,
        daily_moments=daily_moments,
        digests_on=dialect if with_shapes else None,
    )
    keys = [rows.c.by_value] if by is not None else []
    query = select(
        *keys,
        rows.c.metric,
        rows.c.detail,
        func.sum(rows.c.count),
        func.sum(rows.c.sum_seconds),
        func.sum(rows.c.sum_business_seconds),
        *(shape_columns(rows) if with_shapes else ()),
    ).group_by(*keys, rows.c.metric, rows.c.detail)
    result: dict[Any, Totals] = defaultdict(Totals)
    running: dict[str, dict[tuple[Any, str], list[int]]] = defaultdict(dict)
    for row in await db.execute(query):
        group = row[0] if keys else None
        metric, detail, count, seconds, business = row[len(keys) : len(keys) + 5]
        result[group].add(
            metric, detail, int(count or 0), float(seconds or 0), float(business or 0)
        )
        if with_shapes and metric in digests:
            add_shape(running, (group, metric), row[len(keys) + 5 :])
    if digests:
        # Merged in the database (merging.py): a handful of rows instead of every row's digest.
        source = rollup_rows(
            workspace_id,
            filters,
            start,
            end,
            by=by,
            metrics=digests,
            digests_on=dialect,
            daily_moments=daily_moments,
        )
        # A series keyed by day (`daily_moments`) reads each day's own buckets.
        buckets = None
        if not daily_moments:
            buckets = bucket_rows(
                workspace_id,
                filters,
                start,
                end,
                by=by,
                metrics=digests,
                postgres=dialect == "postgresql",
            )
        merged = await merged_digests(
            db,
            source,
            grouped=by is not None,
            buckets=buckets,
            shapes=finished_shapes(running) if with_shapes else None,
        )
        for (group, metric), digest in merged["wall"].items():
            result[group].digests[metric] = digest
        for (group, metric), digest in merged["business"].items():
            result[group].business_digests[metric] = digest
    return result


async def team_members(
    db: AsyncSession, workspace_id: uuid.UUID, team_ids: tuple[uuid.UUID, ...]
) -> set[uuid.UUID]:
    return set(
        await db.scalars(
            select(TeamMember.user_id).where(
                TeamMember.workspace_id == workspace_id, TeamMember.team_id.in_(team_ids)
            )
        )
    )


def is_holding() -> ColumnElement[bool]:
    """Open or pending (routing's HOLDING), the statuses written into the SQL rather than sent
    as parameters: only then can the database prove the query within the partial index of
    holding conversations (`ix_conversation_holding`) and count from it alone."""
    statuses: BindParameter[str] = bindparam(
        "holding", list(HOLDING), expanding=True, literal_execute=True
    )
    return Conversation.status.in_(statuses)


def _ms(seconds: float | None) -> float | None:
    """Seconds to the millisecond: sums and interpolations carry float noise below that."""
    return round(seconds, 3) if seconds is not None else None


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
