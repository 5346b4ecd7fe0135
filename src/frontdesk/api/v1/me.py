"""The signed-in user: profile, password, current workspace."""

from __future__ import annotations

from fastapi import APIRouter, Request

from frontdesk.api.deps import PrincipalDep, ReaderDep, RuntimeDep, UowDep, client_ip
from frontdesk.core.accounts import actions
from frontdesk.core.accounts.queries import get_me
from frontdesk.core.accounts.schemas import MeRead, MeUpdate, PasswordChange, WorkspaceSwitch

router = APIRouter()


@router.get("")
async def read_me(principal: PrincipalDep, db: ReaderDep) -> MeRead:
    return await get_me(db, principal.user, principal.session.workspace_id)


@router.patch("")
async def update_me(principal: PrincipalDep, data: MeUpdate, uow: UowDep) -> MeRead:
    user = await actions.update_profile(uow, principal.user.id, data)
    await uow.commit()
    return await get_me(uow.session, user, principal.session.workspace_id)


@router.post("/password", status_code=204)
async def change_password(
    principal: PrincipalDep,
    data: PasswordChange,
    request: Request,
    uow: UowDep,
    runtime: RuntimeDep,
) -> None:
    # Wrong current passwords are throttled like sign-ins (429 with `retry_after`).
    await actions.change_password(
        uow,
        runtime,
        principal,
        data.current_password,
        data.new_password,
        ip=client_ip(request),
    )
    await uow.commit()


@router.put("/workspace")
async def switch_workspace(principal: PrincipalDep, data: WorkspaceSwitch, uow: UowDep) -> MeRead:
    await actions.switch_workspace(uow, principal.user.id, principal.session.id, data.workspace_id)
    await uow.commit()
    return await get_me(uow.session, principal.user, data.workspace_id)
