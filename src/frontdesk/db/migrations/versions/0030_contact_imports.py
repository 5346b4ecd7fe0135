"""Contact imports and privacy requests

CSV imports of contacts (mapping, progress, per-row errors) and the record of each contact
merge that its undo restores from.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0030"
down_revision: str | None = "0029"
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


def upgrade() -> None:
    op.create_table(
        "contact_import",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_key", sa.String(length=300), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("encoding", sa.String(length=16), nullable=False),
        sa.Column("delimiter", sa.String(length=1), nullable=False),
        sa.Column("columns", _JSON, nullable=False),
        sa.Column("mapping", _JSON, nullable=True),
        sa.Column("default_region", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_created", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("rows_failed", sa.Integer(), nullable=False),
        sa.Column("row_errors", _JSON, nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("started_at", _TIME, nullable=True),
        sa.Column("finished_at", _TIME, nullable=True),
        _workspace_fk("contact_import"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_import")),
    )
    with op.batch_alter_table("contact_import", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_import_workspace_id_created_at", ["workspace_id", "created_at"]
        )
    op.create_table(
        "contact_merge",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("kept_contact_id", sa.Uuid(), nullable=False),
        sa.Column("merged_contact_id", sa.Uuid(), nullable=False),
        sa.Column("merged_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("moved", _JSON, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("undone_at", _TIME, nullable=True),
        _workspace_fk("contact_merge"),
        sa.ForeignKeyConstraint(
            ["kept_contact_id"],
            ["contact.id"],
            name=op.f("fk_contact_merge_kept_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["merged_contact_id"],
            ["contact.id"],
            name=op.f("fk_contact_merge_merged_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_merge")),
    )
    with op.batch_alter_table("contact_merge", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_merge_workspace_id_created_at", ["workspace_id", "created_at"]
        )
        batch_op.create_index(batch_op.f("ix_contact_merge_kept_contact_id"), ["kept_contact_id"])
        batch_op.create_index(
            batch_op.f("ix_contact_merge_merged_contact_id"), ["merged_contact_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("contact_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_merge_merged_contact_id"))
        batch_op.drop_index(batch_op.f("ix_contact_merge_kept_contact_id"))
        batch_op.drop_index("ix_contact_merge_workspace_id_created_at")
    op.drop_table("contact_merge")
    with op.batch_alter_table("contact_import", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_import_workspace_id_created_at")
    op.drop_table("contact_import")
