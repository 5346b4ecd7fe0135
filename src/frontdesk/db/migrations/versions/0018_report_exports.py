"""report exports

Exports of a report (CSV or XLSX) asked for by a member or an API token, written by a job:
status, progress, and the file kept in the storage until it expires.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = frontdesk.db.types.UTCDateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "report_export",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("requested_by_token_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("filters", _JSON, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("file_key", sa.String(length=300), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("finished_at", _TIME, nullable=True),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_report_export_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_export")),
    )
    with op.batch_alter_table("report_export", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_export_workspace_id_created_at", ["workspace_id", "created_at"]
        )
        batch_op.create_index("ix_report_export_expires_at", ["expires_at"])


def downgrade() -> None:
    with op.batch_alter_table("report_export", schema=None) as batch_op:
        batch_op.drop_index("ix_report_export_expires_at")
        batch_op.drop_index("ix_report_export_workspace_id_created_at")
    op.drop_table("report_export")
