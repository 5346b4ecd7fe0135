"""The second step of a two-factor sign-in, and a workspace requiring two-factor of members."""

from __future__ import annotations

from sqlalchemy import select, update

from frontdesk.core.accounts.actions import StartedSession, start_session
from frontdesk.core.accounts.models import SignInChallenge, User
from frontdesk.core.accounts.two_factor import checked_code
from frontdesk.core.accounts.two_factor_policy import REQUIRE_KEY, requires_two_factor
from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Invalid, Unauthenticated
from frontdesk.core.events import WorkspaceUpdated, workspace_key
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_token
from frontdesk.core.workspaces.models import Workspace
from frontdesk.db.uow import UnitOfWork

CHALLENGE_ENDED = "this sign-in has expired; sign in with your password again"


async def complete_sign_in(
    uow: UnitOfWork, runtime: Runtime, token: str, code: str, *, ip: str, user_agent: str
) -> StartedSession:
    """Check the code for a pending sign-in and open the session (only now)."""
    now = uow.now()
    row = (
        await uow.session.execute(
            select(SignInChallenge, User)
            .join(User, User.id == SignInChallenge.user_id)
            .where(SignInChallenge.token_hash == hash_token(token))
        )
    ).first()
    if row is None:
        raise Unauthenticated(CHALLENGE_ENDED)
    challenge, user = row
    if challenge.used_at is not None or challenge.expires_at <= now or not user.is_active:
        raise Unauthenticated(CHALLENGE_ENDED)
    await checked_code(uow, runtime, user, code, ip=ip, allow_recovery=True)
    # Used once: a second request with the same challenge finds it taken.
    taken = await uow.session.execute(
        update(SignInChallenge)
        .where(SignInChallenge.id == challenge.id, SignInChallenge.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) != 1:
        raise Unauthenticated(CHALLENGE_ENDED)
    return await start_session(uow, user, days=runtime.session_days, ip=ip, user_agent=user_agent)


async def set_two_factor_requirement(uow: UnitOfWork, actor: Actor, required: bool) -> Workspace:
    """Owners require (or stop requiring) two-factor sign-in of every member."""
    actor.require_owner()
    if required and actor.user_id is not None:
        owner = await uow.session.get_one(User, actor.user_id)
        if owner.two_factor_enabled_at is None:
            # Otherwise the owner would lock themself out of the very setting.
            raise Invalid(
                "turn on two-factor sign-in for yourself first", field="require_two_factor"
            )
    ws = await uow.session.get_one(Workspace, actor.workspace_id)
    if requires_two_factor(ws.settings) == required:
        return ws
    ws.settings = {**(ws.settings or {}), REQUIRE_KEY: required}  # a new dict: JSON changes
    record_audit(
        uow, actor, "two_factor.requirement_changed", "workspace", ws.id, required=required
    )
    uow.emit(
        WorkspaceUpdated(
            workspace_id=ws.id,
            audience=(workspace_key(ws.id),),
            data={"change": {REQUIRE_KEY: required}},
        )
    )
    return ws
