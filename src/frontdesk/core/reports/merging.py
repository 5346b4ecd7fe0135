"""Merging the rollups' digests in the database, so a report reads a handful of rows.

A month of hourly rollups for 20 agents is some 15,000 digest rows per metric (some 700 read
from the daily tier, `daily.py`); decoding each in Python and adding its buckets costs far
more than the report's sums. Here the database adds them up (`digest.md`: buckets merge by
addition), and only what the merged digest needs comes back:

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

from collections import defaultdict
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import Integer, Subquery, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports.digest import MERGED_EXACT_LIMIT, Digest
from frontdesk.core.reports.heavy import off_loop

Key = tuple[Any, str]  # (group, metric); the group is None for one total


class Parts(NamedTuple):
    """A digest's columns in the rows read: its count, buckets (JSON) and exact values (text)."""

    n: Any
    b: Any
    v: Any


async def merged_digests(
    db: AsyncSession, rows: Subquery, *, grouped: bool
) -> dict[str, dict[Key, Digest]]:
    """The merged wall and business digests per (group, metric) of the rollup rows `rows`
    (`reading.rollup_rows`: the report's workspace, period, filters and metrics already
    applied), grouped by its `by_value` column when `grouped`."""
    keys = [rows.c.by_value] if grouped else []
    postgres = db.get_bind().dialect.name == "postgresql"
    merged: dict[str, dict[Key, Digest]] = {}
    for name, column in (("wall", "digest"), ("business", "business_digest")):
        parts = Parts(rows.c[f"{column}_n"], rows.c[f"{column}_b"], rows.c[f"{column}_v"])
        shapes = await _shapes(db, rows, keys, parts)
        if not shapes:
            merged[name] = {}
            continue
        digests = {key: Digest(count=n, values=None) for key, (n, _) in shapes.items()}
        for key, index, n in await _buckets(db, rows, keys, parts, postgres=postgres):
            digests[key].buckets[index] = n
        exact = {key for key, (_, whole) in shapes.items() if whole}
        if exact:
            await _values(db, rows, keys, parts, exact=exact, digests=digests)
        merged[name] = digests
    return merged


async def _shapes(
    db: AsyncSession, rows: Subquery, keys: list[Any], parts: Parts
) -> dict[Key, tuple[int, bool]]:
    """(values held, merged digest stays exact) per group and metric that has any value."""
    query = select(
        *keys, rows.c.metric, func.sum(parts.n), func.count(parts.n), func.count(parts.v)
    ).group_by(*keys, rows.c.metric)
    shapes = {}
    for row in await db.execute(query):
        group = row[0] if keys else None
        metric, total, parts, exact_parts = row[len(keys) :]
        total = int(total or 0)
        if parts:
            shapes[(group, metric)] = (total, exact_parts == parts and total <= MERGED_EXACT_LIMIT)
    return shapes


async def _buckets(
    db: AsyncSession, rows: Subquery, keys: list[Any], parts: Parts, *, postgres: bool
) -> list[tuple[Key, int, int]]:
    if postgres:
        each = func.jsonb_each_text(parts.b).table_valued("key", "value")
    else:
        each = func.json_each(parts.b).table_valued("key", "value")
    count = func.sum(func.cast(each.c.value, Integer))
    query = (
        select(*keys, rows.c.metric, each.c.key, count)
        .select_from(rows)
        .join(each, true())
        .where(parts.n.is_not(None))  # a daily row without a digest stores JSON null buckets
        .group_by(*keys, rows.c.metric, each.c.key)
    )
    found = []
    for row in await db.execute(query):
        group = row[0] if keys else None
        metric, index, n = row[len(keys) :]
        found.append(((group, metric), int(index), int(n)))
    return found


async def _values(
    db: AsyncSession,
    rows: Subquery,
    keys: list[Any],
    parts: Parts,
    *,
    exact: set[Key],
    digests: dict[Key, Digest],
) -> None:
    """The exact values of the groups that keep them: each group's parts joined into one text
    by the database (one row per group, decoded at once)."""
    wanted: dict[str, set[Any]] = defaultdict(set)
    for group, metric in exact:
        wanted[metric].add(group)
    part = parts.v
    postgres = db.get_bind().dialect.name == "postgresql"
    joined = func.string_agg(part, ",") if postgres else func.group_concat(part, ",")
    query = select(*keys, rows.c.metric, joined).where(
        rows.c.metric.in_(list(wanted)), part.is_not(None)
    )
    if keys and all(None not in groups for groups in wanted.values()):
        query = query.where(or_(*(keys[0].in_(groups) for groups in wanted.values())))
    query = query.group_by(*keys, rows.c.metric)
    for row in await db.execute(query):
        group = row[0] if keys else None
        metric, text = row[len(keys) :]
        if (group, metric) in exact and text:
            # Off the event loop when large (heavy.py): a month's values are many numbers.
            digests[(group, metric)].values = await off_loop(len(text), partial(_numbers, text))
    for key in exact:
        if digests[key].values is None:
            digests[key].values = []


def _numbers(text: str) -> list[float]:
    """The numbers of the values' texts joined by commas: JSON arrays from hourly rows
    (`[1.5, 2.0]`, never empty) and plain lists from daily rows (`1.5,2.0`). Splitting is
    several times cheaper than decoding JSON, and a month's exact values can be hundreds of
    thousands of numbers."""
    numbers = list(map(float, text.replace("[", "").replace("]", "").split(",")))
    numbers.sort()  # here, off the loop: the quantiles then find them in order
    return numbers
