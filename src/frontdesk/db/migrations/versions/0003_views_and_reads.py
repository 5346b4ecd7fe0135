"""views and reads: saved inbox views, and each member's read cursor per conversation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 17:36:19.538915
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_view",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column(
            "filters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name=op.f("fk_saved_view_owner_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_saved_view_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_view")),
    )
    with op.batch_alter_table("saved_view", schema=None) as batch_op:
        batch_op.create_index("ix_saved_view_ws_owner", ["workspace_id", "owner_id"], unique=False)

    op.create_table(
        "read_cursor",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("last_read_message_id", sa.Uuid(), nullable=True),
        sa.Column("last_read_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_read_cursor_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_read_message_id"],
            ["message.id"],
            name=op.f("fk_read_cursor_last_read_message_id_message"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_read_cursor_user_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_read_cursor_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_read_cursor")),
        sa.UniqueConstraint(
            "conversation_id", "user_id", name=op.f("uq_read_cursor_conversation_id_user_id")
        ),
    )
    with op.batch_alter_table("read_cursor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_read_cursor_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_read_cursor_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("read_cursor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_read_cursor_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_read_cursor_user_id"))

    op.drop_table("read_cursor")
    with op.batch_alter_table("saved_view", schema=None) as batch_op:
        batch_op.drop_index("ix_saved_view_ws_owner")

    op.drop_table("saved_view")
