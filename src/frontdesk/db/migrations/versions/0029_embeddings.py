"""Conversation embeddings for similar conversations and suggested replies

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _embedding_table(name: str, key: str, parent: str, *vectors: str) -> None:
    op.create_table(
        name,
        sa.Column(key, sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        *(sa.Column(vector, sa.LargeBinary(), nullable=False) for vector in vectors),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("source_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("computed_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            [key], [f"{parent}.id"], name=op.f(f"fk_{name}_{key}_{parent}"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f(f"fk_{name}_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(key, name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_workspace_id"), name, ["workspace_id"], unique=False)


def upgrade() -> None:
    _embedding_table(
        "conversation_embedding",
        "conversation_id",
        "conversation",
        "vector",
        "last_message_vector",
    )
    _embedding_table("canned_response_embedding", "canned_response_id", "canned_response", "vector")


def downgrade() -> None:
    op.drop_index(op.f("ix_canned_response_embedding_workspace_id"), "canned_response_embedding")
    op.drop_table("canned_response_embedding")
    op.drop_index(op.f("ix_conversation_embedding_workspace_id"), "conversation_embedding")
    op.drop_table("conversation_embedding")
