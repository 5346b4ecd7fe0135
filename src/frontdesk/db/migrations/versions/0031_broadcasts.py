"""Broadcasts and their recipients

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_AT = frontdesk.db.types.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "broadcast",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("segment", _JSON, nullable=False),
        sa.Column("content", _JSON, nullable=False),
        sa.Column("send_at", _AT, nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", _AT, nullable=True),
        sa.Column("finished_at", _AT, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        _fk("broadcast", "workspace_id", "workspace", "CASCADE"),
        _fk("broadcast", "channel_id", "channel", "CASCADE"),
        _fk("broadcast", "created_by_id", "user", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast")),
    )
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_broadcast_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "ix_broadcast_ws_created", ["workspace_id", "created_at"], unique=False
        )

    op.create_table(
        "broadcast_recipient",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("broadcast_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        _fk("broadcast_recipient", "workspace_id", "workspace", "CASCADE"),
        _fk("broadcast_recipient", "broadcast_id", "broadcast", "CASCADE"),
        _fk("broadcast_recipient", "contact_id", "contact", "CASCADE"),
        _fk("broadcast_recipient", "conversation_id", "conversation", "SET NULL"),
        _fk("broadcast_recipient", "message_id", "message", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast_recipient")),
        sa.UniqueConstraint(
            "broadcast_id",
            "contact_id",
            name=op.f("uq_broadcast_recipient_broadcast_id_contact_id"),
        ),
    )
    with op.batch_alter_table("broadcast_recipient", schema=None) as batch_op:
        batch_op.create_index(
            "ix_broadcast_recipient_broadcast_status", ["broadcast_id", "status"], unique=False
        )
        for column in ("workspace_id", "contact_id", "message_id"):
            batch_op.create_index(
                batch_op.f(f"ix_broadcast_recipient_{column}"), [column], unique=False
            )


def downgrade() -> None:
    op.drop_table("broadcast_recipient")
    op.drop_table("broadcast")
