"""QA scores in reports: the submitted reviews' scores per agent, by week or day, and the team's
average, with the common report filters and periods.

Reviews are few (a handful per agent per week), so the report reads them directly rather than
through the hourly rollups; a review counts in the week its conversation was closed, the work
it judges. A failed review (a critical item) counts as 0; one where nothing applied is counted
but has no score.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.quality.models import QualityReview, ReviewStatus
from frontdesk.core.reports.overview import period_reads
from frontdesk.core.reports.periods import Period, group_start
from frontdesk.core.reports.reading import Filters
from frontdesk.core.reports.schemas import PeriodRead
from frontdesk.core.tags.models import ConversationTag

QualityGrouping = Literal["day", "week"]


class QualityFigures(BaseModel):
    reviews: int = Field(description="Submitted reviews.")
    failed: int = Field(description="Reviews failed by a critical item (scored 0).")
    average_score: float | None = Field(description="Mean score (0-100); null with none.")


class QualityPoint(BaseModel):
    start: datetime = Field(description="The local start of the day or ISO week.")
    reviews: int
    average_score: float | None


class QualityAgentRow(BaseModel):
    agent_id: uuid.UUID
    name: str
    figures: QualityFigures
    series: list[QualityPoint]


class QualityReportRead(BaseModel):
    period: PeriodRead
    previous_period: PeriodRead
    current: QualityFigures
    previous: QualityFigures
    agents: list[QualityAgentRow] = Field(description="Agents with reviews, by name.")
    series: list[QualityPoint] = Field(description="The team average per day or week.")


def _figures(scores: list[float | None], failed: int) -> QualityFigures:
    scored = [s for s in scores if s is not None]
    average = round(sum(scored) / len(scored), 2) if scored else None
    return QualityFigures(reviews=len(scores), failed=failed, average_score=average)


def _points(
    rows: list[tuple[datetime, float | None]], period: Period, grouping: str
) -> list[QualityPoint]:
    groups: dict[datetime, list[float | None]] = defaultdict(list)
    for closed, score in rows:
        groups[group_start(closed, period.zone, grouping)].append(score)  # type: ignore[arg-type]
    return [
        QualityPoint(start=start, reviews=f.reviews, average_score=f.average_score)
        for start, f in sorted((s, _figures(v, 0)) for s, v in groups.items())
    ]


async def _reviews(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    filters: Filters,
    start: datetime,
    end: datetime,
) -> list[Any]:
    query = (
        select(
            QualityReview.agent_id,
            User.name,
            QualityReview.closed_at,
            QualityReview.score,
            QualityReview.is_failed,
        )
        .join(Conversation, Conversation.id == QualityReview.conversation_id)
        .join(User, User.id == QualityReview.agent_id)
        .where(
            QualityReview.workspace_id == workspace_id,
            QualityReview.status == ReviewStatus.SUBMITTED,
            QualityReview.closed_at >= start,
            QualityReview.closed_at < end,
        )
    )
    if filters.agent_ids:
        query = query.where(QualityReview.agent_id.in_(filters.agent_ids))
    if filters.team_ids:
        query = query.where(Conversation.team_id.in_(filters.team_ids))
    if filters.channel_ids:
        query = query.where(Conversation.channel_id.in_(filters.channel_ids))
    if filters.outcomes:
        query = query.where(Conversation.outcome.in_(filters.outcomes))
    if filters.tag_ids:
        query = query.where(
            exists().where(
                ConversationTag.conversation_id == Conversation.id,
                ConversationTag.tag_id.in_(filters.tag_ids),
            )
        )
    return list(await db.execute(query))


async def get_quality_report(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    period: Period,
    filters: Filters,
    grouping: QualityGrouping,
) -> QualityReportRead:
    current = await _reviews(db, workspace_id, filters, period.start, period.end)
    previous = await _reviews(db, workspace_id, filters, period.previous_start, period.previous_end)
    by_agent: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in current:
        by_agent[row.agent_id].append(row)
    agents = [
        QualityAgentRow(
            agent_id=agent_id,
            name=rows[0].name,
            figures=_figures([r.score for r in rows], sum(r.is_failed for r in rows)),
            series=_points([(r.closed_at, r.score) for r in rows], period, grouping),
        )
        for agent_id, rows in by_agent.items()
    ]
    agents.sort(key=lambda a: (a.name.lower(), a.agent_id))
    now_period, before = period_reads(period)
    return QualityReportRead(
        period=now_period,
        previous_period=before,
        current=_figures([r.score for r in current], sum(r.is_failed for r in current)),
        previous=_figures([r.score for r in previous], sum(r.is_failed for r in previous)),
        agents=agents,
        series=_points([(r.closed_at, r.score) for r in current], period, grouping),
    )
