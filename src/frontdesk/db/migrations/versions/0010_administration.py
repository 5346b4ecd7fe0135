"""administration: archived teams, tags and custom fields; channels' latest activity

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archived_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archived_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("custom_field_definition", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archived_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_channel_activity", ["channel_id", "last_activity_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_channel_activity")
    with op.batch_alter_table("custom_field_definition", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
