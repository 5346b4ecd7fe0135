"""reports

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = frontdesk.db.types.UTCDateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspace.id"],
        name=op.f(f"fk_{table}_workspace_id_workspace"),
        ondelete="CASCADE",
    )


def _dimensions() -> list[sa.Column[object]]:
    return [
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "report_cursor",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_cursor")),
    )
    op.create_table(
        "report_conversation",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("started_at", _TIME, nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_at", _TIME, nullable=True),
        sa.Column("assignee_replied", sa.Boolean(), nullable=False),
        sa.Column("first_assignee_id", sa.Uuid(), nullable=True),
        sa.Column("first_assigned_at", _TIME, nullable=True),
        sa.Column("customer_since", _TIME, nullable=True),
        sa.Column("wait_started_at", _TIME, nullable=True),
        sa.Column("is_answered", sa.Boolean(), nullable=False),
        sa.Column("is_abandoned", sa.Boolean(), nullable=False),
        sa.Column("is_closed", sa.Boolean(), nullable=False),
        _workspace_fk("report_conversation"),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_report_conversation")),
    )
    with op.batch_alter_table("report_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_conversation_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_report_conversation_waiting",
            ["is_closed", "is_answered", "is_abandoned", "customer_since"],
        )
    op.create_table(
        "report_fact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=80), nullable=True),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("segment", sa.Integer(), nullable=True),
        *_dimensions(),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("business_seconds", sa.Float(), nullable=True),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        _workspace_fk("report_fact"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_fact")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_report_fact_workspace_id_key")),
    )
    with op.batch_alter_table("report_fact", schema=None) as batch_op:
        batch_op.create_index("ix_report_fact_workspace_id_at", ["workspace_id", "at"])
        batch_op.create_index(
            "ix_report_fact_workspace_id_metric_at", ["workspace_id", "metric", "at"]
        )
    op.create_table(
        "report_rollup",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("hour", _TIME, nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=80), nullable=True),
        *_dimensions(),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("sum_seconds", sa.Float(), nullable=False),
        sa.Column("sum_business_seconds", sa.Float(), nullable=False),
        sa.Column("digest", _JSON, nullable=True),
        sa.Column("business_digest", _JSON, nullable=True),
        _workspace_fk("report_rollup"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_rollup")),
    )
    with op.batch_alter_table("report_rollup", schema=None) as batch_op:
        batch_op.create_index("ix_report_rollup_workspace_id_hour", ["workspace_id", "hour"])


def downgrade() -> None:
    with op.batch_alter_table("report_rollup", schema=None) as batch_op:
        batch_op.drop_index("ix_report_rollup_workspace_id_hour")
    op.drop_table("report_rollup")
    with op.batch_alter_table("report_fact", schema=None) as batch_op:
        batch_op.drop_index("ix_report_fact_workspace_id_metric_at")
        batch_op.drop_index("ix_report_fact_workspace_id_at")
    op.drop_table("report_fact")
    with op.batch_alter_table("report_conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_report_conversation_waiting")
        batch_op.drop_index(batch_op.f("ix_report_conversation_workspace_id"))
    op.drop_table("report_conversation")
    op.drop_table("report_cursor")
