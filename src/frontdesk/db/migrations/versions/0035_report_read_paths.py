"""Reports read faster: month-to-date bucket counts on the daily tier, and a partial index of
the open and pending conversations

Each daily rollup row also keeps, for each digest, its cell's bucket counts added up from the
first of its UTC month through its day, so whole days within a month are read as the
difference of two rows per cell (filled here from the daily rows already written). The
reports' counts of conversations held now (queue and open per agent, waiting per team or
channel) read the open and pending conversations from an index of their own, which holds every
column those counts need.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 19:30:00.000000
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_HOLDING = "status IN ('open', 'pending')"
_BATCH = 1_000
_DAILY = sa.table(
    "report_daily_rollup",
    sa.column("id", sa.Uuid()),
    sa.column("workspace_id", sa.Uuid()),
    sa.column("day", frontdesk.db.types.UTCDateTime(timezone=True)),
    sa.column("metric", sa.String()),
    sa.column("detail", sa.String()),
    sa.column("team_id", sa.Uuid()),
    sa.column("agent_id", sa.Uuid()),
    sa.column("channel_id", sa.Uuid()),
    sa.column("digest_buckets", _JSON),
    sa.column("business_digest_buckets", _JSON),
    sa.column("digest_month_buckets", _JSON),
    sa.column("business_digest_month_buckets", _JSON),
)


def _month(day: datetime) -> datetime:
    return day.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _added(total: dict[str, int], buckets: dict[str, Any] | None) -> dict[str, int]:
    summed = dict(total)
    for index, n in (buckets or {}).items():
        summed[str(index)] = summed.get(str(index), 0) + int(n)
    return summed


def _fill_month_buckets() -> None:
    """As `core/reports/daily.refresh_month` keeps them: per workspace, month and cell, each
    row's buckets added to those of the cell's rows before it in the month."""
    bind = op.get_bind()
    t = _DAILY.c
    rows = bind.execute(
        sa.select(
            t.id,
            t.workspace_id,
            t.day,
            t.metric,
            t.detail,
            t.team_id,
            t.agent_id,
            t.channel_id,
            t.digest_buckets,
            t.business_digest_buckets,
        ).order_by(t.workspace_id, t.day)
    ).all()
    running: dict[tuple[Any, ...], tuple[dict[str, int], dict[str, int]]] = {}
    update = (
        sa.update(_DAILY)
        .where(t.id == sa.bindparam("row_id"))
        .values(
            digest_month_buckets=sa.bindparam("wall"),
            business_digest_month_buckets=sa.bindparam("business"),
        )
    )
    batch: list[dict[str, Any]] = []
    for row in rows:
        key = (
            row.workspace_id,
            _month(row.day),
            row.metric,
            row.detail,
            row.team_id,
            row.agent_id,
            row.channel_id,
        )
        wall, business = running.get(key, ({}, {}))
        wall = _added(wall, row.digest_buckets)
        business = _added(business, row.business_digest_buckets)
        running[key] = (wall, business)
        batch.append({"row_id": row.id, "wall": wall, "business": business})
        if len(batch) >= _BATCH:
            bind.execute(update, batch)
            batch = []
    if batch:
        bind.execute(update, batch)


def upgrade() -> None:
    with op.batch_alter_table("report_daily_rollup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_month_buckets", _JSON, nullable=True))
        batch_op.add_column(sa.Column("business_digest_month_buckets", _JSON, nullable=True))
    _fill_month_buckets()
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_holding",
            ["workspace_id", "assignee_id", "team_id", "channel_id", "waiting_since", "status"],
            unique=False,
            postgresql_where=sa.text(_HOLDING),
            sqlite_where=sa.text(_HOLDING),
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_conversation_holding",
            postgresql_where=sa.text(_HOLDING),
            sqlite_where=sa.text(_HOLDING),
        )
    with op.batch_alter_table("report_daily_rollup", schema=None) as batch_op:
        batch_op.drop_column("business_digest_month_buckets")
        batch_op.drop_column("digest_month_buckets")
