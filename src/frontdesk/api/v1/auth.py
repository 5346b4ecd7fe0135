"""Sign-in, sign-out, the current session, and accepting invitations."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from frontdesk.api.cookies import (
    SIGN_IN_CHALLENGE_COOKIE,
    clear_session_cookies,
    clear_sign_in_challenge_cookie,
    set_session_cookies,
    set_sign_in_challenge_cookie,
)
from frontdesk.api.deps import PrincipalDep, RuntimeDep, UowDep, client_ip
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.accounts import actions, sessions
from frontdesk.core.accounts.queries import list_user_workspaces, pick_workspace, user_exists
from frontdesk.core.accounts.schemas import (
    InvitationAccept,
    InvitationPreview,
    SessionRead,
    SignIn,
    SignInCode,
    TwoFactorChallengeRead,
    UserRead,
)
from frontdesk.core.accounts.two_factor import PendingSignIn
from frontdesk.core.accounts.two_factor_sign_in import CHALLENGE_ENDED, complete_sign_in
from frontdesk.core.errors import Unauthenticated

router = APIRouter()


async def _session_read(uow: UowDep, started: actions.StartedSession) -> SessionRead:
    workspaces = await list_user_workspaces(uow.session, started.user.id)
    return SessionRead(
        user=UserRead.model_validate(started.user),
        workspace=pick_workspace(workspaces, started.session.workspace_id),
        csrf_token=started.session.csrf_token,
    )


async def _signed_in(
    uow: UowDep,
    runtime: RuntimeDep,
    response: Response,
    started: actions.StartedSession | PendingSignIn,
) -> SessionRead | TwoFactorChallengeRead:
    """The session (and its cookies), or, with two-factor on, the challenge for the code."""
    if isinstance(started, PendingSignIn):
        await uow.commit()
        set_sign_in_challenge_cookie(response, runtime, started.token)
        return TwoFactorChallengeRead(expires_at=started.expires_at)
    body = await _session_read(uow, started)
    await uow.commit()
    set_session_cookies(response, runtime, started.token, started.session.csrf_token)
    return body


@router.post("/sign-in", responses=error_responses(401, 429))
async def sign_in(
    data: SignIn, request: Request, response: Response, uow: UowDep, runtime: RuntimeDep
) -> SessionRead | TwoFactorChallengeRead:
    """The session; with two-factor on, a challenge (kept in a cookie for 5 minutes) whose
    code goes to `POST /auth/sign-in/code`."""
    started = await actions.sign_in(
        uow,
        runtime,
        email=data.email,
        password=data.password,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    return await _signed_in(uow, runtime, response, started)


@router.post("/sign-in/code", responses=error_responses(401, 429))
async def sign_in_with_code(
    data: SignInCode, request: Request, response: Response, uow: UowDep, runtime: RuntimeDep
) -> SessionRead:
    """The second step: a code from the authenticator app or a recovery code (used once).
    Wrong codes count as failed sign-ins; an expired or finished challenge answers 401."""
    token = request.cookies.get(SIGN_IN_CHALLENGE_COOKIE, "")
    if not token:
        raise Unauthenticated(CHALLENGE_ENDED)
    started = await complete_sign_in(
        uow,
        runtime,
        token,
        data.code,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    body = await _session_read(uow, started)
    await uow.commit()
    clear_sign_in_challenge_cookie(response)
    set_session_cookies(response, runtime, started.token, started.session.csrf_token)
    return body


@router.get("/session")
async def current_session(principal: PrincipalDep, runtime: RuntimeDep) -> SessionRead:
    async with runtime.database.read_session() as db:
        workspaces = await list_user_workspaces(db, principal.user.id)
    return SessionRead(
        user=UserRead.model_validate(principal.user),
        workspace=pick_workspace(workspaces, principal.session.workspace_id),
        csrf_token=principal.session.csrf_token,
    )


@router.post("/sign-out", status_code=204)
async def sign_out(principal: PrincipalDep, uow: UowDep, response: Response) -> None:
    await sessions.sign_out(uow, principal)
    await uow.commit()
    clear_session_cookies(response)


@router.post("/sign-out-everywhere", status_code=204)
async def sign_out_everywhere(principal: PrincipalDep, uow: UowDep, response: Response) -> None:
    await actions.revoke_sessions(uow, principal.user.id)
    await uow.commit()
    clear_session_cookies(response)


@router.get("/invitations/{token}")
async def preview_invitation(token: str, uow: UowDep) -> InvitationPreview:
    invitation, workspace = await actions.open_invitation(uow, token)
    return InvitationPreview(
        workspace_name=workspace.name,
        email=invitation.email,
        role=invitation.role,
        has_account=await user_exists(uow.session, invitation.email),
    )


@router.post("/invitations/{token}/accept", responses=error_responses(409, 429))
async def accept_invitation(
    token: str,
    data: InvitationAccept,
    request: Request,
    response: Response,
    uow: UowDep,
    runtime: RuntimeDep,
) -> SessionRead | TwoFactorChallengeRead:
    started = await actions.accept_invitation(
        uow,
        runtime,
        token,
        name=data.name,
        password=data.password,
        language=data.language,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    return await _signed_in(uow, runtime, response, started)
