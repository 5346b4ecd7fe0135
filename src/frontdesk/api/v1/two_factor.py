"""Two-factor sign-in: the signed-in user's own set-up, and owners requiring it of members."""

from __future__ import annotations

from fastapi import APIRouter, Request

from frontdesk.api.deps import ActorDep, PrincipalDep, ReaderDep, RuntimeDep, UowDep, client_ip
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.accounts import two_factor
from frontdesk.core.accounts.schemas import (
    RecoveryCodesRead,
    TwoFactorCode,
    TwoFactorRequirement,
    TwoFactorSetupRead,
    TwoFactorStatusRead,
)
from frontdesk.core.accounts.two_factor_policy import (
    requires_two_factor,
    workspace_requires_two_factor,
)
from frontdesk.core.accounts.two_factor_sign_in import set_two_factor_requirement

# Under /me/two-factor: these work before two-factor is on, even where a workspace requires it.
router = APIRouter()
# Under /workspaces/current/two-factor: the workspace's requirement (owners).
workspace_router = APIRouter()


@router.get("")
async def read_two_factor(principal: PrincipalDep, uow: UowDep) -> TwoFactorStatusRead:
    return TwoFactorStatusRead(
        enabled=principal.user.two_factor_enabled,
        recovery_codes_left=await two_factor.count_recovery_codes_left(uow, principal.user.id),
    )


@router.post("/setup", responses=error_responses(409))
async def start_setup(
    principal: PrincipalDep, uow: UowDep, runtime: RuntimeDep
) -> TwoFactorSetupRead:
    """A new secret for an authenticator app; two-factor is on only once a code confirms it."""
    setup = await two_factor.start_two_factor_setup(uow, runtime, principal.user.id)
    await uow.commit()
    return TwoFactorSetupRead(secret=setup.secret, otpauth_uri=setup.otpauth_uri)


@router.post("/enable", responses=error_responses(409, 429))
async def enable(
    principal: PrincipalDep, data: TwoFactorCode, request: Request, uow: UowDep, runtime: RuntimeDep
) -> RecoveryCodesRead:
    """Confirm the set-up with a code; answers the recovery codes, shown only this once."""
    codes = await two_factor.enable_two_factor(
        uow, runtime, principal.user.id, data.code, ip=client_ip(request)
    )
    await uow.commit()
    return RecoveryCodesRead(recovery_codes=codes)


@router.post("/disable", status_code=204, responses=error_responses(409, 429))
async def disable(
    principal: PrincipalDep, data: TwoFactorCode, request: Request, uow: UowDep, runtime: RuntimeDep
) -> None:
    """Turn two-factor off with a code from the app or a recovery code."""
    await two_factor.disable_two_factor(
        uow, runtime, principal.user.id, data.code, ip=client_ip(request)
    )
    await uow.commit()


@router.post("/recovery-codes", responses=error_responses(409, 429))
async def regenerate_codes(
    principal: PrincipalDep, data: TwoFactorCode, request: Request, uow: UowDep, runtime: RuntimeDep
) -> RecoveryCodesRead:
    """New recovery codes with a code from the app; the old ones stop working."""
    codes = await two_factor.regenerate_recovery_codes(
        uow, runtime, principal.user.id, data.code, ip=client_ip(request)
    )
    await uow.commit()
    return RecoveryCodesRead(recovery_codes=codes)


@workspace_router.get("")
async def read_requirement(actor: ActorDep, db: ReaderDep) -> TwoFactorRequirement:
    return TwoFactorRequirement(
        required=await workspace_requires_two_factor(db, actor.workspace_id)
    )


@workspace_router.put("")
async def update_requirement(
    actor: ActorDep, data: TwoFactorRequirement, uow: UowDep
) -> TwoFactorRequirement:
    """Owners require two-factor of every member (having it on themselves first)."""
    ws = await set_two_factor_requirement(uow, actor, data.required)
    await uow.commit()
    return TwoFactorRequirement(required=requires_two_factor(ws.settings))
