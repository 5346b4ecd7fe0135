"""CSAT in reports: each answer is a `csat` fact (detail: the rating, 1-5) written from the
`csat.answered` event, at the moment of the answer, for the team, agent (the assignee at the
close) and channel of the close. The report reads the rollups: answers, the share of 4-5, the
distribution, per agent, by day, beside the period before."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.reports.facts import FactWriter
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.overview import period_reads
from frontdesk.core.reports.periods import Period, group_start
from frontdesk.core.reports.reading import Filters, Totals, ratio, totals_by
from frontdesk.core.reports.schemas import PeriodRead
from frontdesk.db.outbox import EventLogEntry

CSAT_EVENT = "csat.answered"
CSAT = "csat"
RATINGS = ("1", "2", "3", "4", "5")
SATISFIED = ("4", "5")


def _uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


async def record_csat_answer(writer: FactWriter, event: EventLogEntry) -> None:
    """The answer's fact, once (keyed by the survey): its rating is the detail."""
    data = event.payload.get("csat")
    if event.workspace_id is None or not isinstance(data, dict) or not data.get("rating"):
        return
    answered = data.get("answered_at")
    await writer.write(
        event.workspace_id,
        f"csat:{data['id']}",
        CSAT,
        datetime.fromisoformat(str(answered)) if answered else event.created_at,
        team_id=_uuid(data.get("team_id")),
        agent_id=_uuid(data.get("agent_id")),
        channel_id=_uuid(data.get("channel_id")),
        conversation_id=_uuid(data.get("conversation_id")),
        segment=data.get("segment"),
        detail=str(int(data["rating"])),
        event_id=event.id,
    )


class CsatFigures(BaseModel):
    answers: int = Field(description="Answers to the survey.")
    satisfied: int = Field(description="Answers of 4 or 5.")
    share_satisfied: float | None = Field(description="satisfied ÷ answers (0-1); null with none.")
    distribution: dict[str, int] = Field(description="Answers per rating, '1' to '5'.")


class CsatAgentRow(BaseModel):
    agent_id: uuid.UUID | None = Field(description="Null: closed with nobody assigned.")
    name: str | None
    figures: CsatFigures


class CsatPoint(BaseModel):
    start: datetime = Field(description="The local start of the day.")
    answers: int
    satisfied: int
    share_satisfied: float | None


class CsatRead(BaseModel):
    period: PeriodRead
    previous_period: PeriodRead
    current: CsatFigures
    previous: CsatFigures
    agents: list[CsatAgentRow] = Field(description="Agents with answers, most answers first.")
    series: list[CsatPoint] = Field(description="Each local day of the period with answers.")


def csat_figures(totals: Totals) -> CsatFigures:
    distribution = {r: totals.details.get((CSAT, r), 0) for r in RATINGS}
    answers = sum(distribution.values())
    satisfied = sum(distribution[r] for r in SATISFIED)
    return CsatFigures(
        answers=answers,
        satisfied=satisfied,
        share_satisfied=ratio(satisfied, answers),
        distribution=distribution,
    )


async def get_csat_report(
    db: AsyncSession, workspace_id: uuid.UUID, period: Period, filters: Filters
) -> CsatRead:
    metrics = (CSAT,)
    current = await totals_by(
        db, workspace_id, filters, period.start, period.end, by=None, metrics=metrics
    )
    previous = await totals_by(
        db,
        workspace_id,
        filters,
        period.previous_start,
        period.previous_end,
        by=None,
        metrics=metrics,
    )
    by_agent = await totals_by(
        db,
        workspace_id,
        filters,
        period.start,
        period.end,
        by=ReportRollup.agent_id,
        metrics=metrics,
    )
    hourly = await totals_by(
        db, workspace_id, filters, period.start, period.end, by=ReportRollup.hour, metrics=metrics
    )
    agent_ids = [a for a in by_agent if a is not None]
    names = (
        dict((await db.execute(select(User.id, User.name).where(User.id.in_(agent_ids)))).all())
        if agent_ids
        else {}
    )
    rows = [
        CsatAgentRow(agent_id=agent, name=names.get(agent), figures=csat_figures(totals))
        for agent, totals in by_agent.items()
    ]
    rows = [r for r in rows if r.figures.answers]
    rows.sort(key=lambda r: (-r.figures.answers, r.name or "", str(r.agent_id)))
    days: dict[datetime, Totals] = defaultdict(Totals)
    for hour, totals in hourly.items():
        day = days[group_start(hour, period.zone, "day")]
        for (metric, detail), count in totals.details.items():
            day.add(metric, detail, count, 0.0, 0.0)
    series = []
    for start in sorted(days):
        figures = csat_figures(days[start])
        if figures.answers:
            series.append(
                CsatPoint(
                    start=start,
                    answers=figures.answers,
                    satisfied=figures.satisfied,
                    share_satisfied=figures.share_satisfied,
                )
            )
    this, before = period_reads(period)
    return CsatRead(
        period=this,
        previous_period=before,
        current=csat_figures(current[None]),
        previous=csat_figures(previous[None]),
        agents=rows,
        series=series,
    )
