"""QA scorecards, samples and reviews

Scorecards (versioned once used) with their weighted categories and items; review samples (one
per sampling run); reviews of closed conversations (one per conversation, ever), their answers,
and their comments (on a message, or in the thread between the agent and the reviewers).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = frontdesk.db.types.UTCDateTime(timezone=True)


def _user_fk(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["user.id"], ondelete="SET NULL")


def _workspace_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "quality_scorecard",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("lineage_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("superseded_at", _TIME, nullable=True),
        sa.Column("archived_at", _TIME, nullable=True),
        _workspace_fk(),
        _user_fk("created_by_id"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lineage_id", "version"),
    )
    op.create_index(
        "ix_quality_scorecard_ws_current", "quality_scorecard", ["workspace_id", "superseded_at"]
    )
    op.create_table(
        "quality_scorecard_category",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scorecard_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["scorecard_id"], ["quality_scorecard.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_quality_scorecard_category_scorecard_id",
        "quality_scorecard_category",
        ["scorecard_id"],
    )
    op.create_table(
        "quality_scorecard_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scorecard_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("is_critical", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["scorecard_id"], ["quality_scorecard.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["category_id"], ["quality_scorecard_category.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_quality_scorecard_item_scorecard_id", "quality_scorecard_item", ["scorecard_id"]
    )
    op.create_table(
        "quality_review_sample",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("is_scheduled", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("window_start", _TIME, nullable=False),
        sa.Column("window_end", _TIME, nullable=False),
        sa.Column("per_agent", sa.Integer(), nullable=False),
        sa.Column("per_new_agent", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        _workspace_fk(),
        _user_fk("created_by_id"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_quality_review_sample_ws_created",
        "quality_review_sample",
        ["workspace_id", "created_at"],
    )
    op.create_table(
        "quality_review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("sample_id", sa.Uuid(), nullable=True),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("closed_at", _TIME, nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scorecard_id", sa.Uuid(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("points", sa.Double(), nullable=True),
        sa.Column("max_points", sa.Double(), nullable=True),
        sa.Column("is_failed", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("submitted_at", _TIME, nullable=True),
        _workspace_fk(),
        sa.ForeignKeyConstraint(["sample_id"], ["quality_review_sample.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"], ondelete="CASCADE"),
        _user_fk("agent_id"),
        _user_fk("reviewer_id"),
        sa.ForeignKeyConstraint(["scorecard_id"], ["quality_scorecard.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id"),
    )
    op.create_index(
        "ix_quality_review_ws_status", "quality_review", ["workspace_id", "status", "created_at"]
    )
    op.create_index(
        "ix_quality_review_ws_agent_closed",
        "quality_review",
        ["workspace_id", "agent_id", "closed_at"],
    )
    op.create_table(
        "quality_review_answer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["quality_review.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["quality_scorecard_item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "item_id"),
    )
    op.create_table(
        "quality_review_comment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["quality_review.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], ondelete="SET NULL"),
        _user_fk("author_id"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_quality_review_comment_review",
        "quality_review_comment",
        ["review_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_quality_review_comment_review", table_name="quality_review_comment")
    op.drop_table("quality_review_comment")
    op.drop_table("quality_review_answer")
    op.drop_index("ix_quality_review_ws_agent_closed", table_name="quality_review")
    op.drop_index("ix_quality_review_ws_status", table_name="quality_review")
    op.drop_table("quality_review")
    op.drop_index("ix_quality_review_sample_ws_created", table_name="quality_review_sample")
    op.drop_table("quality_review_sample")
    op.drop_index("ix_quality_scorecard_item_scorecard_id", table_name="quality_scorecard_item")
    op.drop_table("quality_scorecard_item")
    op.drop_index(
        "ix_quality_scorecard_category_scorecard_id", table_name="quality_scorecard_category"
    )
    op.drop_table("quality_scorecard_category")
    op.drop_index("ix_quality_scorecard_ws_current", table_name="quality_scorecard")
    op.drop_table("quality_scorecard")
