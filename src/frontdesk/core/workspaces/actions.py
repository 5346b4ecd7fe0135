"""Workspace administration: settings, members' roles, removal, disabling users."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, func, select

from frontdesk.core.accounts.actions import revoke_sessions
from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict, Forbidden, Invalid, NotFound
from frontdesk.core.events import MemberChanged, WorkspaceUpdated, workspace_key
from frontdesk.core.languages.codes import normalise_language
from frontdesk.core.organisation.live import WorkspaceCreated
from frontdesk.core.workspaces.models import Membership, Role, TeamMember, Workspace
from frontdesk.core.workspaces.schemas import WorkspaceCreate, WorkspaceUpdate
from frontdesk.core.workspaces.settings import KEYS
from frontdesk.db.uow import UnitOfWork


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {name!r}", field="timezone") from None


async def update_workspace(uow: UnitOfWork, actor: Actor, change: WorkspaceUpdate) -> Workspace:
    actor.require_owner()
    ws = await uow.session.get_one(Workspace, actor.workspace_id)
    if change.timezone is not None:
        _check_timezone(change.timezone)
    for field in ("name", "timezone"):
        value = getattr(change, field)
        if value is not None:
            setattr(ws, field, value)
    settings = {k: getattr(change, k) for k in KEYS if getattr(change, k) is not None}
    if settings:
        ws.settings = {**(ws.settings or {}), **settings}  # a new dict: JSON changes are seen
    changed = change.model_dump(exclude_unset=True)
    record_audit(uow, actor, "workspace.updated", "workspace", ws.id, **changed)
    uow.emit(
        WorkspaceUpdated(
            workspace_id=ws.id,
            audience=(workspace_key(ws.id),),
            data={"change": changed},
        )
    )
    return ws


async def create_workspace(uow: UnitOfWork, actor: Actor, data: WorkspaceCreate) -> Workspace:
    """Organisation admins open new workspaces in their organisation and own them."""
    user = await uow.session.get(User, actor.user_id) if actor.user_id else None
    if user is None or not user.is_org_admin or user.organisation_id is None:
        raise Forbidden("only organisation admins may create workspaces")
    _check_timezone(data.timezone)
    if await uow.session.scalar(select(Workspace.id).where(Workspace.slug == data.slug)):
        raise Conflict("that slug is taken", details={"field": "slug"})
    now = uow.now()
    ws = Workspace(
        organisation_id=user.organisation_id,
        name=data.name,
        slug=data.slug,
        timezone=data.timezone,
        settings={},
        created_at=now,
    )
    uow.session.add(ws)
    await uow.session.flush()
    uow.session.add(
        Membership(workspace_id=ws.id, user_id=user.id, role=Role.OWNER, created_at=now)
    )
    record_audit(uow, actor, "workspace.created", "workspace", ws.id, name=data.name)
    uow.emit(
        WorkspaceCreated(
            workspace_id=ws.id,
            audience=(workspace_key(ws.id),),
            data={"id": str(ws.id), "name": ws.name, "slug": ws.slug, "timezone": ws.timezone},
        )
    )
    return ws


async def _count_owners(uow: UnitOfWork, workspace_id: uuid.UUID) -> int:
    count = await uow.session.scalar(
        select(func.count()).where(
            Membership.workspace_id == workspace_id, Membership.role == Role.OWNER
        )
    )
    return int(count or 0)


def _member_event(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, change: str) -> None:
    uow.emit(
        MemberChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"user_id": str(user_id), "change": change},
        )
    )


async def change_member_role(
    uow: UnitOfWork, actor: Actor, member: Membership, role: str
) -> Membership:
    actor.require_admin()
    if Role.OWNER in (role, member.role):
        actor.require_owner()
    if (
        member.role == Role.OWNER
        and role != Role.OWNER
        and await _count_owners(uow, actor.workspace_id) <= 1
    ):
        raise Conflict("a workspace needs at least one owner")
    previous, member.role = member.role, role
    record_audit(
        uow, actor, "member.role_changed", "user", member.user_id, before=previous, after=role
    )
    _member_event(uow, actor, member.user_id, "role")
    return member


async def set_member_languages(
    uow: UnitOfWork, actor: Actor, member: Membership, languages: list[str]
) -> Membership:
    """The languages a member speaks, a routing skill (owners and managers set them)."""
    actor.require_admin()
    cleaned: list[str] = []
    for raw in languages:
        code = normalise_language(raw)
        if code is None:
            raise Invalid(f"not a language code: {raw!r}", field="languages")
        if code not in cleaned:
            cleaned.append(code)
    if cleaned == list(member.languages or []):
        return member
    previous, member.languages = list(member.languages or []), cleaned
    record_audit(
        uow,
        actor,
        "member.languages_changed",
        "user",
        member.user_id,
        before=previous,
        after=cleaned,
    )
    _member_event(uow, actor, member.user_id, "languages")
    return member


async def remove_member(uow: UnitOfWork, actor: Actor, member: Membership) -> None:
    actor.require_admin()
    if member.role == Role.OWNER:
        actor.require_owner()
        if await _count_owners(uow, actor.workspace_id) <= 1:
            raise Conflict("a workspace needs at least one owner")
    await uow.session.execute(
        delete(TeamMember).where(
            TeamMember.workspace_id == actor.workspace_id, TeamMember.user_id == member.user_id
        )
    )
    await uow.session.delete(member)
    record_audit(uow, actor, "member.removed", "user", member.user_id)
    _member_event(uow, actor, member.user_id, "removed")


async def _belongs_to_other_organisations(
    uow: UnitOfWork, workspace_id: uuid.UUID, user_id: uuid.UUID
) -> bool:
    """Whether the user is a member of a workspace outside this workspace's organisation.

    Disabling is account-wide, so allowing it then would let one tenant lock a person out of
    another tenant's workspace.
    """
    own_org = select(Workspace.organisation_id).where(Workspace.id == workspace_id)
    found = await uow.session.scalar(
        select(Membership.id)
        .join(Workspace, Workspace.id == Membership.workspace_id)
        .where(
            Membership.user_id == user_id,
            Workspace.organisation_id != own_org.scalar_subquery(),
        )
        .limit(1)
    )
    return found is not None


async def set_member_active(
    uow: UnitOfWork, actor: Actor, member: Membership, *, active: bool
) -> User:
    """Disable (or re-enable) a member's account; disabling ends all their sessions at once."""
    actor.require_owner()
    if member.user_id == actor.user_id:
        raise Invalid("you cannot disable yourself", field="user_id")
    user = await uow.session.get(User, member.user_id)
    if user is None:
        raise NotFound("member")
    if await _belongs_to_other_organisations(uow, actor.workspace_id, user.id):
        raise Forbidden(
            "this account is also used in another organisation's workspace; "
            "remove the member from this workspace instead"
        )
    user.is_active = active
    if not active:
        await revoke_sessions(uow, user.id)
    record_audit(uow, actor, "member.enabled" if active else "member.disabled", "user", user.id)
    _member_event(uow, actor, user.id, "enabled" if active else "disabled")
    return user
