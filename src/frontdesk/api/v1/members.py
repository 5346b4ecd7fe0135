"""Members of the current workspace and invitations to join it."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.accounts import actions as account_actions
from frontdesk.core.accounts.queries import access_invitation, list_invitations
from frontdesk.core.accounts.schemas import InvitationCreate, InvitationRead
from frontdesk.core.errors import Invalid
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces import actions
from frontdesk.core.workspaces.models import Role
from frontdesk.core.workspaces.queries import access_member, get_workspace, list_members
from frontdesk.core.workspaces.schemas import MemberRead, MemberUpdate
from frontdesk.core.workspaces.scope import refuse_client, set_client_scope

router = APIRouter()
log = logging.getLogger("frontdesk.invitations")


async def _member_read(db: ReaderDep, actor: ActorDep, user_id: uuid.UUID) -> MemberRead:
    page = await list_members(db, actor, limit=MAX_LIMIT, cursor=None, user_id=user_id)
    return page.items[0]


@router.get("/members")
async def read_members(
    actor: ActorDep,
    db: ReaderDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[MemberRead]:
    refuse_client(actor)
    return await list_members(db, actor, limit=limit, cursor=cursor, q=q)


@router.get("/members/{user_id}")
async def read_member(user_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> MemberRead:
    refuse_client(actor)
    await access_member(db, actor, user_id)
    return await _member_read(db, actor, user_id)


@router.patch("/members/{user_id}", responses=error_responses(409))
async def update_member(
    user_id: uuid.UUID, data: MemberUpdate, actor: ActorDep, uow: UowDep
) -> MemberRead:
    """Change a member's role, the languages they speak and/or a viewer's client scope
    (owners and managers); a member who stops being a viewer loses their client scope."""
    member = await access_member(uow.session, actor, user_id)
    scope_given = "client_scope" in data.model_fields_set
    if data.role is None and data.languages is None and not scope_given:
        raise Invalid("give a role, languages or a client scope", field="role")
    if data.role is not None:
        await actions.change_member_role(uow, actor, member, data.role)
    if data.languages is not None:
        await actions.set_member_languages(uow, actor, member, data.languages)
    if scope_given:
        await set_client_scope(uow, actor, member, data.client_scope)
    elif data.role is not None and data.role != Role.VIEWER and member.client_scope:
        await set_client_scope(uow, actor, member, None)
    await uow.commit()
    return await _member_read(uow.session, actor, user_id)


@router.delete("/members/{user_id}", status_code=204, responses=error_responses(409))
async def delete_member(user_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    member = await access_member(uow.session, actor, user_id)
    await actions.remove_member(uow, actor, member)
    await uow.commit()


@router.post("/members/{user_id}/disable")
async def disable_member(user_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> MemberRead:
    """Disable the account: every session ends at once and sign-in is refused."""
    member = await access_member(uow.session, actor, user_id)
    await actions.set_member_active(uow, actor, member, active=False)
    await uow.commit()
    return await _member_read(uow.session, actor, user_id)


@router.post("/members/{user_id}/enable")
async def enable_member(user_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> MemberRead:
    member = await access_member(uow.session, actor, user_id)
    await actions.set_member_active(uow, actor, member, active=True)
    await uow.commit()
    return await _member_read(uow.session, actor, user_id)


@router.get("/invitations")
async def read_invitations(actor: ActorDep, db: ReaderDep) -> list[InvitationRead]:
    return await list_invitations(db, actor)


def _invitation_mail(runtime: Runtime, workspace_name: str, email: str, token: str) -> str:
    link = f"{runtime.public_url.rstrip('/')}/invite/{token}"
    return (
        f"You have been invited to join {workspace_name} on Frontdesk.\n\n"
        f"Open this link to set your password and join:\n{link}\n\n"
        "The link works for 7 days. If you did not expect this, ignore this message."
    )


@router.post("/invitations", status_code=201, responses=error_responses(409))
async def create_invitation(
    data: InvitationCreate, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> InvitationRead:
    """Invite someone by email; the mail carries a link to `/invite/<token>`."""
    invitation, token = await account_actions.create_invitation(uow, actor, data)
    workspace = await get_workspace(uow.session, actor)
    body = _invitation_mail(runtime, workspace.name, invitation.email, token)

    async def send() -> None:
        try:
            await runtime.mailer.send(invitation.email, f"Join {workspace.name} on Frontdesk", body)
        except Exception:  # the invitation stands; an admin can revoke and invite again
            log.exception("could not send the invitation mail to %s", invitation.email)

    uow.after_commit(send)
    read = InvitationRead.model_validate(invitation).model_copy(
        update={"client_access": bool(invitation.client_scope)}
    )
    await uow.commit()
    return read


@router.delete("/invitations/{invitation_id}", status_code=204)
async def delete_invitation(invitation_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> None:
    invitation = await access_invitation(uow.session, actor, invitation_id)
    await account_actions.revoke_invitation(uow, actor, invitation)
    await uow.commit()
