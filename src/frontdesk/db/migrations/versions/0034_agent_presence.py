"""Agents' presence (app connected, last activity) in its own table, apart from the status row
an assignment claims

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 17:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_presence",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("last_seen_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_active_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_agent_presence_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_agent_presence_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "user_id", name=op.f("pk_agent_presence")),
    )
    op.execute(
        "INSERT INTO agent_presence (workspace_id, user_id, last_seen_at, last_active_at) "
        "SELECT workspace_id, user_id, last_seen_at, last_active_at FROM agent_status "
        "WHERE last_seen_at IS NOT NULL OR last_active_at IS NOT NULL"
    )
    with op.batch_alter_table("agent_status") as batch:
        batch.drop_column("last_active_at")
        batch.drop_column("last_seen_at")


def downgrade() -> None:
    with op.batch_alter_table("agent_status") as batch:
        batch.add_column(
            sa.Column("last_seen_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column(
                "last_active_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.execute(
        "UPDATE agent_status SET "
        "last_seen_at = (SELECT p.last_seen_at FROM agent_presence p WHERE "
        "p.workspace_id = agent_status.workspace_id AND p.user_id = agent_status.user_id), "
        "last_active_at = (SELECT p.last_active_at FROM agent_presence p WHERE "
        "p.workspace_id = agent_status.workspace_id AND p.user_id = agent_status.user_id)"
    )
    op.drop_table("agent_presence")
