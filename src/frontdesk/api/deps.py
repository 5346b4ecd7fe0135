"""Dependencies shared by routers: the runtime, units of work, read sessions and the caller."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.api.client_access import check_client_route
from frontdesk.core.accounts.authn import (
    Principal,
    actor_for_principal,
    actor_from_api_token,
    principal_from_session_token,
)
from frontdesk.core.actor import Actor
from frontdesk.core.errors import Forbidden, Invalid, Unauthenticated
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import tokens_equal
from frontdesk.db.uow import UnitOfWork

SESSION_COOKIE = "frontdesk_session"
CSRF_COOKIE = "frontdesk_csrf"
CSRF_HEADER = "x-csrf-token"
WORKSPACE_HEADER = "x-workspace-id"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_uow(runtime: RuntimeDep) -> AsyncIterator[UnitOfWork]:
    async with runtime.uow() as uow:
        yield uow


async def get_reader(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.database.read_session() as session:
        yield session


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
ReaderDep = Annotated[AsyncSession, Depends(get_reader)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _check_csrf(request: Request, principal: Principal) -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not tokens_equal(sent, principal.session.csrf_token):
        raise Forbidden("missing or wrong CSRF token: send the X-CSRF-Token header")


async def get_principal(request: Request, runtime: RuntimeDep) -> Principal:
    """A signed-in browser user (session cookie), CSRF-checked on unsafe methods."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated("sign in to continue")
    # A unit session: signing in may refresh last_seen_at, a write (see authn.SEEN_RESOLUTION).
    async with runtime.database.unit_session() as db:
        principal = await principal_from_session_token(db, token, runtime.clock.now())
    _check_csrf(request, principal)
    return principal


def _workspace_header(request: Request) -> uuid.UUID | None:
    raw = request.headers.get(WORKSPACE_HEADER)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Invalid("X-Workspace-Id is not a valid id", field="X-Workspace-Id") from None


async def get_actor(request: Request, runtime: RuntimeDep) -> Actor:
    """The caller acting in one workspace: an API token, or a member signed in by cookie."""
    ip = client_ip(request)
    bearer = _bearer(request)
    async with runtime.database.unit_session() as db:  # may refresh last_used_at: a write
        if bearer is not None:
            return await actor_from_api_token(db, bearer, runtime.clock.now(), ip)
    principal = await get_principal(request, runtime)
    async with runtime.database.read_session() as db:
        actor = await actor_for_principal(db, principal, _workspace_header(request), ip)
    if actor.client_scope is not None:  # a client viewer: its client's reads only
        check_client_route(request.method, request.url.path)
    return actor


PrincipalDep = Annotated[Principal, Depends(get_principal)]
ActorDep = Annotated[Actor, Depends(get_actor)]
