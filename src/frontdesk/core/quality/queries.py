"""Reading reviews: owners and managers see the workspace's queue; every other member sees
only the submitted reviews of their own conversations (anyone else's is "not found")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.errors import Forbidden, NotFound
from frontdesk.core.pagination import cursor_datetime, cursor_uuid, decode_cursor, encode_cursor
from frontdesk.core.quality.models import (
    QualityReview,
    QualityReviewAnswer,
    QualityReviewComment,
    QualityScorecard,
    ReviewStatus,
)
from frontdesk.core.quality.schemas import (
    Person,
    ReviewAnswerRead,
    ReviewCommentRead,
    ReviewMessage,
    ReviewPage,
    ReviewRead,
    ReviewSummary,
)
from frontdesk.core.quality.scorecards import (
    require_staff,
    score_specs,
    scorecard_read,
)
from frontdesk.core.quality.scoring import compute_score

_AGENT = aliased(User, name="review_agent")
_REVIEWER = aliased(User, name="review_reviewer")
MAX_MESSAGES = 500


@dataclass(frozen=True)
class ReviewFilters:
    agent_id: uuid.UUID | None = None
    reviewer_id: uuid.UUID | None = None
    status: str | None = None


def _readable(actor: Actor) -> Any:
    """What the caller may read: everything of the workspace for owners and managers, their
    own submitted reviews for anyone else."""
    require_staff(actor)
    scope = QualityReview.workspace_id == actor.workspace_id
    if actor.can_administer:
        return scope
    if actor.user_id is None:
        raise Forbidden("only members read their reviews")
    return and_(
        scope,
        QualityReview.agent_id == actor.user_id,
        QualityReview.status == ReviewStatus.SUBMITTED,
    )


def _select() -> Select[QualityReview, str, str, str, str]:
    return (
        select(QualityReview, Contact.name, Channel.name, _AGENT.name, _REVIEWER.name)
        .join(Conversation, Conversation.id == QualityReview.conversation_id)
        .join(Contact, Contact.id == Conversation.contact_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .outerjoin(_AGENT, _AGENT.id == QualityReview.agent_id)
        .outerjoin(_REVIEWER, _REVIEWER.id == QualityReview.reviewer_id)
    )


def _person(user_id: uuid.UUID | None, name: str | None) -> Person | None:
    return Person(id=user_id, name=name or "") if user_id is not None else None


def _summary(row: Any) -> ReviewSummary:
    review, contact, channel, agent, reviewer = row
    return ReviewSummary(
        id=review.id,
        status=review.status,
        conversation_id=review.conversation_id,
        contact_name=contact or "",
        channel_name=channel,
        agent=_person(review.agent_id, agent),
        reviewer=_person(review.reviewer_id, reviewer),
        closed_at=review.closed_at,
        scorecard_id=review.scorecard_id,
        score=review.score,
        is_failed=review.is_failed,
        created_at=review.created_at,
        submitted_at=review.submitted_at,
    )


async def access_review(
    db: AsyncSession, actor: Actor, review_id: uuid.UUID, *, for_update: bool = False
) -> QualityReview:
    query = select(QualityReview).where(QualityReview.id == review_id, _readable(actor))
    if for_update:
        query = query.with_for_update()
    found: QualityReview | None = await db.scalar(query)
    if found is None:
        raise NotFound("review")
    return found


async def list_reviews(
    db: AsyncSession, actor: Actor, filters: ReviewFilters, *, limit: int, cursor: str | None
) -> ReviewPage:
    """Newest first, by the time the conversation was sampled."""
    query = _select().where(_readable(actor))
    if filters.agent_id is not None:
        query = query.where(QualityReview.agent_id == filters.agent_id)
    if filters.reviewer_id is not None:
        query = query.where(QualityReview.reviewer_id == filters.reviewer_id)
    if filters.status is not None:
        query = query.where(QualityReview.status == filters.status)
    if cursor:
        at, last_id = decode_cursor(cursor, 2)
        when, after = cursor_datetime(at), cursor_uuid(last_id)
        query = query.where(
            or_(
                QualityReview.created_at < when,
                and_(QualityReview.created_at == when, QualityReview.id < after),
            )
        )
    rows = list(
        await db.execute(
            query.order_by(QualityReview.created_at.desc(), QualityReview.id.desc()).limit(
                limit + 1
            )
        )
    )
    items = [_summary(row) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor(last.created_at.isoformat(), last.id)
    return ReviewPage(items=items, next_cursor=next_cursor)


async def review_messages(db: AsyncSession, review: QualityReview) -> list[ReviewMessage]:
    """What the customer and the agents said (never notes nor whispers), oldest first."""
    rows = await db.execute(
        select(Message, User.name)
        .outerjoin(User, User.id == Message.sender_user_id)
        .where(
            Message.workspace_id == review.workspace_id,
            Message.conversation_id == review.conversation_id,
            Message.kind != "note",
            Message.deleted_at.is_(None),
        )
        .order_by(Message.created_at, Message.id)
        .limit(MAX_MESSAGES)
    )
    return [
        ReviewMessage(
            id=m.id,
            direction=m.direction,
            sender_type=m.sender_type,
            sender_name=name,
            kind=m.kind,
            body=m.body,
            created_at=m.created_at,
        )
        for m, name in rows
    ]


async def review_read(db: AsyncSession, review: QualityReview) -> ReviewRead:
    row = (await db.execute(_select().where(QualityReview.id == review.id))).one()
    summary = _summary(row)
    card = await db.get(QualityScorecard, review.scorecard_id) if review.scorecard_id else None
    scorecard = await scorecard_read(db, card) if card is not None else None
    answers = list(
        await db.scalars(
            select(QualityReviewAnswer).where(QualityReviewAnswer.review_id == review.id)
        )
    )
    category_scores: dict[str, float | None] = {}
    if scorecard is not None and answers:
        values = {a.item_id: a.value for a in answers}
        score = compute_score(score_specs(scorecard), values)
        category_scores = {str(k): v for k, v in score.category_scores.items()}
    comments = await db.execute(
        select(QualityReviewComment, User.name)
        .outerjoin(User, User.id == QualityReviewComment.author_id)
        .where(QualityReviewComment.review_id == review.id)
        .order_by(QualityReviewComment.created_at, QualityReviewComment.id)
    )
    return ReviewRead(
        **summary.model_dump(),
        points=review.points,
        max_points=review.max_points,
        comment=review.comment,
        category_scores=category_scores,
        scorecard=scorecard,
        answers=[ReviewAnswerRead(item_id=a.item_id, value=a.value) for a in answers],
        comments=[
            ReviewCommentRead(
                id=c.id,
                message_id=c.message_id,
                author=_person(c.author_id, name),
                body=c.body,
                created_at=c.created_at,
            )
            for c, name in comments
        ],
        messages=await review_messages(db, review),
    )
