"""The organisation overview: each workspace's live load and today's figures, for org admins.

The figures come in a fixed number of queries however many workspaces the organisation has:
one for the workspaces (with the caller's role), one grouped count of conversations, one of
agents' states, and two over the report rollups (sums, then first-response digests), each
workspace's "today" being its own local day. Messages are never scanned.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import Forbidden
from frontdesk.core.organisation.schemas import (
    LiveLoad,
    OrganisationBrief,
    OrganisationOverviewRead,
    OrganisationWorkspace,
    TodayFigures,
)
from frontdesk.core.reports.facts import Metric
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.overview import figures
from frontdesk.core.reports.periods import Period, resolve_period
from frontdesk.core.reports.reading import Totals
from frontdesk.core.routing.engine import HOLDING
from frontdesk.core.routing.models import AgentState, AgentStatus
from frontdesk.core.workspaces.models import Membership, Organisation, Workspace

TODAY_METRICS = (
    Metric.OPENED,
    Metric.CLOSED,
    Metric.FIRST_RESPONSE,
    Metric.FIRST_RESPONSE_MET,
    Metric.ABANDONED,
)


def require_org_admin(user: User) -> uuid.UUID:
    """The organisation the user administers, or `Forbidden`."""
    if not user.is_org_admin or user.organisation_id is None:
        raise Forbidden("only organisation admins see the organisation overview")
    return user.organisation_id


async def _live(
    db: AsyncSession, workspace_ids: list[uuid.UUID], now: datetime
) -> dict[uuid.UUID, LiveLoad]:
    waiting = Conversation.waiting_since.is_not(None)
    queued = and_(Conversation.assignee_id.is_(None), Conversation.queued_at.is_not(None))
    never_answered = and_(waiting, Conversation.first_response_at.is_(None))
    rows = await db.execute(
        select(
            Conversation.workspace_id,
            func.count(),
            func.count(Conversation.waiting_since),
            func.sum(case((queued, 1), else_=0)),
            func.sum(case((never_answered, 1), else_=0)),
            func.min(Conversation.waiting_since),
        )
        .where(Conversation.workspace_id.in_(workspace_ids), Conversation.status.in_(HOLDING))
        .group_by(Conversation.workspace_id)
    )
    agents = await _agent_states(db, workspace_ids)
    loads: dict[uuid.UUID, LiveLoad] = {}
    found = {row[0]: row[1:] for row in rows}
    for workspace_id in workspace_ids:
        open_, waiting_n, queued_n, first_n, oldest = found.get(workspace_id, (0, 0, 0, 0, None))
        states = agents.get(workspace_id, {})
        loads[workspace_id] = LiveLoad(
            open=int(open_ or 0),
            waiting=int(waiting_n or 0),
            queued=int(queued_n or 0),
            awaiting_first_reply=int(first_n or 0),
            longest_wait_seconds=_since(oldest, now),
            agents_online=states.get(AgentState.ONLINE, 0),
            agents_busy=states.get(AgentState.BUSY, 0),
            agents_away=states.get(AgentState.AWAY, 0),
        )
    return loads


def _since(moment: datetime | None, now: datetime) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # an aggregate may come back without the column's type
        moment = moment.replace(tzinfo=now.tzinfo)
    return max(0.0, round((now - moment).total_seconds(), 3))


async def _agent_states(
    db: AsyncSession, workspace_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """Agents by state: current members whose account is active (a removed member's state
    row stays behind, and is not counted)."""
    rows = await db.execute(
        select(AgentStatus.workspace_id, AgentStatus.state, func.count())
        .join(
            Membership,
            and_(
                Membership.workspace_id == AgentStatus.workspace_id,
                Membership.user_id == AgentStatus.user_id,
            ),
        )
        .join(User, User.id == AgentStatus.user_id)
        .where(AgentStatus.workspace_id.in_(workspace_ids), User.is_active.is_(True))
        .group_by(AgentStatus.workspace_id, AgentStatus.state)
    )
    found: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for workspace_id, state, count in rows:
        found[workspace_id][state] = int(count)
    return found


def _windows(periods: dict[uuid.UUID, Period]) -> ColumnElement[bool]:
    """Each workspace's own day: workspaces sharing a day's UTC bounds share one condition."""
    by_bounds: dict[tuple[datetime, datetime], list[uuid.UUID]] = defaultdict(list)
    for workspace_id, period in periods.items():
        by_bounds[(period.start, period.end)].append(workspace_id)
    return or_(
        *(
            and_(
                ReportRollup.workspace_id.in_(ids),
                ReportRollup.hour >= start,
                ReportRollup.hour < end,
            )
            for (start, end), ids in by_bounds.items()
        )
    )


async def _today(db: AsyncSession, periods: dict[uuid.UUID, Period]) -> dict[uuid.UUID, Totals]:
    totals: dict[uuid.UUID, Totals] = defaultdict(Totals)
    window = _windows(periods)
    rows = await db.execute(
        select(
            ReportRollup.workspace_id,
            ReportRollup.metric,
            ReportRollup.detail,
            func.sum(ReportRollup.count),
            func.sum(ReportRollup.sum_seconds),
            func.sum(ReportRollup.sum_business_seconds),
        )
        .where(window, ReportRollup.metric.in_(TODAY_METRICS))
        .group_by(ReportRollup.workspace_id, ReportRollup.metric, ReportRollup.detail)
    )
    for workspace_id, metric, detail, count, seconds, business in rows:
        totals[workspace_id].add(
            metric, detail, int(count or 0), float(seconds or 0), float(business or 0)
        )
    digests = await db.execute(
        select(
            ReportRollup.workspace_id,
            ReportRollup.metric,
            ReportRollup.digest,
            ReportRollup.business_digest,
        ).where(window, ReportRollup.metric == Metric.FIRST_RESPONSE)
    )
    for workspace_id, metric, wall, business in digests:
        totals[workspace_id].merge_digest(metric, wall, business)
    return totals


def _today_figures(period: Period, totals: Totals) -> TodayFigures:
    read = figures(totals)
    return TodayFigures(
        day=period.first_day,
        timezone=str(period.zone.key),
        opened=read.opened,
        closed=read.closed,
        answered=read.answered,
        abandoned=read.abandoned,
        first_response_median=read.first_response.wall.median,
        service_level=read.service_level,
        abandonment_rate=read.abandonment_rate,
    )


async def get_organisation_overview(
    db: AsyncSession, user: User, now: datetime
) -> OrganisationOverviewRead:
    organisation_id = require_org_admin(user)
    organisation = await db.get(Organisation, organisation_id)
    if organisation is None:
        raise Forbidden("only organisation admins see the organisation overview")
    rows = (
        await db.execute(
            select(Workspace, Membership.role)
            .outerjoin(
                Membership,
                and_(Membership.workspace_id == Workspace.id, Membership.user_id == user.id),
            )
            .where(Workspace.organisation_id == organisation_id)
            .order_by(Workspace.name, Workspace.id)
        )
    ).all()
    workspaces = [(ws, role) for ws, role in rows]
    ids = [ws.id for ws, _ in workspaces]
    periods = {ws.id: resolve_period("today", ws.timezone, now) for ws, _ in workspaces}
    live = await _live(db, ids, now) if ids else {}
    today = await _today(db, periods) if ids else {}
    return OrganisationOverviewRead(
        organisation=OrganisationBrief(id=organisation.id, name=organisation.name),
        generated_at=now,
        workspaces=[
            OrganisationWorkspace(
                id=ws.id,
                name=ws.name,
                slug=ws.slug,
                timezone=ws.timezone,
                created_at=ws.created_at,
                role=role,
                live=live[ws.id],
                today=_today_figures(periods[ws.id], today.get(ws.id, Totals())),
            )
            for ws, role in workspaces
        ],
    )
