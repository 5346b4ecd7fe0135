"""customer satisfaction

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = frontdesk.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "csat_response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("closed_by_id", sa.Uuid(), nullable=True),
        sa.Column("closed_at", _TIME, nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("sent_at", _TIME, nullable=False),
        sa.Column("expires_at", _TIME, nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("answered_at", _TIME, nullable=True),
        sa.Column("answer_message_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_csat_response_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_csat_response_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_csat_response_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_csat_response_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_csat_response_message_id_message"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["answer_message_id"],
            ["message.id"],
            name=op.f("fk_csat_response_answer_message_id_message"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_csat_response")),
        sa.UniqueConstraint(
            "conversation_id", "segment", name=op.f("uq_csat_response_conversation_id_segment")
        ),
    )
    op.create_index(
        "ix_csat_response_waiting",
        "csat_response",
        ["channel_id", "contact_id", "answered_at"],
        unique=False,
    )
    op.create_index(
        "ix_csat_response_workspace_id_sent_at",
        "csat_response",
        ["workspace_id", "sent_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_csat_response_workspace_id_sent_at", table_name="csat_response")
    op.drop_index("ix_csat_response_waiting", table_name="csat_response")
    op.drop_table("csat_response")
