"""Merging the rollups' digests in the database, so a report reads a handful of rows.

A month of hourly rollups for 20 agents is some 15,000 digest rows per metric; decoding each in
Python and adding its buckets costs far more than the report's sums. Here the database adds
them up (`digest.md`: buckets merge by addition), and only what the merged digest needs comes
back:

1. per group and metric, how many values the digests hold and whether every one still keeps
   its exact values (`"v"`);
2. the buckets' counts, summed per group, metric and bucket (`jsonb_each_text` on PostgreSQL,
   `json_each` on SQLite);
3. the exact values, only for the groups whose merged digest stays exact (every part exact
   and at most `MERGED_EXACT_LIMIT` values in all), as `Digest.merge_json` keeps them.

The digests built are the ones merging every row in Python would build (same count, buckets
and exact values), so the figures do not change.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Integer, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports.digest import MERGED_EXACT_LIMIT, Digest
from frontdesk.core.reports.models import ReportRollup

Key = tuple[Any, str]  # (group, metric); the group is None for one total
_COLUMNS = (("wall", ReportRollup.digest), ("business", ReportRollup.business_digest))


async def merged_digests(
    db: AsyncSession,
    scoped: Any,
    *,
    by: Any,
    metrics: tuple[str, ...],
) -> dict[str, dict[Key, Digest]]:
    """The merged wall and business digests per (group, metric) of the rows `scoped(query)`
    selects; `scoped` adds the report's workspace, period and filters to a query."""
    keys = [by] if by is not None else []
    postgres = db.get_bind().dialect.name == "postgresql"
    merged: dict[str, dict[Key, Digest]] = {}
    for name, column in _COLUMNS:
        shapes = await _shapes(db, scoped, keys, column, metrics)
        if not shapes:
            merged[name] = {}
            continue
        digests = {key: Digest(count=n, values=None) for key, (n, _) in shapes.items()}
        for key, index, n in await _buckets(db, scoped, keys, column, metrics, postgres=postgres):
            digests[key].buckets[index] = n
        exact = {key for key, (_, whole) in shapes.items() if whole}
        if exact:
            await _values(db, scoped, keys, column, exact=exact, digests=digests)
        merged[name] = digests
    return merged


async def _shapes(
    db: AsyncSession, scoped: Any, keys: list[Any], column: Any, metrics: tuple[str, ...]
) -> dict[Key, tuple[int, bool]]:
    """(values held, merged digest stays exact) per group and metric that has any value."""
    n = column["n"].as_integer()
    query = scoped(
        select(
            *keys,
            ReportRollup.metric,
            func.sum(n),
            func.count(n),
            func.count(column["v"].as_string()),
        )
    )
    query = query.where(ReportRollup.metric.in_(metrics)).group_by(*keys, ReportRollup.metric)
    shapes = {}
    for row in await db.execute(query):
        group = row[0] if keys else None
        metric, total, parts, exact_parts = row[len(keys) :]
        total = int(total or 0)
        if parts:
            shapes[(group, metric)] = (total, exact_parts == parts and total <= MERGED_EXACT_LIMIT)
    return shapes


async def _buckets(
    db: AsyncSession,
    scoped: Any,
    keys: list[Any],
    column: Any,
    metrics: tuple[str, ...],
    *,
    postgres: bool,
) -> list[tuple[Key, int, int]]:
    if postgres:
        each = func.jsonb_each_text(column["b"]).table_valued("key", "value")
    else:
        each = func.json_each(column, "$.b").table_valued("key", "value")
    count = func.sum(func.cast(each.c.value, Integer))
    query = scoped(
        select(*keys, ReportRollup.metric, each.c.key, count)
        .select_from(ReportRollup)
        .join(each, true())
    )
    query = query.where(ReportRollup.metric.in_(metrics)).group_by(
        *keys, ReportRollup.metric, each.c.key
    )
    found = []
    for row in await db.execute(query):
        group = row[0] if keys else None
        metric, index, n = row[len(keys) :]
        found.append(((group, metric), int(index), int(n)))
    return found


async def _values(
    db: AsyncSession,
    scoped: Any,
    keys: list[Any],
    column: Any,
    *,
    exact: set[Key],
    digests: dict[Key, Digest],
) -> None:
    """The exact values of the groups that keep them: each group's parts joined into one text
    by the database (one row per group, decoded at once)."""
    wanted: dict[str, set[Any]] = defaultdict(set)
    for group, metric in exact:
        wanted[metric].add(group)
    part = column["v"].as_string()
    postgres = db.get_bind().dialect.name == "postgresql"
    joined = func.string_agg(part, ",") if postgres else func.group_concat(part, ",")
    query = scoped(select(*keys, ReportRollup.metric, joined))
    query = query.where(ReportRollup.metric.in_(list(wanted)), part.is_not(None))
    if keys and all(None not in groups for groups in wanted.values()):
        query = query.where(or_(*(keys[0].in_(groups) for groups in wanted.values())))
    query = query.group_by(*keys, ReportRollup.metric)
    for row in await db.execute(query):
        group = row[0] if keys else None
        metric, text = row[len(keys) :]
        if (group, metric) in exact and text:
            digests[(group, metric)].values = [
                float(v) for values in json.loads(f"[{text}]") for v in values
            ]
    for key in exact:
        if digests[key].values is None:
            digests[key].values = []
