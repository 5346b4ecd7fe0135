"""Agent states and capacity: changes, their history, and the draining they trigger."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import Invalid, NotFound
from frontdesk.core.events import AgentStateChanged, workspace_key
from frontdesk.core.routing import engine
from frontdesk.core.routing.models import AgentState, AgentStateChange, AgentStatus, StateSource
from frontdesk.core.routing.presence import touch
from frontdesk.core.routing.queries import agent_status_read
from frontdesk.core.routing.schemas import AgentStatusRead, CapacityUpdate, StateUpdate
from frontdesk.core.routing.settings import load_workspace_routing
from frontdesk.core.workspaces.models import Membership, Role
from frontdesk.db.uow import UnitOfWork


async def _status_row(
    session: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> AgentStatus:
    await engine.ensure_status_rows(session, workspace_id, [user_id], now)
    row = await session.scalar(
        select(AgentStatus).where(
            AgentStatus.workspace_id == workspace_id, AgentStatus.user_id == user_id
        )
    )
    if row is None:  # pragma: no cover - the insert above guarantees the row
        raise NotFound("agent")
    await session.refresh(row)
    return row


async def _require_agent(
    session: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    role = await session.scalar(
        select(Membership.role).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )
    if role is None:
        raise NotFound("member")
    if role == Role.VIEWER:
        raise Invalid("viewers do not take conversations", field="user_id")


async def status_read(
    session: AsyncSession, workspace_id: uuid.UUID, row: AgentStatus
) -> AgentStatusRead:
    default = (await load_workspace_routing(session, workspace_id)).default_capacity
    name = await session.scalar(select(User.name).where(User.id == row.user_id))
    open_count = await session.scalar(
        select(func.count()).where(
            Conversation.workspace_id == workspace_id,
            Conversation.assignee_id == row.user_id,
            Conversation.status.in_(engine.HOLDING),
        )
    )
    return agent_status_read(row.user_id, name or "", row, default, open_count or 0)


async def _emit_state(
    uow: UnitOfWork, workspace_id: uuid.UUID, row: AgentStatus, change: dict[str, object]
) -> AgentStatusRead:
    row.version += 1
    await uow.session.flush()
    read = await status_read(uow.session, workspace_id, row)
    uow.emit(
        AgentStateChanged(
            workspace_id=workspace_id,
            audience=(workspace_key(workspace_id),),
            data={"agent": read.model_dump(mode="json"), "change": change},
        )
    )
    return read


async def change_state(
    uow: UnitOfWork,
    workspace_id: uuid.UUID,
    user_id: uuid.UUID,
    update: StateUpdate,
    *,
    source: str,
    by_user_id: uuid.UUID | None,
) -> AgentStatusRead:
    """Set an agent's state, record it in the history, and drain their queues if they are free."""
    session, now = uow.session, uow.now()
    await _require_agent(session, workspace_id, user_id)
    reasons = (await load_workspace_routing(session, workspace_id)).away_reasons
    reason = (update.reason or "").strip() or None
    if update.state == AgentState.AWAY:
        if reason is not None and reason not in reasons:
            raise Invalid("choose one of the workspace's away reasons", field="reason")
    else:
        reason = None
    row = await _status_row(session, workspace_id, user_id, now)
    if source == StateSource.MANUAL and user_id == by_user_id:
        await touch(session, workspace_id, user_id, now, seen=False, active=True)
    if row.state == update.state and row.reason == reason:
        return await status_read(session, workspace_id, row)
    previous = row.state
    row.state, row.reason, row.state_since = update.state, reason, now
    session.add(
        AgentStateChange(
            workspace_id=workspace_id,
            user_id=user_id,
            state=update.state,
            reason=reason,
            source=source,
            changed_by_id=by_user_id,
            at=now,
        )
    )
    read = await _emit_state(
        uow,
        workspace_id,
        row,
        {"state": update.state, "previous": previous, "reason": reason, "source": source},
    )
    if update.state == AgentState.ONLINE:
        for team_id in await engine.teams_of(session, workspace_id, user_id):
            await engine.drain(uow, workspace_id, team_id)
        read = await status_read(session, workspace_id, row)
    return read


async def set_my_state(uow: UnitOfWork, actor: Actor, update: StateUpdate) -> AgentStatusRead:
    if actor.user_id is None:
        raise Invalid("an API token has no agent state; use /agents/{user_id}/state")
    return await change_state(
        uow,
        actor.workspace_id,
        actor.user_id,
        update,
        source=StateSource.MANUAL,
        by_user_id=actor.user_id,
    )


async def set_agent_state(
    uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, update: StateUpdate
) -> AgentStatusRead:
    if user_id != actor.user_id:
        actor.require_admin()
    source = StateSource.MANUAL if user_id == actor.user_id else StateSource.SUPERVISOR
    read = await change_state(
        uow, actor.workspace_id, user_id, update, source=source, by_user_id=actor.user_id
    )
    if source == StateSource.SUPERVISOR:
        record_audit(
            uow, actor, "agent.state_set", "user", user_id, state=read.state, reason=read.reason
        )
    return read


async def _check_channel_types(
    session: AsyncSession, workspace_id: uuid.UUID, limits: dict[str, int]
) -> None:
    """Per-channel limits name channel types the workspace has (422 otherwise)."""
    if not limits:
        return
    types = set(
        await session.scalars(
            select(Channel.type).where(Channel.workspace_id == workspace_id).distinct()
        )
    )
    unknown = sorted(set(limits) - types)
    if unknown:
        raise Invalid(
            f"this workspace has no {', '.join(unknown)} channel; limit one of: "
            f"{', '.join(sorted(types)) or 'none yet'}",
            field="channel_capacity",
        )


async def set_capacity(
    uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, update: CapacityUpdate
) -> AgentStatusRead:
    """Change an agent's limits; a raised limit drains their queues at once."""
    actor.require_admin()
    session, now = uow.session, uow.now()
    await _require_agent(session, actor.workspace_id, user_id)
    await _check_channel_types(session, actor.workspace_id, update.channel_capacity)
    row = await _status_row(session, actor.workspace_id, user_id, now)
    row.capacity, row.channel_capacity = update.capacity, dict(update.channel_capacity)
    await _emit_state(
        uow,
        actor.workspace_id,
        row,
        {"capacity": update.capacity, "channel_capacity": update.channel_capacity},
    )
    record_audit(
        uow,
        actor,
        "agent.capacity_changed",
        "user",
        user_id,
        capacity=update.capacity,
        channel_capacity=dict(update.channel_capacity),
    )
    for team_id in await engine.teams_of(session, actor.workspace_id, user_id):
        await engine.drain(uow, actor.workspace_id, team_id)
    return await status_read(session, actor.workspace_id, row)
