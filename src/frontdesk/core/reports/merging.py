"""Merging the rollups' digests in the database, so a report reads a handful of rows.

A month of hourly rollups for 20 agents is some 15,000 digest rows per metric (some 700 read
from the daily tier, `daily.py`); decoding each in Python and adding its buckets costs far
more than the report's sums. Here the database adds them up (`digest.md`: buckets merge by
addition), and only what the merged digest needs comes back:

1. per group and metric, how many values the digests hold and whether every one still keeps
   its exact values (`"v"`);
2. the buckets' counts, summed per group, metric and bucket (`jsonb_each_text` on PostgreSQL,
   `json_each` on SQLite), for whole days from the daily rows' month-to-date buckets (each
   row's counts times its sign: a month's last row before the end, less its last before the
   start, `reading.bucket_rows`);
3. the exact values, only for the groups whose merged digest stays exact (every part exact
   and at most `MERGED_EXACT_LIMIT` values in all), as `Digest.merge_json` keeps them.

The digests built are the ones merging every row in Python would build (same count, buckets
and exact values), so the figures do not change. The wall and business digests are read
together: one statement for both digests' shapes, one for both digests' buckets.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    String,
    Subquery,
    case,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.reports.digest import MERGED_EXACT_LIMIT, Digest
from frontdesk.core.reports.heavy import off_loop

Key = tuple[Any, str]  # (group, metric); the group is None for one total


class Parts(NamedTuple):
    """A digest's columns in the rows read: its count, buckets (JSON) and exact values (text)."""

    n: Any
    b: Any
    v: Any


NAMES = (("wall", "digest"), ("business", "business_digest"))


Shapes = dict[str, dict[Key, tuple[int, bool]]]


async def merged_digests(
    db: AsyncSession,
    rows: Subquery,
    *,
    grouped: bool,
    buckets: Subquery | None = None,
    shapes: Shapes | None = None,
) -> dict[str, dict[Key, Digest]]:
    """The merged wall and business digests per (group, metric) of the rollup rows `rows`
    (`reading.rollup_rows`: the report's workspace, period, filters and metrics already
    applied), grouped by its `by_value` column when `grouped`. `buckets` may give rows whose
    signed bucket counts add up to the same buckets in fewer rows (`reading.bucket_rows`:
    month-to-date buckets); else the buckets of `rows` are added. Both digests are read
    together: one statement for the shapes (none when the caller read them with its sums,
    `shape_columns`), one for the buckets."""
    keys = [rows.c.by_value] if grouped else []
    postgres = db.get_bind().dialect.name == "postgresql"
    parts = {
        name: Parts(rows.c[f"{column}_n"], rows.c[f"{column}_b"], rows.c[f"{column}_v"])
        for name, column in NAMES
    }
    if shapes is None:
        shapes = await _shapes(db, rows, keys)
    merged: dict[str, dict[Key, Digest]] = {
        name: {key: Digest(count=n, values=None) for key, (n, _) in shapes[name].items()}
        for name, _ in NAMES
    }
    if buckets is None:
        buckets = select(
            *keys,
            rows.c.metric,
            literal(1).label("sign"),
            # A daily row without a digest stores JSON null buckets.
            *(
                case((p.n.is_not(None), p.b)).label(f"{c}_b")
                for (_, c), p in zip(NAMES, parts.values(), strict=True)
            ),
        ).subquery("buckets")
    wanted = [(name, column) for name, column in NAMES if shapes[name]]
    for name, key, found in await _buckets(db, buckets, wanted, grouped=grouped, postgres=postgres):
        if key in merged[name]:  # else month-to-date rows out of step with their days: no count
            merged[name][key].buckets = found
    for name, _ in NAMES:
        exact = {key for key, (_, whole) in shapes[name].items() if whole}
        if exact:
            await _values(db, rows, keys, parts[name], exact=exact, digests=merged[name])
    return merged


def shape_columns(rows: Any) -> list[Any]:
    """Per digest, the aggregates its shape is read from (`add_shape`): values held, parts
    holding any, parts keeping their exact values. `rows` has each digest's parts."""
    columns = []
    for _, column in NAMES:
        n, v = rows.c[f"{column}_n"], rows.c[f"{column}_v"]
        columns += [func.sum(n), func.count(n), func.count(v)]
    return columns


def add_shape(shapes: dict[str, dict[Key, list[int]]], key: Key, figures: Any) -> None:
    """Adds one row of `shape_columns` to the running (values, parts, exact parts) per digest."""
    for n, (name, _) in enumerate(NAMES):
        total, held, exact_parts = (int(f or 0) for f in figures[3 * n : 3 * n + 3])
        if held:
            running = shapes[name].setdefault(key, [0, 0, 0])
            running[0] += total
            running[1] += held
            running[2] += exact_parts


def finished_shapes(shapes: dict[str, dict[Key, list[int]]]) -> Shapes:
    """(values held, merged digest stays exact) per group and metric that has any value."""
    return {
        name: {
            key: (total, exact_parts == held and total <= MERGED_EXACT_LIMIT)
            for key, (total, held, exact_parts) in shapes.get(name, {}).items()
        }
        for name, _ in NAMES
    }


async def _shapes(db: AsyncSession, rows: Subquery, keys: list[Any]) -> Shapes:
    """Per digest, (values held, merged digest stays exact) per group and metric that has any
    value."""
    query = select(*keys, rows.c.metric, *shape_columns(rows)).group_by(*keys, rows.c.metric)
    running: dict[str, dict[Key, list[int]]] = {name: {} for name, _ in NAMES}
    for row in await db.execute(query):
        group = row[0] if keys else None
        add_shape(running, (group, row[len(keys)]), row[len(keys) + 1 :])
    return finished_shapes(running)


async def _buckets(
    db: AsyncSession,
    rows: Subquery,
    wanted: list[tuple[str, str]],
    *,
    grouped: bool,
    postgres: bool,
) -> list[tuple[str, Key, dict[int, int]]]:
    """The bucket counts per digest, group, metric and bucket of `rows` (columns `by_value`
    when grouped, metric, sign, `<digest>_b`), each row's counts times its sign; buckets adding
    up to none are left out. One statement for the digests `wanted` (name, column): the rows
    read once, each group's buckets back as one text (`index:count,...`)."""
    if not wanted:
        return []
    source = select(rows).cte("signed")
    keys = [source.c.by_value] if grouped else []
    sums = []
    for name, column in wanted:
        b = source.c[f"{column}_b"]
        if postgres:
            each = func.jsonb_each_text(b).table_valued("key", "value")
        else:
            each = func.json_each(b).table_valued("key", "value")
        count = func.sum(source.c.sign * func.cast(each.c.value, Integer))
        sums.append(
            select(
                literal(name).label("digest"),
                *keys,
                source.c.metric,
                (type_coerce(each.c.key, String) + ":" + func.cast(count, String)).label("pair"),
            )
            .select_from(source)
            .join(each, true())
            .group_by(*keys, source.c.metric, each.c.key)
            .having(count != 0)
        )
    pairs = (sums[0] if len(sums) == 1 else union_all(*sums)).subquery("pairs")
    outer = [pairs.c.by_value] if grouped else []
    joined = (
        func.string_agg(pairs.c.pair, ",") if postgres else func.group_concat(pairs.c.pair, ",")
    )
    query = select(pairs.c.digest, *outer, pairs.c.metric, joined).group_by(
        pairs.c.digest, *outer, pairs.c.metric
    )
    found = []
    for row in await db.execute(query):
        name = row[0]
        group = row[1] if grouped else None
        metric, text = row[2 if grouped else 1 :]
        # "index:count,index:count": every number in one split, read in C.
        numbers = list(map(int, text.replace(":", ",").split(",")))
        found.append((name, (group, metric), dict(zip(numbers[::2], numbers[1::2], strict=True))))
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
