"""REST API v1: SLA policies (owners and managers change them; every member reads them)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.sla import actions
from frontdesk.core.sla.queries import access_sla_policy, list_sla_policies, sla_policy_read
from frontdesk.core.sla.schemas import SlaPolicyCreate, SlaPolicyRead, SlaPolicyUpdate

router = APIRouter()


@router.get("")
async def read_sla_policies(actor: ActorDep, db: ReaderDep) -> list[SlaPolicyRead]:
    """Every policy of the workspace, by name."""
    return await list_sla_policies(db, actor)


@router.post("", status_code=201, responses=error_responses(409))
async def create_sla_policy(data: SlaPolicyCreate, actor: ActorDep, uow: UowDep) -> SlaPolicyRead:
    read = await actions.create_sla_policy(uow, actor, data)
    await uow.commit()
    return read


@router.get("/{sla_policy_id}")
async def read_sla_policy(
    sla_policy_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> SlaPolicyRead:
    return sla_policy_read(await access_sla_policy(db, actor, sla_policy_id))


@router.patch("/{sla_policy_id}", responses=error_responses(409))
async def update_sla_policy(
    sla_policy_id: uuid.UUID, data: SlaPolicyUpdate, actor: ActorDep, uow: UowDep
) -> SlaPolicyRead:
    policy = await access_sla_policy(uow.session, actor, sla_policy_id)
    read = await actions.update_sla_policy(uow, actor, policy, data)
    await uow.commit()
    return read


@router.delete("/{sla_policy_id}", status_code=204)
async def delete_sla_policy(sla_policy_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    policy = await access_sla_policy(uow.session, actor, sla_policy_id)
    await actions.delete_sla_policy(uow, actor, policy)
    await uow.commit()
