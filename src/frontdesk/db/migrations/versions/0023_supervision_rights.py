"""whispers, silent monitoring and team supervision rights

A whisper is an internal note only the conversation's assignee and its team's supervisors
read (`message.is_whisper`); a team member may supervise their team (`team_member.is_supervisor`,
a team lead).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_whisper", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_supervisor", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.drop_column("is_supervisor")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_column("is_whisper")
