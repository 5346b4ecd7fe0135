"""notifications: mentions and assignments kept per member; the time of a conversation's last
message (from the customer or a person), and its preview without automatic messages

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Conversations already there: the last person's message (the customer's, or an agent's
# reply; never a note or an automatic one), its time, and its text as the preview.
BACKFILL = """
UPDATE conversation SET
  last_message_at = (
    SELECT MAX(m.created_at) FROM message m
    WHERE m.conversation_id = conversation.id
      AND m.sender_type IN ('contact', 'agent') AND m.kind <> 'note'),
  last_message_preview = COALESCE((
    SELECT CASE WHEN m.body = '' THEN '📎 attachment' ELSE substr(m.body, 1, 200) END
    FROM message m
    WHERE m.conversation_id = conversation.id
      AND m.sender_type IN ('contact', 'agent') AND m.kind <> 'note'
    ORDER BY m.created_at DESC, m.id DESC LIMIT 1), '')
"""


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user.id"],
            name=op.f("fk_notification_actor_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_notification_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_notification_message_id_message"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_user_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_notification_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_ws_user_created",
            ["workspace_id", "user_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_notification_ws_user_read", ["workspace_id", "user_id", "read_at"], unique=False
        )

    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "last_message_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_column("last_message_at")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_ws_user_read")
        batch_op.drop_index("ix_notification_ws_user_created")
    op.drop_table("notification")
