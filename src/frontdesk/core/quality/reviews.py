"""Changing reviews: assigning one to a reviewer, submitting it (which tells the agent), and
the thread between the agent and the reviewers. Each change is an event to the supervisors and
the agent reviewed; assigning and submitting are in the audit log."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import Conflict, Forbidden, Invalid
from frontdesk.core.events import DomainEvent, define_event, supervisors_key, user_key
from frontdesk.core.notifications.actions import create_notification
from frontdesk.core.notifications.models import NotificationKind
from frontdesk.core.quality.models import (
    QualityReview,
    QualityReviewAnswer,
    QualityReviewComment,
    QualityScorecard,
    ReviewStatus,
)
from frontdesk.core.quality.queries import review_messages, review_read
from frontdesk.core.quality.schemas import ReviewRead, ReviewReply, ReviewSubmit
from frontdesk.core.quality.scorecards import score_specs, scorecard_read
from frontdesk.core.quality.scoring import VALUES, compute_score
from frontdesk.core.workspaces.models import Membership, Role
from frontdesk.db.uow import UnitOfWork

ReviewAssigned = define_event("ReviewAssigned", "quality_review.assigned")
ReviewSubmitted = define_event("ReviewSubmitted", "quality_review.submitted")
ReviewReplied = define_event("ReviewReplied", "quality_review.replied")


async def _emit(
    uow: UnitOfWork, event: type[DomainEvent], review: QualityReview, *, to_agent: bool
) -> ReviewRead:
    await uow.session.flush()
    read = await review_read(uow.session, review)
    audience = [supervisors_key(review.workspace_id)]
    if to_agent and review.agent_id is not None:
        audience.append(user_key(review.agent_id))
    payload = read.model_dump(mode="json", exclude={"messages"})
    uow.emit(
        event(workspace_id=review.workspace_id, audience=tuple(audience), data={"review": payload})
    )
    return read


async def assign_review(
    uow: UnitOfWork, actor: Actor, review: QualityReview, reviewer_id: uuid.UUID | None
) -> ReviewRead:
    actor.require_admin()
    if reviewer_id is not None:
        role = await uow.session.scalar(
            select(Membership.role).where(
                Membership.workspace_id == review.workspace_id, Membership.user_id == reviewer_id
            )
        )
        if role not in Role.ADMINISTERING:
            raise Invalid("reviewers are owners or managers of this workspace", field="reviewer_id")
    if review.reviewer_id == reviewer_id:
        return await review_read(uow.session, review)
    review.reviewer_id = reviewer_id
    record_audit(
        uow,
        actor,
        "quality_review.assigned",
        "quality_review",
        review.id,
        reviewer_id=str(reviewer_id) if reviewer_id else None,
    )
    return await _emit(uow, ReviewAssigned, review, to_agent=False)


async def _scorecard_for(
    uow: UnitOfWork, review: QualityReview, scorecard_id: uuid.UUID
) -> QualityScorecard:
    card: QualityScorecard | None = await uow.session.scalar(
        select(QualityScorecard).where(
            QualityScorecard.id == scorecard_id,
            QualityScorecard.workspace_id == review.workspace_id,
            QualityScorecard.superseded_at.is_(None),
            QualityScorecard.archived_at.is_(None),
        )
    )
    if card is None:
        raise Invalid("no such scorecard in use in this workspace", field="scorecard_id")
    return card


async def submit_review(
    uow: UnitOfWork, actor: Actor, review: QualityReview, data: ReviewSubmit
) -> ReviewRead:
    """Score every item, comment on messages, and tell the agent."""
    actor.require_admin()
    if review.status == ReviewStatus.SUBMITTED:
        raise Conflict("the review was already submitted")
    card = await _scorecard_for(uow, review, data.scorecard_id)
    specs = score_specs(await scorecard_read(uow.session, card))
    kinds = {item.id: item.kind for c in specs for item in c.items}
    answers = {a.item_id: a.value for a in data.answers}
    if len(answers) != len(data.answers):
        raise Invalid("an item is answered twice", field="answers")
    unknown = set(answers) - set(kinds)
    if unknown:
        raise Invalid("an answer names no item of the scorecard", field="answers")
    missing = set(kinds) - set(answers)
    if missing:
        raise Invalid("every item needs an answer (na where it does not apply)", field="answers")
    for item_id, value in answers.items():
        if value not in VALUES[kinds[item_id]]:
            raise Invalid(f"{value!r} does not answer a {kinds[item_id]} item", field="answers")
    message_ids = {m.id for m in await review_messages(uow.session, review)}
    if any(c.message_id not in message_ids for c in data.message_comments):
        raise Invalid("a comment names no message of the conversation", field="message_comments")
    score = compute_score(specs, answers)
    now = uow.now()
    review.status, review.submitted_at = ReviewStatus.SUBMITTED, now
    review.scorecard_id, review.comment = card.id, data.comment or None
    review.score, review.points, review.max_points = score.score, score.points, score.max_points
    review.is_failed = score.is_failed
    # The reviewer is who scored it (an API token keeps the one it was assigned to).
    review.reviewer_id = actor.user_id or review.reviewer_id
    uow.session.add_all(
        QualityReviewAnswer(review_id=review.id, item_id=item_id, value=value)
        for item_id, value in answers.items()
    )
    uow.session.add_all(
        QualityReviewComment(
            review_id=review.id,
            message_id=c.message_id,
            author_id=actor.user_id,
            body=c.body,
            created_at=now,
        )
        for c in data.message_comments
    )
    record_audit(
        uow,
        actor,
        "quality_review.submitted",
        "quality_review",
        review.id,
        score=score.score,
        is_failed=score.is_failed,
    )
    read = await _emit(uow, ReviewSubmitted, review, to_agent=True)
    await _notify(uow, review, review.agent_id, actor)
    return read


async def _notify(
    uow: UnitOfWork, review: QualityReview, user_id: uuid.UUID | None, actor: Actor
) -> None:
    if user_id is None or user_id == actor.user_id:
        return
    conv = await uow.session.get_one(Conversation, review.conversation_id)
    await create_notification(
        uow, conv, user_id=user_id, kind=NotificationKind.REVIEW, actor_id=actor.user_id
    )


async def reply_to_review(
    uow: UnitOfWork, actor: Actor, review: QualityReview, data: ReviewReply
) -> ReviewRead:
    """The agent answers their review, or a reviewer answers the agent; the other side hears."""
    actor.require_writer()
    if actor.user_id is None:
        raise Forbidden("only members reply to a review")
    if review.status != ReviewStatus.SUBMITTED:
        raise Conflict("the review is not submitted yet")
    uow.session.add(
        QualityReviewComment(
            review_id=review.id,
            message_id=None,
            author_id=actor.user_id,
            body=data.body,
            created_at=uow.now(),
        )
    )
    read = await _emit(uow, ReviewReplied, review, to_agent=True)
    told = review.reviewer_id if actor.user_id == review.agent_id else review.agent_id
    await _notify(uow, review, told, actor)
    return read
