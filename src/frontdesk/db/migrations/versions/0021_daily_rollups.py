"""daily report rollups

A second tier of report rollups: one row per workspace, UTC day, metric, detail, team, agent
and channel, merged from that day's hourly rollups, so a report over weeks reads a row a day
for its whole days and hourly rows only at its edges. The days already rolled up by the hour
are merged here; from then on the report job keeps each day it touches up to date.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 19:30:00
"""

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = frontdesk.db.types.UTCDateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


_HOURLY = sa.table(
    "report_rollup",
    sa.column("workspace_id", sa.Uuid()),
    sa.column("hour", _TIME),
    sa.column("metric", sa.String()),
    sa.column("detail", sa.String()),
    sa.column("team_id", sa.Uuid()),
    sa.column("agent_id", sa.Uuid()),
    sa.column("channel_id", sa.Uuid()),
    sa.column("count", sa.Integer()),
    sa.column("sum_seconds", sa.Float()),
    sa.column("sum_business_seconds", sa.Float()),
    sa.column("digest", _JSON),
    sa.column("business_digest", _JSON),
)
# As `core/reports/digest.py` merges: buckets add up, exact values join while every part keeps
# them and there are at most this many.
_MERGED_EXACT_LIMIT = 20_000


def _merge(total: dict[str, Any] | None, part: dict[str, Any] | None) -> dict[str, Any] | None:
    if not part:
        return total
    if total is None:
        total = {"n": 0, "b": {}, "v": []}
    total["n"] += int(part.get("n", 0))
    for index, n in (part.get("b") or {}).items():
        total["b"][str(index)] = total["b"].get(str(index), 0) + int(n)
    values = part.get("v")
    if "v" in total and values is not None and len(total["v"]) + len(values) <= _MERGED_EXACT_LIMIT:
        total["v"].extend(values)
    else:
        total.pop("v", None)
    return total


def _columns(cell: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in cell.items() if k not in ("digest", "business_digest")}
    for name in ("digest", "business_digest"):
        digest = cell[name]
        row[f"{name}_count"] = digest["n"] if digest else None
        row[f"{name}_buckets"] = digest["b"] if digest else None
        values = digest.get("v") if digest else None
        row[f"{name}_values"] = (
            ",".join(repr(float(v)) for v in values) if values is not None else None
        )
    return row


def _fill_from_hours() -> None:
    """Merge the hourly rollups already written into days (one pass, a day at a time)."""
    bind = op.get_bind()
    daily = sa.table(
        "report_daily_rollup",
        *(
            sa.column(c.name, c.type)
            for c in _HOURLY.columns
            if c.name != "hour" and "digest" not in c.name
        ),
        sa.column("id", sa.Uuid()),
        sa.column("day", _TIME),
        *(
            sa.column(f"{name}_{part}", kind)
            for name in ("digest", "business_digest")
            for part, kind in (("count", sa.Integer()), ("buckets", _JSON), ("values", sa.Text()))
        ),
    )
    rows = bind.execute(
        sa.select(_HOURLY).order_by(_HOURLY.c.workspace_id, _HOURLY.c.hour)
    ).mappings()
    cells: dict[tuple[Any, ...], dict[str, Any]] = {}
    current: tuple[Any, Any] | None = None

    def flush() -> None:
        if cells:
            bind.execute(sa.insert(daily), [_columns(cell) for cell in cells.values()])
            cells.clear()

    for row in rows:
        day = row["hour"].replace(hour=0, minute=0, second=0, microsecond=0)
        if current != (row["workspace_id"], day):
            flush()
            current = (row["workspace_id"], day)
        key = (row["metric"], row["detail"], row["team_id"], row["agent_id"], row["channel_id"])
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = {
                "id": uuid.uuid4(),
                "workspace_id": row["workspace_id"],
                "day": day,
                "metric": row["metric"],
                "detail": row["detail"],
                "team_id": row["team_id"],
                "agent_id": row["agent_id"],
                "channel_id": row["channel_id"],
                "count": 0,
                "sum_seconds": 0.0,
                "sum_business_seconds": 0.0,
                "digest": None,
                "business_digest": None,
            }
        cell["count"] += row["count"]
        cell["sum_seconds"] += row["sum_seconds"]
        cell["sum_business_seconds"] += row["sum_business_seconds"]
        cell["digest"] = _merge(cell["digest"], row["digest"])
        cell["business_digest"] = _merge(cell["business_digest"], row["business_digest"])
    flush()


def upgrade() -> None:
    op.create_table(
        "report_daily_rollup",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("day", _TIME, nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=80), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("sum_seconds", sa.Float(), nullable=False),
        sa.Column("sum_business_seconds", sa.Float(), nullable=False),
        sa.Column("digest_count", sa.Integer(), nullable=True),
        sa.Column("digest_buckets", _JSON, nullable=True),
        sa.Column("digest_values", sa.Text(), nullable=True),
        sa.Column("business_digest_count", sa.Integer(), nullable=True),
        sa.Column("business_digest_buckets", _JSON, nullable=True),
        sa.Column("business_digest_values", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_report_daily_rollup_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_daily_rollup")),
    )
    with op.batch_alter_table("report_daily_rollup", schema=None) as batch_op:
        batch_op.create_index("ix_report_daily_rollup_workspace_id_day", ["workspace_id", "day"])
    _fill_from_hours()


def downgrade() -> None:
    with op.batch_alter_table("report_daily_rollup", schema=None) as batch_op:
        batch_op.drop_index("ix_report_daily_rollup_workspace_id_day")
    op.drop_table("report_daily_rollup")
