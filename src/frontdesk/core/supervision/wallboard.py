"""The wallboard: every team's queue and service level, every agent's state and load, now.

Counts of what is happening now come from the conversations; today's figures from the report
rollups (the workspace's day); the last 30 minutes from the report facts (a few rows). A few
grouped queries, plus each team's routing settings (its promised reply time).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.reports.facts import DEFAULT_REPLY_TARGET, Metric
from frontdesk.core.reports.models import ReportFact, ReportRollup
from frontdesk.core.reports.periods import resolve_period
from frontdesk.core.reports.reading import Filters, Totals, ratio, totals_by
from frontdesk.core.routing.engine import HOLDING
from frontdesk.core.routing.queries import list_agent_states
from frontdesk.core.routing.settings import team_routing
from frontdesk.core.sla.queries import sla_counts_by_team
from frontdesk.core.supervision.models import HelpRequest
from frontdesk.core.supervision.rights import within
from frontdesk.core.supervision.schemas import AgentTile, RaisedHand, TeamTile, WallboardRead
from frontdesk.core.workspaces.models import Team, TeamMember, Workspace

SERVICE_LEVEL_TARGET = 0.8
RECENT = timedelta(minutes=30)
TODAY_METRICS = (Metric.FIRST_RESPONSE, Metric.FIRST_RESPONSE_MET, Metric.CLOSED, Metric.ABANDONED)


async def _live_by_team(
    db: AsyncSession, workspace_id: uuid.UUID, now: datetime
) -> dict[uuid.UUID | None, tuple[int, float | None, int]]:
    """Per team: waiting in the queue, the oldest wait there, awaiting a first human reply.
    Conversations of no team have no queue: the unassigned ones wait for any agent."""
    queued = and_(
        Conversation.assignee_id.is_(None),
        or_(Conversation.queued_at.is_not(None), Conversation.team_id.is_(None)),
    )
    unanswered = and_(
        Conversation.first_response_at.is_(None), Conversation.waiting_since.is_not(None)
    )
    rows = await db.execute(
        select(
            Conversation.team_id,
            func.count().filter(queued),
            func.min(func.coalesce(Conversation.queued_at, Conversation.waiting_since)).filter(
                queued
            ),
            func.count().filter(unanswered),
        )
        .where(Conversation.workspace_id == workspace_id, Conversation.status.in_(HOLDING))
        .group_by(Conversation.team_id)
    )
    live: dict[uuid.UUID | None, tuple[int, float | None, int]] = {}
    for team_id, waiting, oldest, first in rows:
        wait = (now - _aware(oldest, now)).total_seconds() if oldest is not None else None
        live[team_id] = (int(waiting), wait, int(first))
    return live


def _aware(moment: datetime, like: datetime) -> datetime:
    """SQLite hands back naive datetimes for aggregates; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=like.tzinfo)


async def _recent(
    db: AsyncSession, workspace_id: uuid.UUID, now: datetime
) -> dict[uuid.UUID | None, Counter[str]]:
    counts: dict[uuid.UUID | None, Counter[str]] = defaultdict(Counter)
    rows = await db.execute(
        select(ReportFact.team_id, ReportFact.metric, func.count())
        .where(
            ReportFact.workspace_id == workspace_id,
            ReportFact.metric.in_((Metric.FIRST_RESPONSE, Metric.FIRST_RESPONSE_MET)),
            ReportFact.at >= now - RECENT,
        )
        .group_by(ReportFact.team_id, ReportFact.metric)
    )
    for team_id, metric, count in rows:
        counts[team_id][metric] = int(count)
    return counts


async def _agents(
    db: AsyncSession, workspace_id: uuid.UUID
) -> tuple[dict[uuid.UUID, list[uuid.UUID]], dict[uuid.UUID, tuple[int, datetime | None]]]:
    teams: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for user_id, team_id in await db.execute(
        select(TeamMember.user_id, TeamMember.team_id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(Team.workspace_id == workspace_id, Team.archived_at.is_(None))
    ):
        teams[user_id].append(team_id)
    waits: dict[uuid.UUID, tuple[int, datetime | None]] = {}
    for assignee_id, count, oldest in await db.execute(
        select(Conversation.assignee_id, func.count(), func.min(Conversation.waiting_since))
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.status.in_(HOLDING),
            Conversation.assignee_id.is_not(None),
            Conversation.waiting_since.is_not(None),
        )
        .group_by(Conversation.assignee_id)
    ):
        if assignee_id is not None:
            waits[assignee_id] = (int(count), oldest)
    return teams, waits


async def get_wallboard(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    now: datetime,
    teams_seen: frozenset[uuid.UUID] | None = None,
) -> WallboardRead:
    """`teams_seen` narrows it to those teams (a team lead's, `rights.supervised_team_ids`)."""
    board = await _wallboard(db, workspace_id, now)
    if teams_seen is None:
        return board
    return board.model_copy(
        update={
            "teams": [t for t in board.teams if within(teams_seen, t.team_id)],
            "agents": [a for a in board.agents if teams_seen.intersection(a.team_ids)],
            "raised_hands": [h for h in board.raised_hands if within(teams_seen, h.team_id)],
        }
    )


async def _wallboard(db: AsyncSession, workspace_id: uuid.UUID, now: datetime) -> WallboardRead:
    tz = await db.scalar(select(Workspace.timezone).where(Workspace.id == workspace_id))
    today = resolve_period("today", tz or "UTC", now)
    totals = await totals_by(
        db,
        workspace_id,
        Filters(),
        today.start,
        today.end,
        by=ReportRollup.team_id,
        metrics=TODAY_METRICS,
    )
    live = await _live_by_team(db, workspace_id, now)
    recent = await _recent(db, workspace_id, now)
    teams = list(
        await db.execute(
            select(Team.id, Team.name)
            .where(Team.workspace_id == workspace_id, Team.archived_at.is_(None))
            .order_by(Team.name, Team.id)
        )
    )
    tiles = []
    for team_id, name in teams:
        routing = await team_routing(db, workspace_id, team_id)
        tiles.append(
            _team_tile(
                team_id,
                name,
                threshold=routing.expected_reply_minutes * 60.0,
                today=totals.get(team_id, Totals()),
                live=live.get(team_id),
                recent=recent.get(team_id, Counter()),
            )
        )
    if None in live:  # conversations of no team, shared by every agent
        tiles.append(
            _team_tile(
                None,
                "",
                threshold=DEFAULT_REPLY_TARGET.total_seconds(),
                today=totals.get(None, Totals()),
                live=live[None],
                recent=recent.get(None, Counter()),
            )
        )
    sla = await sla_counts_by_team(db, workspace_id)
    tiles = [
        t.model_copy(update=dict(zip(("sla_at_risk", "sla_breached"), sla[t.team_id], strict=True)))
        if t.team_id in sla
        else t
        for t in tiles
    ]
    team_of, waits = await _agents(db, workspace_id)
    agents = [
        AgentTile(
            user_id=a.user_id,
            name=a.name,
            state=a.state,
            reason=a.reason,
            state_since=a.state_since,
            team_ids=team_of.get(a.user_id, []),
            open_conversations=a.open_conversations,
            capacity=a.capacity,
            awaiting_reply=waits.get(a.user_id, (0, None))[0],
            oldest_unanswered_since=waits.get(a.user_id, (0, None))[1],
        )
        for a in await list_agent_states(db, workspace_id)
    ]
    return WallboardRead(
        generated_at=now,
        service_level_target=SERVICE_LEVEL_TARGET,
        teams=tiles,
        agents=agents,
        raised_hands=await _raised_hands(db, workspace_id),
    )


async def _raised_hands(db: AsyncSession, workspace_id: uuid.UUID) -> list[RaisedHand]:
    rows = await db.execute(
        select(HelpRequest, Conversation.team_id, Contact.name, User.name)
        .join(Conversation, Conversation.id == HelpRequest.conversation_id)
        .join(Contact, Contact.id == Conversation.contact_id)
        .outerjoin(User, User.id == HelpRequest.raised_by_id)
        .where(HelpRequest.workspace_id == workspace_id, HelpRequest.resolved_at.is_(None))
        .order_by(HelpRequest.raised_at, HelpRequest.id)
    )
    return [
        RaisedHand(
            conversation_id=help.conversation_id,
            contact_name=contact,
            team_id=team_id,
            raised_by_id=help.raised_by_id,
            raised_by_name=raiser,
            note=help.note,
            raised_at=help.raised_at,
        )
        for help, team_id, contact, raiser in rows
    ]


def _team_tile(
    team_id: uuid.UUID | None,
    name: str,
    *,
    threshold: float,
    today: Totals,
    live: tuple[int, float | None, int] | None,
    recent: Counter[str],
) -> TeamTile:
    waiting, longest, first = live or (0, None, 0)
    answered = today.counts.get(Metric.FIRST_RESPONSE, 0)
    recent_answered = recent[Metric.FIRST_RESPONSE]
    return TeamTile(
        team_id=team_id,
        name=name,
        waiting_now=waiting,
        longest_wait_seconds=longest,
        awaiting_first_reply=first,
        threshold_seconds=threshold,
        service_level_today=ratio(today.counts.get(Metric.FIRST_RESPONSE_MET, 0), answered),
        service_level_30_minutes=ratio(recent[Metric.FIRST_RESPONSE_MET], recent_answered),
        answered_30_minutes=recent_answered,
        handled_today=today.counts.get(Metric.CLOSED, 0),
        abandoned_today=today.counts.get(Metric.ABANDONED, 0),
    )
