"""Workspaces: the caller's list, the current one, and creating new ones."""

from __future__ import annotations

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, PrincipalDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.accounts.queries import list_user_workspaces
from frontdesk.core.accounts.schemas import WorkspaceBrief
from frontdesk.core.workspaces import actions
from frontdesk.core.workspaces.queries import get_workspace
from frontdesk.core.workspaces.schemas import WorkspaceCreate, WorkspaceRead, WorkspaceUpdate

router = APIRouter()


@router.get("")
async def list_workspaces(principal: PrincipalDep, db: ReaderDep) -> list[WorkspaceBrief]:
    return await list_user_workspaces(db, principal.user.id)


@router.post("", status_code=201, responses=error_responses(409))
async def create_workspace(actor: ActorDep, data: WorkspaceCreate, uow: UowDep) -> WorkspaceBrief:
    ws = await actions.create_workspace(uow, actor, data)
    await uow.commit()
    return WorkspaceBrief(id=ws.id, name=ws.name, slug=ws.slug, role="owner")


@router.get("/current")
async def read_current(actor: ActorDep, db: ReaderDep) -> WorkspaceRead:
    return await get_workspace(db, actor)


@router.patch("/current")
async def update_current(actor: ActorDep, data: WorkspaceUpdate, uow: UowDep) -> WorkspaceRead:
    await actions.update_workspace(uow, actor, data)
    await uow.commit()
    return await get_workspace(uow.session, actor)
