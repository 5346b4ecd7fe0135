"""The demo's quality reviews: a default scorecard per workspace, weekly spot checks on, this
week's sample, and a few of it reviewed — through the same actions as the app, so the review
queue, "My reviews" and Reports → Quality have something to show."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.quality.models import QualityReview
from frontdesk.core.quality.queries import access_review
from frontdesk.core.quality.reviews import submit_review
from frontdesk.core.quality.sampling import sample_reviews
from frontdesk.core.quality.schemas import (
    QualitySettings,
    ReviewAnswerInput,
    ReviewSubmit,
    ScorecardInput,
)
from frontdesk.core.quality.scorecards import create_scorecard
from frontdesk.core.quality.settings import update_quality_settings
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Role
from frontdesk.demo.workspace import DemoWorkspace

SEED = 20261206
REVIEWED = 3
SCORECARD = {
    "name": "Conversation quality",
    "description": "The default scorecard: greeting, resolution and compliance.",
    "categories": [
        {
            "name": "Greeting",
            "weight": 1,
            "items": [
                {"label": "Greeted the customer by name", "kind": "yes_no"},
                {"label": "Replied within the promised time", "kind": "yes_no_partial"},
            ],
        },
        {
            "name": "Resolution",
            "weight": 3,
            "items": [
                {"label": "Answered the question asked", "kind": "yes_no_partial"},
                {"label": "Tone and empathy", "kind": "scale"},
            ],
        },
        {
            "name": "Compliance",
            "weight": 1,
            "items": [
                {
                    "label": "Asked for no document or personal data in the chat",
                    "kind": "yes_no",
                    "is_critical": True,
                }
            ],
        },
    ],
}
# The answers of the reviewed conversations, in the items' order (the last one fails).
ANSWERS = (
    ("yes", "yes", "yes", "5", "yes"),
    ("no", "partial", "yes", "4", "yes"),
    ("yes", "yes", "partial", "3", "no"),
)
COMMENTS = (
    "A model conversation.",
    "Right answer; greet the customer by name next time.",
    "Never ask for a document in the chat: send the secure upload link.",
)


async def seed_quality(runtime: Runtime, workspaces: list[DemoWorkspace]) -> None:
    for dw in workspaces:
        actor = Actor(workspace_id=dw.row.id, role=Role.OWNER, user_id=dw.owner.id)
        async with runtime.uow() as uow:
            card = await create_scorecard(uow, actor, ScorecardInput.model_validate(SCORECARD))
            await update_quality_settings(
                uow, actor, QualitySettings(is_sampling_enabled=True, per_agent=2, per_new_agent=4)
            )
            await sample_reviews(uow, dw.row.id, actor=actor, seed=SEED)
            await uow.commit()
        items = [item.id for category in card.categories for item in category.items]
        async with runtime.uow() as uow:
            pending = list(
                await uow.session.scalars(
                    select(QualityReview.id)
                    .where(QualityReview.workspace_id == dw.row.id)
                    .order_by(QualityReview.closed_at, QualityReview.id)
                    .limit(REVIEWED)
                )
            )
            for review_id, values, comment in zip(pending, ANSWERS, COMMENTS, strict=False):
                review = await access_review(uow.session, actor, review_id)
                answers = [
                    ReviewAnswerInput(item_id=item_id, value=value)
                    for item_id, value in zip(items, values, strict=True)
                ]
                await submit_review(
                    uow,
                    actor,
                    review,
                    ReviewSubmit(scorecard_id=card.id, answers=answers, comment=comment),
                )
            await uow.commit()
