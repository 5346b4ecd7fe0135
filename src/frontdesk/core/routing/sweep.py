"""The periodic routing sweep, the safety net behind the event-driven paths.

Each run, per workspace: agents whose app has been gone past the grace period, or who have
been inactive too long, go offline; conversations of agents offline too long, or not answered
within the team's reply time, go back to routing (the miss is recorded on the assignment);
a waiting conversation found outside its team's queue (written by an older version, or by
hand) is put in it; queues are drained; customers whose expected wait grew a lot are told
again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, select

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.routing import engine, ledger
from frontdesk.core.routing.hours import opening
from frontdesk.core.routing.models import (
    AgentPresence,
    AgentState,
    AgentStatus,
    StateSource,
    TeamRouting,
)
from frontdesk.core.routing.schemas import RoutingSettings, StateUpdate
from frontdesk.core.routing.settings import load_workspace_routing, team_routing
from frontdesk.core.routing.states import change_state
from frontdesk.core.workspaces.models import Team
from frontdesk.db.uow import UnitOfWork

SWEEP_JOB = "routing_sweep"
SWEEP_EVERY = timedelta(seconds=30)


@dataclass
class SweepReport:
    offline: list[uuid.UUID] = field(default_factory=list)
    released: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    requeued: list[uuid.UUID] = field(default_factory=list)
    assigned: int = 0
    told: int = 0


async def release(uow: UnitOfWork, conv: Conversation, reason: str) -> engine.Outcome:
    """Take the conversation from its assignee (a miss) and route it to someone else."""
    previous = conv.assignee_id
    await ledger.end_current(uow.session, conv, uow.now(), reason)
    exclude = frozenset({previous}) if previous else frozenset()
    return await engine.route(uow, conv, exclude=exclude)


async def _auto_offline(uow: UnitOfWork, workspace_id: uuid.UUID, report: SweepReport) -> None:
    now = uow.now()
    config = await load_workspace_routing(uow.session, workspace_id)
    rows = (
        await uow.session.execute(
            select(AgentStatus, AgentPresence.last_seen_at, AgentPresence.last_active_at)
            .outerjoin(
                AgentPresence,
                and_(
                    AgentPresence.workspace_id == AgentStatus.workspace_id,
                    AgentPresence.user_id == AgentStatus.user_id,
                ),
            )
            .where(
                AgentStatus.workspace_id == workspace_id,
                AgentStatus.state != AgentState.OFFLINE,
            )
        )
    ).all()
    for row, last_seen_at, last_active_at in rows:
        source: str | None = None
        gone = now - timedelta(seconds=config.disconnect_grace_seconds)
        if last_seen_at is not None and last_seen_at < gone:
            source = StateSource.DISCONNECTED
        elif config.inactivity_minutes is not None:
            last = max(last_active_at or row.state_since, row.state_since)
            if last < now - timedelta(minutes=config.inactivity_minutes):
                source = StateSource.INACTIVITY
        if source is not None:
            await change_state(
                uow,
                workspace_id,
                row.user_id,
                StateUpdate(state="offline"),
                source=source,
                by_user_id=None,
            )
            report.offline.append(row.user_id)


async def _timeouts(uow: UnitOfWork, workspace_id: uuid.UUID, report: SweepReport) -> None:
    now = uow.now()
    teams = {
        t.team_id: RoutingSettings.model_validate(t.settings or {})
        for t in await uow.session.scalars(
            select(TeamRouting).where(TeamRouting.workspace_id == workspace_id)
        )
    }
    default = RoutingSettings()
    rows = (
        await uow.session.execute(
            select(
                Conversation.id,
                Conversation.team_id,
                AgentStatus.state,
                AgentStatus.state_since,
                Conversation.waiting_since,
                Conversation.assigned_at,
            )
            .join(
                AgentStatus,
                (AgentStatus.user_id == Conversation.assignee_id)
                & (AgentStatus.workspace_id == Conversation.workspace_id),
            )
            .where(
                Conversation.workspace_id == workspace_id,
                Conversation.team_id.is_not(None),
                Conversation.status.in_(engine.HOLDING),
            )
        )
    ).all()
    for cid, team_id, state, since, waiting_since, assigned_at in rows:
        settings = teams.get(team_id, default) if team_id else default
        reason: str | None = None
        if (
            state == AgentState.OFFLINE
            and settings.offline_minutes is not None
            and assigned_at is not None
            and since >= assigned_at  # went offline while holding it
            and since < now - timedelta(minutes=settings.offline_minutes)
        ):
            reason = "offline"
        elif (
            settings.reply_timeout_minutes is not None
            and waiting_since is not None
            and assigned_at is not None
            and max(waiting_since, assigned_at)
            < now - timedelta(minutes=settings.reply_timeout_minutes)
        ):
            reason = "no_reply"
        if reason is None:
            continue
        conv = await engine.lock_conversation(uow.session, workspace_id, cid)
        if conv is None or conv.assignee_id is None:
            continue
        await release(uow, conv, reason)
        report.released.append((cid, reason))


async def _strays(uow: UnitOfWork, workspace_id: uuid.UUID, report: SweepReport) -> None:
    """Waiting conversations that no queue holds join their team's queue, for routing."""
    strays = (
        await uow.session.scalars(
            select(Conversation).where(
                Conversation.workspace_id == workspace_id,
                Conversation.team_id.is_not(None),
                Conversation.assignee_id.is_(None),
                Conversation.queued_at.is_(None),
                Conversation.status.in_(engine.HOLDING),
            )
        )
    ).all()
    for conv in strays:
        await ledger.queue_for_routing(uow, conv)
        report.requeued.append(conv.id)
    await uow.session.flush()


async def _queues(uow: UnitOfWork, workspace_id: uuid.UUID, report: SweepReport) -> None:
    now = uow.now()
    team_ids = list(
        await uow.session.scalars(
            select(Conversation.team_id)
            .where(
                Conversation.workspace_id == workspace_id,
                Conversation.queued_at.is_not(None),
                Conversation.assignee_id.is_(None),
                Conversation.status.in_(engine.HOLDING),
            )
            .group_by(Conversation.team_id)
        )
    )
    for team_id in team_ids:
        if team_id is None:
            continue
        report.assigned += await engine.drain(uow, workspace_id, team_id)
        settings = await team_routing(uow.session, workspace_id, team_id)
        opened = await opening(uow.session, workspace_id, team_id, now)
        snapshot = await engine.queue_snapshot(uow.session, workspace_id, team_id, now)
        for cid in snapshot.conversation_ids:
            conv = await engine.lock_conversation(uow.session, workspace_id, cid)
            if conv is None or conv.queue_reason == ledger.QueueReason.ROUTING:
                continue  # routing tells it when it decides
            if await engine.tell_waiting(
                uow, conv, settings=settings, opened=opened, snapshot=snapshot
            ):
                report.told += 1


async def sweep_workspace(uow: UnitOfWork, workspace_id: uuid.UUID) -> SweepReport:
    report = SweepReport()
    await _auto_offline(uow, workspace_id, report)
    await _timeouts(uow, workspace_id, report)
    await _strays(uow, workspace_id, report)
    await _queues(uow, workspace_id, report)
    return report


async def workspaces_to_sweep(uow: UnitOfWork) -> list[uuid.UUID]:
    """Workspaces with teams (routing only acts on team conversations)."""
    return list(await uow.session.scalars(select(Team.workspace_id).distinct()))
