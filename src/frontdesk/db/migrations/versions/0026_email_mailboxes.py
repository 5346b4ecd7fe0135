"""Email mailboxes: the IMAP cursor (UIDVALIDITY, last UID, lease) and each mail as received

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 02:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_mailbox_cursor",
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("lease_owner", sa.String(length=120), nullable=True),
        sa.Column("lease_until", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_email_mailbox_cursor_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_email_mailbox_cursor_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_email_mailbox_cursor")),
    )
    op.create_index(
        op.f("ix_email_mailbox_cursor_workspace_id"),
        "email_mailbox_cursor",
        ["workspace_id"],
        unique=False,
    )
    op.create_table(
        "email_raw_mail",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("message_key", sa.String(length=200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_email_raw_mail_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_email_raw_mail_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_raw_mail")),
        sa.UniqueConstraint(
            "channel_id", "message_key", name=op.f("uq_email_raw_mail_channel_id_message_key")
        ),
    )
    op.create_index(
        op.f("ix_email_raw_mail_workspace_id"), "email_raw_mail", ["workspace_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_email_raw_mail_workspace_id"), table_name="email_raw_mail")
    op.drop_table("email_raw_mail")
    op.drop_index(op.f("ix_email_mailbox_cursor_workspace_id"), table_name="email_mailbox_cursor")
    op.drop_table("email_mailbox_cursor")
