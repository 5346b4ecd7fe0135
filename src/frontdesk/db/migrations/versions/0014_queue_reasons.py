"""queue reasons

Every open or pending conversation of a team without an assignee waits in the team's queue
(`queued_at` set) with the reason it waits (`queue_reason`). Rows left outside the queue by
earlier versions are put in it here, waiting for routing, which the next sweep runs.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue_reason", sa.String(length=16), nullable=True))
    conversation = sa.table(
        "conversation",
        sa.column("status", sa.String),
        sa.column("assignee_id"),
        sa.column("team_id"),
        sa.column("queued_at"),
        sa.column("queue_reason", sa.String),
        sa.column("waiting_since"),
        sa.column("last_activity_at"),
    )
    waiting = sa.and_(
        conversation.c.status.in_(["open", "pending"]),
        conversation.c.assignee_id.is_(None),
        conversation.c.team_id.is_not(None),
    )
    op.execute(
        conversation.update()
        .where(waiting, conversation.c.queued_at.is_(None))
        .values(
            queued_at=sa.func.coalesce(
                conversation.c.waiting_since, conversation.c.last_activity_at
            ),
            queue_reason="routing",
        )
    )
    op.execute(
        conversation.update()
        .where(waiting, conversation.c.queue_reason.is_(None))
        .values(queue_reason="no_agent")
    )


def downgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_column("queue_reason")
