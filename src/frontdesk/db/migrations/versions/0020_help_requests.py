"""help requests

An agent's raised hand on a conversation (`help_request`), open until a supervisor takes over
or it is lowered; one open per conversation.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 17:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("resolved_at IS NULL")
_TIME = frontdesk.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "help_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("raised_by_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("raised_at", _TIME, nullable=False),
        sa.Column("resolved_at", _TIME, nullable=True),
        sa.Column("resolved_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["raised_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_help_request_open",
        "help_request",
        ["conversation_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index(
        "ix_help_request_workspace_open", "help_request", ["workspace_id", "resolved_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_help_request_workspace_open", table_name="help_request")
    op.drop_index("uq_help_request_open", table_name="help_request")
    op.drop_table("help_request")
