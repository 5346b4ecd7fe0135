"""Quality reviews: scorecards, spot-check samples, the review queue, an agent's own reviews
and their thread, and QA scores in reports."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.api.v1.reports import QueryDep, _period
from frontdesk.core.errors import Forbidden
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from frontdesk.core.quality import reviews, sampling, scorecards
from frontdesk.core.quality.queries import ReviewFilters, access_review, list_reviews, review_read
from frontdesk.core.quality.report import QualityGrouping, QualityReportRead, get_quality_report
from frontdesk.core.quality.schemas import (
    QualitySettings,
    ReviewPage,
    ReviewRead,
    ReviewReply,
    ReviewSubmit,
    ReviewUpdate,
    SampleRead,
    ScorecardInput,
    ScorecardRead,
    Status,
)
from frontdesk.core.quality.settings import load_quality_settings, update_quality_settings
from frontdesk.core.reports.access import visible_filters

router = APIRouter()
reports_router = APIRouter()


def _supervisor(actor: ActorDep) -> None:
    scorecards.require_staff(actor)
    if not actor.is_supervisor:
        raise Forbidden("only owners, managers and viewers see this")


@router.get("/settings")
async def read_quality_settings(actor: ActorDep, db: ReaderDep) -> QualitySettings:
    """Weekly sampling: on or off, and how many closed conversations per agent."""
    _supervisor(actor)
    return await load_quality_settings(db, actor.workspace_id)


@router.put("/settings")
async def replace_quality_settings(
    data: QualitySettings, actor: ActorDep, uow: UowDep
) -> QualitySettings:
    """Owners and managers (audited)."""
    read = await update_quality_settings(uow, actor, data)
    await uow.commit()
    return read


@router.get("/scorecards")
async def list_scorecards(
    actor: ActorDep, db: ReaderDep, include_archived: bool = False
) -> list[ScorecardRead]:
    """The current version of each scorecard."""
    _supervisor(actor)
    return await scorecards.list_scorecards(db, actor, include_archived=include_archived)


@router.post("/scorecards", status_code=201)
async def create_scorecard(data: ScorecardInput, actor: ActorDep, uow: UowDep) -> ScorecardRead:
    """Owners and managers: weighted categories of yes/no, yes/no/partial or 1-5 items."""
    read = await scorecards.create_scorecard(uow, actor, data)
    await uow.commit()
    return read


@router.get("/scorecards/{scorecard_id}")
async def read_scorecard(scorecard_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> ScorecardRead:
    """Any version, including the ones reviews were scored with."""
    _supervisor(actor)
    card = await scorecards.access_scorecard(db, actor, scorecard_id)
    return await scorecards.scorecard_read(db, card)


@router.put("/scorecards/{scorecard_id}", responses=error_responses(409))
async def replace_scorecard(
    scorecard_id: uuid.UUID, data: ScorecardInput, actor: ActorDep, uow: UowDep
) -> ScorecardRead:
    """Replace it whole; once reviews used it, the change is a new version."""
    actor.require_admin()
    card = await scorecards.access_scorecard(uow.session, actor, scorecard_id)
    read = await scorecards.update_scorecard(uow, actor, card, data)
    await uow.commit()
    return read


@router.post("/scorecards/{scorecard_id}/archive")
async def archive_scorecard(scorecard_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> ScorecardRead:
    """Offered for no new review; reviews keep it."""
    actor.require_admin()
    card = await scorecards.access_scorecard(uow.session, actor, scorecard_id)
    read = await scorecards.archive_scorecard(uow, actor, card)
    await uow.commit()
    return read


@router.post("/samples", status_code=201)
async def sample_now(actor: ActorDep, uow: UowDep) -> SampleRead:
    """Owners and managers: take this week's spot checks now (the weekly job does it too)."""
    scorecards.require_staff(actor)
    read = await sampling.sample_reviews(uow, actor.workspace_id, actor=actor)
    await uow.commit()
    return read


@router.get("/reviews")
async def read_reviews(
    actor: ActorDep,
    db: ReaderDep,
    agent_id: uuid.UUID | None = None,
    reviewer_id: uuid.UUID | None = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> ReviewPage:
    """The review queue for owners and managers; anyone else's own submitted reviews."""
    filters = ReviewFilters(agent_id=agent_id, reviewer_id=reviewer_id, status=status)
    return await list_reviews(db, actor, filters, limit=limit, cursor=cursor)


@router.get("/reviews/{review_id}")
async def read_review(review_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> ReviewRead:
    """The review with its scorecard, answers, comments and the conversation's messages."""
    return await review_read(db, await access_review(db, actor, review_id))


@router.patch("/reviews/{review_id}")
async def update_review(
    review_id: uuid.UUID, data: ReviewUpdate, actor: ActorDep, uow: UowDep
) -> ReviewRead:
    """Assign the review to a reviewer (an owner or manager), or unassign it."""
    actor.require_admin()
    review = await access_review(uow.session, actor, review_id, for_update=True)
    read = await reviews.assign_review(uow, actor, review, data.reviewer_id)
    await uow.commit()
    return read


@router.post("/reviews/{review_id}/submit", responses=error_responses(409))
async def submit_review(
    review_id: uuid.UUID, data: ReviewSubmit, actor: ActorDep, uow: UowDep
) -> ReviewRead:
    """Score every item, comment on messages and overall; the agent is notified."""
    actor.require_admin()
    review = await access_review(uow.session, actor, review_id, for_update=True)
    read = await reviews.submit_review(uow, actor, review, data)
    await uow.commit()
    return read


@router.post("/reviews/{review_id}/replies", status_code=201, responses=error_responses(409))
async def reply_to_review(
    review_id: uuid.UUID, data: ReviewReply, actor: ActorDep, uow: UowDep
) -> ReviewRead:
    """The agent reviewed, or an owner or manager, writes in the review's thread."""
    actor.require_writer()
    review = await access_review(uow.session, actor, review_id, for_update=True)
    read = await reviews.reply_to_review(uow, actor, review, data)
    await uow.commit()
    return read


@reports_router.get("/quality")
async def read_quality_report(
    actor: ActorDep,
    db: ReaderDep,
    runtime: RuntimeDep,
    q: QueryDep,
    group_by: QualityGrouping = "week",
) -> QualityReportRead:
    """QA scores of submitted reviews per agent by week or day, and the team average, beside
    the period before; an agent sees only their own."""
    scorecards.require_staff(actor)
    filters, _ = visible_filters(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_quality_report(db, actor.workspace_id, period, filters, group_by)
