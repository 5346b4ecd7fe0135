"""report measures

Handle time is the active work members record on a conversation (`conversation.worked`):
each conversation's current segment keeps the sum of its work so far, in wall and
business-hours seconds, for the handle-time fact written at its close.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_conversation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("work_seconds", sa.Float(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("work_business_seconds", sa.Float(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("report_conversation", schema=None) as batch_op:
        batch_op.drop_column("work_business_seconds")
        batch_op.drop_column("work_seconds")
