"""Quality reviews: scorecards (with their categories and items), review samples, reviews, their
answers and comments.

A scorecard is never changed once a review was scored against it: editing a used one writes a
new version (same `lineage_id`, `version` + 1) and marks the old one superseded, so every review
keeps the exact scorecard it was scored with.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk


class ItemKind:
    YES_NO = "yes_no"
    YES_NO_PARTIAL = "yes_no_partial"
    SCALE = "scale"
    ALL = (YES_NO, YES_NO_PARTIAL, SCALE)


class ReviewStatus:
    PENDING = "pending"
    SUBMITTED = "submitted"
    ALL = (PENDING, SUBMITTED)


class QualityScorecard(Base):
    __tablename__ = "quality_scorecard"
    __table_args__ = (
        UniqueConstraint("lineage_id", "version"),
        Index("ix_quality_scorecard_ws_current", "workspace_id", "superseded_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # The id of the first version: every version of one scorecard shares it.
    lineage_id: Mapped[uuid.UUID]
    version: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    # Set when a newer version replaced it; archived scorecards are offered for no new review.
    superseded_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]


class QualityScorecardCategory(Base):
    __tablename__ = "quality_scorecard_category"

    id: Mapped[uuid.UUID] = uuid_pk()
    scorecard_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("quality_scorecard.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    # Points of the category: its share of the score is weight / the sum of weights.
    weight: Mapped[int]


class QualityScorecardItem(Base):
    __tablename__ = "quality_scorecard_item"

    id: Mapped[uuid.UUID] = uuid_pk()
    scorecard_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("quality_scorecard.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("quality_scorecard_category.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(String(1000), default="")
    kind: Mapped[str] = mapped_column(String(16))
    # A failed critical item fails the whole review (score 0).
    is_critical: Mapped[bool] = mapped_column(default=False)


class QualityReviewSample(Base):
    """One sampling run: the conversations it picked became pending reviews."""

    __tablename__ = "quality_review_sample"
    __table_args__ = (Index("ix_quality_review_sample_ws_created", "workspace_id", "created_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # True: the weekly job took it; otherwise a manager's "sample now" (created_by_id).
    is_scheduled: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    per_agent: Mapped[int]
    per_new_agent: Mapped[int]
    seed: Mapped[int] = mapped_column(BigInteger)
    picked: Mapped[int]
    created_at: Mapped[datetime]


class QualityReview(Base):
    __tablename__ = "quality_review"
    __table_args__ = (
        # Never the same conversation twice, whatever samples it.
        UniqueConstraint("conversation_id"),
        Index("ix_quality_review_ws_status", "workspace_id", "status", "created_at"),
        Index("ix_quality_review_ws_agent_closed", "workspace_id", "agent_id", "closed_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    sample_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("quality_review_sample.id", ondelete="SET NULL")
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    # The agent reviewed: the conversation's assignee when it was closed.
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime]
    reviewer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default=ReviewStatus.PENDING)
    scorecard_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("quality_scorecard.id", ondelete="RESTRICT")
    )
    # 0-100; 0 when a critical item failed; None while pending or when nothing applied.
    score: Mapped[float | None]
    points: Mapped[float | None]
    max_points: Mapped[float | None]
    is_failed: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]


class QualityReviewAnswer(Base):
    __tablename__ = "quality_review_answer"
    __table_args__ = (UniqueConstraint("review_id", "item_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    review_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("quality_review.id", ondelete="CASCADE")
    )
    item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("quality_scorecard_item.id", ondelete="CASCADE")
    )
    # yes / no / partial / na, or "1"-"5" / na.
    value: Mapped[str] = mapped_column(String(8))


class QualityReviewComment(Base):
    """A reviewer's comment on one message of the conversation, or a reply in the review's
    thread (no message) by the agent or a reviewer."""

    __tablename__ = "quality_review_comment"
    __table_args__ = (Index("ix_quality_review_comment_review", "review_id", "created_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    review_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("quality_review.id", ondelete="CASCADE")
    )
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL")
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
