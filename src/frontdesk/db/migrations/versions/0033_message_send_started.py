"""When a delivery began handing a message to its provider; the id a report echoes

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(
            sa.Column(
                "send_started_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True
            )
        )

    with op.batch_alter_table("delivery_receipt") as batch:
        batch.add_column(sa.Column("our_message_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery_receipt") as batch:
        batch.drop_column("our_message_id")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("send_started_at")
