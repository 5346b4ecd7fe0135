"""The CSAT report: the share of 4-5 answers and their number, with the common report filters."""

from __future__ import annotations

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep
from frontdesk.api.v1.reports import QueryDep, _period
from frontdesk.core.reports.access import visible_filters
from frontdesk.core.reports.csat import CsatRead, get_csat_report

router = APIRouter()


@router.get("/csat")
async def read_csat(actor: ActorDep, db: ReaderDep, runtime: RuntimeDep, q: QueryDep) -> CsatRead:
    """Answers to the survey, the share of 4-5, the distribution 1-5, per agent (the assignee at
    the close) and by day, beside the period before; an agent sees only their own answers."""
    filters, _ = visible_filters(actor, q.filters)
    period = await _period(db, actor.workspace_id, q, runtime)
    return await get_csat_report(db, actor.workspace_id, period, filters)
