"""Report facts stored as the job stores them: in batches, each batch's hourly cells rebuilt."""

from __future__ import annotations

from frontdesk.core.reports.facts import Cell, hour_of
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.reports.rollups import rebuild_cells
from frontdesk.core.runtime import Runtime


async def store_facts(runtime: Runtime, facts: list[ReportFact], batch: int) -> None:
    for first in range(0, len(facts), batch):
        async with runtime.uow() as uow:
            stored = facts[first : first + batch]
            uow.session.add_all(stored)
            await uow.session.flush()
            await rebuild_cells(
                uow.session,
                {
                    Cell(
                        f.workspace_id,
                        hour_of(f.at),
                        f.metric,
                        f.detail,
                        f.team_id,
                        f.agent_id,
                        f.channel_id,
                    )
                    for f in stored
                },
            )
            await uow.commit()
