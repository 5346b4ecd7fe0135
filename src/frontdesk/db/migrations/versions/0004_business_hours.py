"""business hours: weekly periods, holidays and a time zone per workspace or team

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "business_hours",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column(
            "periods",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "holidays",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_business_hours_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_business_hours_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_hours")),
        sa.UniqueConstraint(
            "workspace_id", "team_id", name=op.f("uq_business_hours_workspace_id_team_id")
        ),
    )
    with op.batch_alter_table("business_hours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_business_hours_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_business_hours_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("business_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_business_hours_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_business_hours_team_id"))

    op.drop_table("business_hours")
