"""The outcomes report: closes per outcome (the `closed` facts' detail, read from the hourly
rollups) per local day, agent and team, and each agent and team with a target against it."""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.reports.facts import Metric, hour_of
from frontdesk.core.reports.models import ReportFact, ReportRollup
from frontdesk.core.reports.narrowing import scoped_facts
from frontdesk.core.reports.periods import Period, midnight
from frontdesk.core.reports.reading import Filters, scoped
from frontdesk.core.reports.target_models import OutcomeTarget
from frontdesk.core.reports.target_schemas import (
    DayCount,
    OutcomeCount,
    OutcomeProgress,
    OutcomesRead,
    OutcomeTotals,
    TargetPeriod,
)
from frontdesk.core.reports.targets import list_targets
from frontdesk.core.workspaces.models import Membership, Role, Team, TeamMember

Key = tuple[str, uuid.UUID | None]  # (outcome, agent or team)


def day_span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def window(kind: str, today: date) -> date:
    """The first day of the target period (day, ISO week, month) that contains today."""
    if kind == "week":
        return today - timedelta(days=today.weekday())
    if kind == "month":
        return today.replace(day=1)
    return today


@dataclass
class Closes:
    """Closes by outcome and local day: in all, per agent and per team."""

    by_day: dict[tuple[str, date], int] = field(default_factory=lambda: defaultdict(int))
    agents: dict[tuple[Key, date], int] = field(default_factory=lambda: defaultdict(int))
    teams: dict[tuple[Key, date], int] = field(default_factory=lambda: defaultdict(int))

    def count(self, store: dict[tuple[Key, date], int], key: Key, days: list[date]) -> int:
        return sum(store.get((key, day), 0) for day in days)


async def read_closes(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    filters: Filters,
    zone_days: list[date],
    period: Period,
) -> Closes:
    """Each rollup hour goes to the local day whose (hour-rounded) midnight it follows."""
    bounds = [midnight(period.zone, day) for day in zone_days]
    bounds.append(midnight(period.zone, zone_days[-1] + timedelta(days=1)))
    if filters.reads_facts:  # tags and outcomes are not rollup dimensions: read the facts
        facts = scoped_facts(
            select(ReportFact.at, ReportFact.agent_id, ReportFact.team_id, ReportFact.detail),
            workspace_id,
            filters,
            bounds[0],
            bounds[-1],
        ).where(ReportFact.metric == Metric.CLOSED, ReportFact.detail.is_not(None))
        rows: list[tuple[datetime, uuid.UUID | None, uuid.UUID | None, str | None, int]] = [
            (hour_of(at), agent_id, team_id, outcome, 1)
            for at, agent_id, team_id, outcome in await db.execute(facts)
        ]
    else:
        columns = cast(
            "Select[Any]",
            select(
                ReportRollup.hour,
                ReportRollup.agent_id,
                ReportRollup.team_id,
                ReportRollup.detail,
                func.sum(ReportRollup.count),
            ),
        )
        query = scoped(columns, workspace_id, filters, bounds[0], bounds[-1]).where(
            ReportRollup.metric == Metric.CLOSED, ReportRollup.detail.is_not(None)
        )
        query = query.group_by(
            ReportRollup.hour, ReportRollup.agent_id, ReportRollup.team_id, ReportRollup.detail
        )
        rows = [(h, a, t, o, int(n or 0)) for h, a, t, o, n in await db.execute(query)]
    closes = Closes()
    for hour, agent_id, team_id, outcome, total in rows:
        if outcome is None:
            continue
        day = zone_days[bisect_right(bounds, hour) - 1]
        count = int(total or 0)
        closes.by_day[(outcome, day)] += count
        if agent_id is not None:
            closes.agents[((outcome, agent_id), day)] += count
        if team_id is not None:
            closes.teams[((outcome, team_id), day)] += count
    return closes


async def _members(db: AsyncSession, workspace_id: uuid.UUID) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Each team's members who take conversations (viewers never do)."""
    teams: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for team_id, user_id in await db.execute(
        select(TeamMember.team_id, TeamMember.user_id)
        .join(
            Membership,
            (Membership.user_id == TeamMember.user_id)
            & (Membership.workspace_id == TeamMember.workspace_id),
        )
        .where(TeamMember.workspace_id == workspace_id, Membership.role != Role.VIEWER)
    ):
        teams[team_id].add(user_id)
    return teams


@dataclass(frozen=True)
class Goal:
    subject: str  # agent or team
    id: uuid.UUID
    outcome: str
    period: str


def goals(
    targets: list[OutcomeTarget], members: dict[uuid.UUID, set[uuid.UUID]]
) -> dict[Goal, int]:
    """Each agent's and team's expected closes. An agent in several teams with a target for
    each of their agents is held to the largest of them (a recruiter working for two clients
    is still one recruiter); a target for one agent replaces, for that outcome, their teams'."""
    own = {(t.agent_id, t.outcome) for t in targets if t.applies_to == "agent"}
    found: dict[Goal, int] = defaultdict(int)
    for t in targets:
        if t.applies_to == "agent" and t.agent_id is not None:
            found[Goal("agent", t.agent_id, t.outcome, t.period)] += t.count
        elif t.applies_to == "team" and t.team_id is not None:
            found[Goal("team", t.team_id, t.outcome, t.period)] += t.count
        elif t.team_id is not None:
            for agent_id in members.get(t.team_id, set()):
                if (agent_id, t.outcome) not in own:
                    goal = Goal("agent", agent_id, t.outcome, t.period)
                    found[goal] = max(found[goal], t.count)
    return found


def _visible(goal: Goal, filters: Filters, members: dict[uuid.UUID, set[uuid.UUID]]) -> bool:
    if goal.subject == "team":
        return not filters.agent_ids and (not filters.team_ids or goal.id in filters.team_ids)
    if filters.agent_ids and goal.id not in filters.agent_ids:
        return False
    return not filters.team_ids or any(goal.id in members.get(t, ()) for t in filters.team_ids)


async def _names(
    db: AsyncSession, workspace_id: uuid.UUID, agent_ids: set[uuid.UUID], team_ids: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    names: dict[uuid.UUID, str] = {}
    if agent_ids:
        names.update(
            (user_id, name)
            for user_id, name in await db.execute(
                select(User.id, User.name)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.workspace_id == workspace_id, User.id.in_(agent_ids))
            )
        )
    if team_ids:
        names.update(
            (team_id, name)
            for team_id, name in await db.execute(
                select(Team.id, Team.name).where(
                    Team.workspace_id == workspace_id, Team.id.in_(team_ids)
                )
            )
        )
    return names


async def get_outcomes(
    db: AsyncSession, workspace_id: uuid.UUID, period: Period, filters: Filters, now: datetime
) -> OutcomesRead:
    today = now.astimezone(period.zone).date()
    first = min(period.first_day, window("week", today), window("month", today))
    span = day_span(first, max(period.last_day, today))
    closes = await read_closes(db, workspace_id, filters, span, period)
    days = day_span(period.first_day, period.last_day)
    members = await _members(db, workspace_id)
    wanted = {
        goal: count
        for goal, count in goals(await list_targets(db, workspace_id), members).items()
        if _visible(goal, filters, members)
    }
    names = await _names(
        db,
        workspace_id,
        {g.id for g in wanted if g.subject == "agent"},
        {g.id for g in wanted if g.subject == "team"},
    )
    progress = []
    for goal, target in wanted.items():
        if goal.id not in names:
            continue
        store = closes.agents if goal.subject == "agent" else closes.teams
        key = (goal.outcome, goal.id)
        current = day_span(window(goal.period, today), today)
        progress.append(
            OutcomeProgress(
                subject="agent" if goal.subject == "agent" else "team",
                agent_id=goal.id if goal.subject == "agent" else None,
                team_id=goal.id if goal.subject == "team" else None,
                name=names[goal.id],
                outcome=goal.outcome,
                target=target,
                target_period=cast("TargetPeriod", goal.period),
                current=closes.count(store, key, current),
                total=closes.count(store, key, days),
                days=[
                    DayCount(
                        day=day,
                        count=store.get((key, day), 0),
                        target=target if goal.period == "day" else None,
                    )
                    for day in days
                ],
            )
        )
    progress.sort(
        key=lambda p: (p.outcome, p.subject != "team", p.name.casefold(), str(p.agent_id))
    )
    return OutcomesRead(
        first_day=period.first_day,
        last_day=period.last_day,
        today=today,
        timezone=period.zone.key,
        outcomes=_totals(closes, days),
        progress=progress,
    )


def _totals(closes: Closes, days: list[date]) -> list[OutcomeTotals]:
    in_period = set(days)
    outcomes = sorted({o for (o, day), n in closes.by_day.items() if day in in_period and n})
    result = []
    for outcome in outcomes:
        agents: dict[uuid.UUID | None, int] = defaultdict(int)
        teams: dict[uuid.UUID | None, int] = defaultdict(int)
        for ((o, agent_id), day), n in closes.agents.items():
            if o == outcome and day in in_period:
                agents[agent_id] += n
        for ((o, team_id), day), n in closes.teams.items():
            if o == outcome and day in in_period:
                teams[team_id] += n
        day_counts = [
            DayCount(day=day, count=closes.by_day.get((outcome, day), 0), target=None)
            for day in days
        ]
        result.append(
            OutcomeTotals(
                outcome=outcome,
                total=sum(d.count for d in day_counts),
                days=day_counts,
                agents=[OutcomeCount(id=i, count=n) for i, n in agents.items() if i and n],
                teams=[OutcomeCount(id=i, count=n) for i, n in teams.items() if i and n],
            )
        )
    return result
