"""Workspace API tokens: created by owners and managers, shown once, sent as a bearer header."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.core.accounts import api_tokens
from frontdesk.core.accounts.queries import access_api_token, list_api_tokens
from frontdesk.core.accounts.schemas import ApiTokenCreate, ApiTokenCreated, ApiTokenRead

router = APIRouter()


@router.get("")
async def read_tokens(actor: ActorDep, db: ReaderDep) -> list[ApiTokenRead]:
    return await list_api_tokens(db, actor)


@router.post("", status_code=201)
async def create_token(data: ApiTokenCreate, actor: ActorDep, uow: UowDep) -> ApiTokenCreated:
    """Make a token for an integration; the secret `token` is shown in this answer only.

    Send it as `Authorization: Bearer <token>`. A token is its own principal: it acts in this
    workspace with its role (manager, agent or viewer) and sees what a member of that role in
    no team sees, so an agent token reaches only the conversations without a team; it is
    nobody's assignee. It works only while the member who made it is an active owner or
    manager of the workspace: disabled or demoted, the token answers 401 until they are back;
    removed from the workspace, it ends for good. Revoking it ends it at once, its live
    sockets included.
    """
    token, raw = await api_tokens.create_api_token(uow, actor, data)
    created = ApiTokenCreated(**ApiTokenRead.model_validate(token).model_dump(), token=raw)
    await uow.commit()
    return created


@router.delete("/{token_id}", status_code=204)
async def delete_token(token_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    """Revoke a token: it answers 401 from now on and its live sockets close."""
    token = await access_api_token(uow.session, actor, token_id)
    await api_tokens.revoke_api_token(uow, actor, token)
    await uow.commit()
