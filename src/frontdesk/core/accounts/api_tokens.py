"""Workspace API tokens: made by owners and managers, shown once, revoked at any time."""

from __future__ import annotations

from frontdesk.core.accounts.models import ApiToken
from frontdesk.core.accounts.schemas import ApiTokenCreate
from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.events import ApiTokenRevoked, supervisors_key
from frontdesk.core.security import hash_token, new_token
from frontdesk.db.uow import UnitOfWork


async def create_api_token(
    uow: UnitOfWork, actor: Actor, data: ApiTokenCreate
) -> tuple[ApiToken, str]:
    actor.require_admin()
    raw = new_token("fd_")
    token = ApiToken(
        workspace_id=actor.workspace_id,
        name=data.name,
        prefix=raw[:10],
        token_hash=hash_token(raw),
        role=data.role,
        # A token made by a token stands on the same member as its maker.
        created_by_id=actor.user_id or actor.token_creator_id,
        created_at=uow.now(),
    )
    uow.session.add(token)
    await uow.session.flush()
    record_audit(
        uow, actor, "api_token.created", "api_token", token.id, name=data.name, role=data.role
    )
    return token, raw


async def revoke_api_token(uow: UnitOfWork, actor: Actor, token: ApiToken) -> None:
    actor.require_admin()
    if token.revoked_at is None:
        token.revoked_at = uow.now()
    record_audit(uow, actor, "api_token.revoked", "api_token", token.id, name=token.name)
    # Its live sockets close at once, in every process (realtime/hub.py).
    uow.emit(
        ApiTokenRevoked(
            workspace_id=token.workspace_id,
            audience=(supervisors_key(token.workspace_id),),
            data={"id": str(token.id), "name": token.name},
        )
    )
