"""What the quality review API takes and answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input

Kind = Literal["yes_no", "yes_no_partial", "scale"]
Status = Literal["pending", "submitted"]


class ScorecardItemInput(Input):
    label: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=1000)
    kind: Kind = Field(description="yes_no, yes_no_partial, or scale (1-5).")
    is_critical: bool = Field(default=False, description="Failing it fails the whole review.")


class ScorecardCategoryInput(Input):
    name: str = Field(min_length=1, max_length=120)
    weight: int = Field(ge=1, le=100, description="Points of the category.")
    items: list[ScorecardItemInput] = Field(min_length=1, max_length=50)


class ScorecardInput(Input):
    """A scorecard whole: categories and items in their order."""

    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=500)
    categories: list[ScorecardCategoryInput] = Field(min_length=1, max_length=20)


class ScorecardItemRead(BaseModel):
    id: uuid.UUID
    label: str
    description: str
    kind: Kind
    is_critical: bool


class ScorecardCategoryRead(BaseModel):
    id: uuid.UUID
    name: str
    weight: int
    items: list[ScorecardItemRead]


class ScorecardRead(BaseModel):
    id: uuid.UUID
    lineage_id: uuid.UUID = Field(description="Shared by every version of this scorecard.")
    version: int
    name: str
    description: str
    categories: list[ScorecardCategoryRead]
    max_points: int = Field(description="The sum of the categories' weights.")
    is_archived: bool
    is_current: bool = Field(description="False once a newer version replaced it.")
    is_used: bool = Field(description="Reviews were scored with it: editing makes a new version.")
    created_at: datetime


class QualitySettings(Input):
    """Spot-check sampling, kept in the workspace's settings."""

    is_sampling_enabled: bool = Field(
        default=False, description="Take a sample every week (the weekly job)."
    )
    per_agent: int = Field(
        default=2, ge=0, le=50, description="Closed conversations sampled per agent per week."
    )
    per_new_agent: int = Field(
        default=4,
        ge=0,
        le=50,
        description="The same for agents who joined in the last 30 days.",
    )


class SampleRead(BaseModel):
    id: uuid.UUID
    window_start: datetime
    window_end: datetime
    per_agent: int
    per_new_agent: int
    picked: int = Field(description="Conversations added to the review queue.")
    created_at: datetime


class Person(BaseModel):
    id: uuid.UUID
    name: str


class ReviewSummary(BaseModel):
    id: uuid.UUID
    status: Status
    conversation_id: uuid.UUID
    contact_name: str
    channel_name: str
    agent: Person | None
    reviewer: Person | None
    closed_at: datetime
    scorecard_id: uuid.UUID | None
    score: float | None
    is_failed: bool
    created_at: datetime
    submitted_at: datetime | None


class ReviewPage(BaseModel):
    items: list[ReviewSummary]
    next_cursor: str | None = None


class ReviewAnswerRead(BaseModel):
    item_id: uuid.UUID
    value: str


class ReviewCommentRead(BaseModel):
    id: uuid.UUID
    message_id: uuid.UUID | None = Field(description="The message commented on; null: the thread.")
    author: Person | None
    body: str
    created_at: datetime


class ReviewMessage(BaseModel):
    id: uuid.UUID
    direction: str
    sender_type: str
    sender_name: str | None
    kind: str
    body: str
    created_at: datetime


class ReviewRead(ReviewSummary):
    points: float | None
    max_points: float | None
    comment: str | None = Field(description="The reviewer's overall comment.")
    category_scores: dict[str, float | None] = Field(
        description="Each category's score (0-100) by id; null where nothing applied."
    )
    scorecard: ScorecardRead | None
    answers: list[ReviewAnswerRead]
    comments: list[ReviewCommentRead] = Field(
        description="On messages and the thread, oldest first."
    )
    messages: list[ReviewMessage] = Field(description="The conversation's messages (no notes).")


class ReviewUpdate(Input):
    reviewer_id: uuid.UUID | None = Field(description="Assign the review; null to unassign.")


class ReviewAnswerInput(Input):
    item_id: uuid.UUID
    value: str = Field(
        min_length=1, max_length=8, description="yes, no, partial, 1-5 or na (by the kind)."
    )


class MessageCommentInput(Input):
    message_id: uuid.UUID
    body: str = Field(min_length=1, max_length=4000)


class ReviewSubmit(Input):
    scorecard_id: uuid.UUID
    answers: list[ReviewAnswerInput] = Field(max_length=1000)
    message_comments: list[MessageCommentInput] = Field(default_factory=list, max_length=200)
    comment: str | None = Field(default=None, max_length=8000)


class ReviewReply(Input):
    body: str = Field(min_length=1, max_length=4000)
