"""REST API v1: agent states and capacity, routing settings, team queues, explanations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.errors import NotFound
from frontdesk.core.routing import actions, queries, states
from frontdesk.core.routing.schemas import (
    AgentStatusRead,
    AssignmentRead,
    CapacityUpdate,
    QueueRead,
    RoutingSettings,
    StateChangeRead,
    StateUpdate,
    TeamRoutingRead,
    WorkspaceRouting,
)
from frontdesk.core.teams.queries import access_team

router = APIRouter()


@router.get("/agents/states", tags=["agent states"])
async def read_agent_states(actor: ActorDep, db: ReaderDep) -> list[AgentStatusRead]:
    """Every member who takes conversations: state, reason, capacity and open conversations."""
    return await queries.list_agent_states(db, actor.workspace_id)


@router.get("/me/state", tags=["agent states"])
async def read_my_state(actor: ActorDep, db: ReaderDep) -> AgentStatusRead:
    if actor.user_id is None:
        raise NotFound("agent")
    return await queries.agent_state(db, actor.workspace_id, actor.user_id)


@router.put("/me/state", tags=["agent states"])
async def set_my_state(data: StateUpdate, actor: ActorDep, uow: UowDep) -> AgentStatusRead:
    """Online, busy, away (with one of the workspace's reasons) or offline."""
    read = await states.set_my_state(uow, actor, data)
    await uow.commit()
    return read


@router.put("/agents/{user_id}/state", tags=["agent states"])
async def set_agent_state(
    user_id: uuid.UUID, data: StateUpdate, actor: ActorDep, uow: UowDep
) -> AgentStatusRead:
    """A manager sets a member's state (recorded as set by a supervisor)."""
    read = await states.set_agent_state(uow, actor, user_id, data)
    await uow.commit()
    return read


@router.put("/agents/{user_id}/capacity", tags=["agent states"])
async def set_agent_capacity(
    user_id: uuid.UUID, data: CapacityUpdate, actor: ActorDep, uow: UowDep
) -> AgentStatusRead:
    """Maximum concurrent open conversations (null: the workspace default), per channel type too."""
    read = await states.set_capacity(uow, actor, user_id, data)
    await uow.commit()
    return read


@router.get("/agents/{user_id}/state-history", tags=["agent states"])
async def read_state_history(
    user_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> list[StateChangeRead]:
    """The member's state changes, newest first (the last 100)."""
    if user_id != actor.user_id:
        actor.require_admin()
    return await queries.state_history(db, actor.workspace_id, user_id)


@router.get("/routing/settings", tags=["routing"])
async def read_workspace_routing(actor: ActorDep, uow: UowDep) -> WorkspaceRouting:
    return await actions.get_workspace_routing(uow, actor)


@router.put("/routing/settings", tags=["routing"])
async def set_workspace_routing(
    data: WorkspaceRouting, actor: ActorDep, uow: UowDep
) -> WorkspaceRouting:
    """Default capacity, away reasons, inactivity and disconnect times."""
    read = await actions.set_workspace_routing(uow, actor, data)
    await uow.commit()
    return read


@router.get("/teams/{team_id}/routing", tags=["routing"])
async def read_team_routing(team_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> TeamRoutingRead:
    await access_team(uow.session, actor, team_id)
    return await actions.get_team_routing(uow, actor, team_id)


@router.put("/teams/{team_id}/routing", tags=["routing"])
async def set_team_routing(
    team_id: uuid.UUID, data: RoutingSettings, actor: ActorDep, uow: UowDep
) -> TeamRoutingRead:
    """The team's strategy, eligibility, rules, timeouts and automatic messages."""
    read = await actions.set_team_routing(uow, actor, team_id, data)
    await uow.commit()
    return read


@router.get("/teams/{team_id}/queue", tags=["routing"])
async def read_team_queue(
    team_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> QueueRead:
    """Waiting conversations in order (priority, then waiting time), with expected waits."""
    await access_team(db, actor, team_id)
    return await queries.team_queue(db, actor.workspace_id, team_id, runtime.clock.now())


@router.get("/conversations/{conversation_id}/assignments", tags=["routing"])
async def read_assignments(
    conversation_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> list[AssignmentRead]:
    """Why the conversation went where it did: each decision with its candidates, newest first."""
    await access_conversation(db, actor, conversation_id)
    return await queries.assignments_of(db, actor.workspace_id, conversation_id)
