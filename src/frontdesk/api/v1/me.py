"""The signed-in user: profile, password, current workspace, where they are signed in."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from frontdesk.api.cookies import clear_session_cookies
from frontdesk.api.deps import PrincipalDep, ReaderDep, RuntimeDep, UowDep, client_ip
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.accounts import actions, sessions
from frontdesk.core.accounts.queries import get_me, list_active_sessions
from frontdesk.core.accounts.schemas import (
    ActiveSessionRead,
    MeRead,
    MeUpdate,
    PasswordChange,
    WorkspaceSwitch,
)

router = APIRouter()


@router.get("")
async def read_me(principal: PrincipalDep, db: ReaderDep) -> MeRead:
    return await get_me(db, principal.user, principal.session.workspace_id)


@router.patch("")
async def update_me(principal: PrincipalDep, data: MeUpdate, uow: UowDep) -> MeRead:
    user = await actions.update_profile(uow, principal.user.id, data)
    await uow.commit()
    return await get_me(uow.session, user, principal.session.workspace_id)


@router.post("/password", status_code=204, responses=error_responses(429))
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


@router.get("/sessions")
async def read_sessions(
    principal: PrincipalDep, db: ReaderDep, runtime: RuntimeDep
) -> list[ActiveSessionRead]:
    """Where you are signed in: every session not signed out or expired, the current one marked."""
    return await list_active_sessions(
        db, principal.user.id, principal.session.id, runtime.clock.now()
    )


@router.delete("/sessions/{session_id}", status_code=204)
async def delete_session(
    session_id: uuid.UUID, principal: PrincipalDep, uow: UowDep, response: Response
) -> None:
    """Sign out one of your sessions; its live sockets close at once."""
    was_current = await sessions.end_session(uow, principal, session_id)
    await uow.commit()
    if was_current:
        clear_session_cookies(response)
