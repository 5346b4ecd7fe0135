"""Ending sessions one at a time: signing out, or "sign out this one" from the profile."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from frontdesk.core.accounts.authn import Principal
from frontdesk.core.accounts.models import AuthSession
from frontdesk.core.errors import NotFound
from frontdesk.core.events import SessionEnded, user_key
from frontdesk.db.uow import UnitOfWork


async def sign_out(uow: UnitOfWork, principal: Principal) -> None:
    """End the caller's own session; its live sockets (in every process) close with it."""
    await _end_session(uow, principal.user.id, principal.session.id)


async def end_session(uow: UnitOfWork, principal: Principal, session_id: uuid.UUID) -> bool:
    """Sign out one of the caller's sessions ("sign out this one" in the profile); whether it
    was the session making the request. Another user's session is "not found"."""
    found = await uow.session.scalar(
        select(AuthSession.id).where(
            AuthSession.id == session_id,
            AuthSession.user_id == principal.user.id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > uow.now(),
        )
    )
    if found is None:
        raise NotFound("session")
    await _end_session(uow, principal.user.id, session_id)
    return session_id == principal.session.id


async def _end_session(uow: UnitOfWork, user_id: uuid.UUID, session_id: uuid.UUID) -> None:
    await uow.session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.user_id == user_id)
        .values(revoked_at=uow.now())
    )
    uow.emit(
        SessionEnded(
            workspace_id=None,
            audience=(user_key(user_id),),
            data={"user_id": str(user_id), "session_id": str(session_id)},
        )
    )
