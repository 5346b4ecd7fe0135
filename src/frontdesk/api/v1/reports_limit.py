"""The heavy-report turn (`core/reports/heavy.py`) as a route dependency: one limit per app,
a 503 with Retry-After when the reports queue is full or the wait too long."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from frontdesk.core.reports.heavy import HeavyReportLimit, ReportsBusy


def _limit(request: Request) -> HeavyReportLimit:
    state = request.app.state
    limit: HeavyReportLimit | None = getattr(state, "heavy_reports", None)
    if limit is None:
        limit = state.heavy_reports = HeavyReportLimit()
    return limit


async def heavy_report_turn(request: Request) -> AsyncIterator[None]:
    try:
        async with _limit(request).slot():
            yield
    except ReportsBusy as busy:
        raise HTTPException(
            503,
            "reports are busy; try again in a few seconds",
            headers={"Retry-After": str(busy.retry_after)},
        ) from None


HeavyTurn = Annotated[None, Depends(heavy_report_turn)]
