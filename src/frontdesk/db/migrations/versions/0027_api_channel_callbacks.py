"""The API channel's delivery log: one row per callback to an integrator, with its attempts

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 02:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_WHEN = frontdesk.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_callback",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", _JSON, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("next_attempt_at", _WHEN, nullable=True),
        sa.Column("delivered_at", _WHEN, nullable=True),
        sa.Column("history", _JSON, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_api_callback_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_api_callback_message_id_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_api_callback_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_callback")),
        sa.UniqueConstraint("message_id", name=op.f("uq_api_callback_message_id")),
        sa.UniqueConstraint(
            "channel_id", "event_id", name=op.f("uq_api_callback_channel_id_event_id")
        ),
    )
    with op.batch_alter_table("api_callback", schema=None) as batch_op:
        batch_op.create_index(
            "ix_api_callback_channel_created", ["channel_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("api_callback", schema=None) as batch_op:
        batch_op.drop_index("ix_api_callback_channel_created")
    op.drop_table("api_callback")
