"""The routing report's chat routes: per route (a menu option or a keyword) and per agent, how
many conversations were offered, handled and sent back to the menu, and the time to redirect.

Read from the route offers the workflows write (`workflow_route_offer`), offered within the
period (in the viewer's time zone, like every report), narrowed by the report's teams (the
route's team), agents (the agent it was with) and channels (the conversation's). The offers are
few next to the facts (one per menu pick), so they are counted as they are read.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.reports.breakdown_schemas import ChatRouteAgentRow, ChatRouteRow
from frontdesk.core.reports.digest import Digest
from frontdesk.core.reports.narrowing import exact_digest
from frontdesk.core.reports.periods import Period
from frontdesk.core.reports.reading import Filters, Totals
from frontdesk.core.reports.schemas import Stat
from frontdesk.core.workflows.models import RouteOffer


@dataclass
class _Tally:
    offered: int = 0
    handled: int = 0
    redirected: int = 0
    previous_offered: int = 0
    label: str = ""
    redirect_seconds: list[float] = field(default_factory=list)

    def stat(self) -> Stat:
        values = self.redirect_seconds
        digest = exact_digest(values) if values else Digest()
        return Totals(
            counts={"x": len(values)}, seconds={"x": sum(values)}, digests={"x": digest}
        ).stat("x")

    def figures(self) -> dict[str, Any]:
        return {
            "offered": self.offered,
            "handled": self.handled,
            "redirected": self.redirected,
            "previous_offered": self.previous_offered,
            "time_to_redirect": self.stat(),
        }


async def _offers(
    db: AsyncSession, workspace_id: uuid.UUID, filters: Filters, start: datetime, end: datetime
) -> list[Any]:
    query = select(
        RouteOffer.route_key,
        RouteOffer.route_label,
        RouteOffer.agent_id,
        RouteOffer.offered_at,
        RouteOffer.handled_at,
        RouteOffer.redirected_at,
    ).where(
        RouteOffer.workspace_id == workspace_id,
        RouteOffer.offered_at >= start,
        RouteOffer.offered_at < end,
    )
    if filters.team_ids:
        query = query.where(RouteOffer.team_id.in_(filters.team_ids))
    if filters.agent_ids:
        query = query.where(RouteOffer.agent_id.in_(filters.agent_ids))
    if filters.channel_ids:
        query = query.join(Conversation, Conversation.id == RouteOffer.conversation_id).where(
            Conversation.channel_id.in_(filters.channel_ids)
        )
    return list(await db.execute(query.order_by(RouteOffer.offered_at)))


def _count(tally: _Tally, row: Any) -> None:
    tally.offered += 1
    tally.label = row.route_label
    tally.handled += row.handled_at is not None
    if row.redirected_at is not None:
        tally.redirected += 1
        tally.redirect_seconds.append(max((row.redirected_at - row.offered_at).total_seconds(), 0))


async def get_chat_routes(
    db: AsyncSession, workspace_id: uuid.UUID, period: Period, filters: Filters
) -> tuple[list[ChatRouteRow], list[ChatRouteAgentRow]]:
    by_key: dict[str, _Tally] = defaultdict(_Tally)
    by_agent: dict[uuid.UUID | None, _Tally] = defaultdict(_Tally)
    for row in await _offers(db, workspace_id, filters, period.start, period.end):
        _count(by_key[row.route_key], row)
        _count(by_agent[row.agent_id], row)
    before = await _offers(db, workspace_id, filters, period.previous_start, period.previous_end)
    for row in before:
        by_key[row.route_key].previous_offered += 1
        by_key[row.route_key].label = by_key[row.route_key].label or row.route_label
        by_agent[row.agent_id].previous_offered += 1
    agent_ids = [a for a in by_agent if a is not None]
    names = (
        {
            r.id: r.name
            for r in await db.execute(select(User.id, User.name).where(User.id.in_(agent_ids)))
        }
        if agent_ids
        else {}
    )
    routes = [
        ChatRouteRow(key=key, label=tally.label or key, **tally.figures())
        for key, tally in by_key.items()
    ]
    agents = [
        ChatRouteAgentRow(id=agent, name=names.get(agent) if agent else None, **tally.figures())
        for agent, tally in by_agent.items()
    ]
    routes.sort(key=lambda r: (-r.offered, r.label.casefold(), r.key))
    agents.sort(key=lambda r: (r.id is None, (r.name or "").casefold(), str(r.id)))
    return routes, agents
