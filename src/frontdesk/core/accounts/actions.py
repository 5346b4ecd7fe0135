"""Account actions: signing in and out, profiles, invitations, API tokens, creating users."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update

from frontdesk.core.accounts.authn import Principal
from frontdesk.core.accounts.models import AuthSession, Invitation, User
from frontdesk.core.accounts.ratelimit import (
    check_sign_in_allowed,
    forget_failed_sign_ins,
    record_failed_sign_in,
)
from frontdesk.core.accounts.schemas import InvitationCreate, MeUpdate
from frontdesk.core.accounts.two_factor import PendingSignIn, start_sign_in_challenge
from frontdesk.core.actor import Actor
from frontdesk.core.attachments.pictures import check_own_picture
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict, Invalid, NotFound, Unauthenticated
from frontdesk.core.events import (
    MemberChanged,
    UserSessionsRevoked,
    user_key,
    workspace_key,
)
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import (
    MIN_PASSWORD_LENGTH,
    hash_password_in_thread,
    hash_token,
    new_token,
    verify_password_in_thread,
)
from frontdesk.core.unique import flush_unique
from frontdesk.core.workspaces.models import Membership, Organisation, Role, Workspace
from frontdesk.core.workspaces.scope import checked_scope, stored_scope
from frontdesk.db.uow import UnitOfWork

INVITATION_DAYS = 7
BAD_CREDENTIALS = "the email or password is not right"


@dataclass(frozen=True)
class StartedSession:
    token: str
    session: AuthSession
    user: User


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def start_session(
    uow: UnitOfWork,
    user: User,
    *,
    days: int,
    workspace_id: uuid.UUID | None = None,
    user_agent: str = "",
    ip: str = "",
) -> StartedSession:
    now = uow.now()
    token = new_token()
    session = AuthSession(
        token_hash=hash_token(token),
        csrf_token=new_token(),
        user_id=user.id,
        workspace_id=workspace_id,
        user_agent=user_agent[:300],
        ip_address=ip[:64],
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(days=days),
    )
    uow.session.add(session)
    await uow.session.flush()
    return StartedSession(token=token, session=session, user=user)


async def sign_in(
    uow: UnitOfWork,
    runtime: Runtime,
    *,
    email: str,
    password: str,
    ip: str,
    user_agent: str,
) -> StartedSession | PendingSignIn:
    """Check the password and open a session, or with two-factor on, a challenge for the
    code (no session yet); failures are counted (and committed) for limits."""
    email = normalise_email(email)
    user = await uow.session.scalar(select(User).where(User.email == email))
    ok = await password_checked(uow, runtime, email=email, user=user, password=password, ip=ip)
    if not ok or user is None:
        raise Unauthenticated(BAD_CREDENTIALS)
    if user.two_factor_enabled_at is not None:
        return await start_sign_in_challenge(uow, user, ip=ip, user_agent=user_agent)
    return await start_session(uow, user, days=runtime.session_days, ip=ip, user_agent=user_agent)


async def password_checked(
    uow: UnitOfWork, runtime: Runtime, *, email: str, user: User | None, password: str, ip: str
) -> bool:
    """Every password check (sign-in, accepting an invitation, changing the password) is
    throttled per account and address; a failure is counted and committed at once."""
    now, policy = uow.now(), runtime.sign_in_throttle
    await check_sign_in_allowed(uow.session, email=email, ip=ip, now=now, policy=policy)
    # Hash even for an unknown email, so the answer's timing does not reveal who has an account.
    password_ok = await verify_password_in_thread(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.is_active:
        await record_failed_sign_in(uow.session, email=email, ip=ip, now=now, policy=policy)
        await uow.commit()
        return False
    await forget_failed_sign_ins(uow.session, email=email, ip=ip, before=now)
    return True


async def revoke_sessions(
    uow: UnitOfWork, user_id: uuid.UUID, *, keep: uuid.UUID | None = None
) -> None:
    """End a user's sessions at once (all of them, or all but `keep`)."""
    query = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(AuthSession.id != keep)
    await uow.session.execute(query.values(revoked_at=uow.now()))
    uow.emit(
        UserSessionsRevoked(
            workspace_id=None,
            audience=(user_key(user_id),),
            data={"user_id": str(user_id), "kept_session_id": str(keep) if keep else None},
        )
    )


async def update_profile(uow: UnitOfWork, user_id: uuid.UUID, change: MeUpdate) -> User:
    user = await uow.session.get_one(User, user_id)
    for field in change.model_fields_set:
        value = getattr(change, field)
        if field in ("name", "language") and value is None:
            raise Invalid(f"{field} cannot be empty", field=field)
        if field == "avatar_url" and value is not None:
            await check_own_picture(uow.session, user_id, value)
        setattr(user, field, value)
    return user


async def change_password(
    uow: UnitOfWork,
    runtime: Runtime,
    principal: Principal,
    current: str,
    new: str,
    *,
    ip: str,
) -> None:
    # Hashed before the check, whose success writes: no write waits on the hashing meanwhile.
    new_hash = await hash_password_in_thread(new)
    user = await uow.session.get_one(User, principal.user.id)
    if not await password_checked(
        uow, runtime, email=user.email, user=user, password=current, ip=ip
    ):
        raise Invalid("the current password is not right", field="current_password")
    user_id, session_id = user.id, principal.session.id
    user.password_hash = new_hash
    await revoke_sessions(uow, user_id, keep=session_id)


async def switch_workspace(
    uow: UnitOfWork, user_id: uuid.UUID, session_id: uuid.UUID, workspace_id: uuid.UUID
) -> None:
    member = await uow.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user_id, Membership.workspace_id == workspace_id
        )
    )
    if member is None:
        raise NotFound("workspace")
    await uow.session.execute(
        update(AuthSession).where(AuthSession.id == session_id).values(workspace_id=workspace_id)
    )


async def create_invitation(
    uow: UnitOfWork, actor: Actor, data: InvitationCreate
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and the secret token for the link."""
    actor.require_admin()
    if data.role == Role.OWNER:
        actor.require_owner()
    scope = await checked_scope(uow.session, actor.workspace_id, data.role, data.client_scope)
    email = normalise_email(data.email)
    existing_member = await uow.session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == actor.workspace_id, User.email == email)
    )
    if existing_member is not None:
        raise Conflict("this person is already a member of the workspace")
    now = uow.now()
    token = new_token()
    invitation = Invitation(
        workspace_id=actor.workspace_id,
        email=email,
        role=data.role,
        client_scope=stored_scope(scope),
        token_hash=hash_token(token),
        invited_by_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    uow.session.add(invitation)
    await uow.session.flush()
    record_audit(
        uow,
        actor,
        "invitation.created",
        "invitation",
        invitation.id,
        email=email,
        role=data.role,
        client_scope=stored_scope(scope),
    )
    return invitation, token


async def revoke_invitation(uow: UnitOfWork, actor: Actor, invitation: Invitation) -> None:
    actor.require_admin()
    invitation.revoked_at = uow.now()
    record_audit(
        uow, actor, "invitation.revoked", "invitation", invitation.id, email=invitation.email
    )


async def open_invitation(uow: UnitOfWork, token: str) -> tuple[Invitation, Workspace]:
    """The pending invitation behind a link, or NotFound when unknown, used, revoked or expired."""
    row = (
        await uow.session.execute(
            select(Invitation, Workspace)
            .join(Workspace, Workspace.id == Invitation.workspace_id)
            .where(Invitation.token_hash == hash_token(token))
        )
    ).first()
    if row is None:
        raise NotFound("invitation")
    invitation, workspace = row
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= uow.now():
        raise NotFound("invitation")
    return invitation, workspace


async def _is_member(uow: UnitOfWork, workspace_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    found = await uow.session.scalar(
        select(Membership.id).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )
    return found is not None


async def accept_invitation(
    uow: UnitOfWork,
    runtime: Runtime,
    token: str,
    *,
    name: str | None,
    password: str,
    language: str | None = None,
    ip: str,
    user_agent: str,
) -> StartedSession | PendingSignIn:
    """Join the invitation's workspace: a new account (named, in `language`) or an existing
    one signing in with its own password, which keeps its language (and, with two-factor
    on, is asked for its code before a session opens)."""
    invitation, workspace = await open_invitation(uow, token)
    now = uow.now()
    user = await uow.session.scalar(select(User).where(User.email == invitation.email))
    if user is None:
        if not name:
            raise Invalid("give your name", field="name")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise Invalid(
                f"the password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
            )
        user = User(
            email=invitation.email,
            name=name,
            password_hash=await hash_password_in_thread(password),
            language=language or "en",
            is_active=True,
            organisation_id=workspace.organisation_id,
            created_at=now,
        )
        uow.session.add(user)
        await uow.session.flush()
    elif not await password_checked(
        uow, runtime, email=user.email, user=user, password=password, ip=ip
    ):
        raise Unauthenticated("you already have an account: sign in with its password")
    elif await _is_member(uow, workspace.id, user.id):
        # Two invitations for one person: the second must not hit the unique membership row.
        raise Conflict("you are already a member of this workspace")
    uow.session.add(
        Membership(
            workspace_id=workspace.id,
            user_id=user.id,
            role=invitation.role,
            client_scope=invitation.client_scope if invitation.role == Role.VIEWER else None,
            created_at=now,
        )
    )
    # ...nor when both are accepted at the same instant (the check above saw neither).
    await flush_unique(uow, Conflict("you are already a member of this workspace"))
    invitation.accepted_at = now
    uow.emit(
        MemberChanged(
            workspace_id=workspace.id,
            audience=(workspace_key(workspace.id),),
            data={"user_id": str(user.id), "change": "joined"},
        )
    )
    if user.two_factor_enabled_at is not None:
        # The password alone never opens a session for an account with two-factor on.
        return await start_sign_in_challenge(uow, user, ip=ip, user_agent=user_agent)
    return await start_session(
        uow,
        user,
        days=runtime.session_days,
        workspace_id=workspace.id,
        ip=ip,
        user_agent=user_agent,
    )


async def create_user_with_membership(
    runtime: Runtime,
    *,
    email: str,
    name: str,
    password: str,
    workspace_slug: str | None,
    role: str,
) -> str:
    """Create a user from the command line and put them in a workspace."""
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if role not in Role.ALL:
        raise Invalid("unknown role", field="role")
    password_hash = await hash_password_in_thread(password)
    async with runtime.uow() as uow:
        if await uow.session.scalar(select(User.id).where(User.email == email)):
            raise Invalid(f"a user with the email {email} already exists", field="email")
        now = uow.now()
        workspace = await _workspace_for_new_user(uow, workspace_slug)
        is_first = workspace is None
        if workspace is None:
            org = Organisation(name="Default organisation", created_at=now)
            uow.session.add(org)
            await uow.session.flush()
            workspace = Workspace(
                organisation_id=org.id,
                name="Default",
                slug="default",
                timezone="UTC",
                settings={},
                created_at=now,
            )
            uow.session.add(workspace)
            await uow.session.flush()
            role = Role.OWNER
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            language="en",
            is_active=True,
            is_org_admin=is_first,
            organisation_id=workspace.organisation_id,
            created_at=now,
        )
        uow.session.add(user)
        await uow.session.flush()
        uow.session.add(
            Membership(workspace_id=workspace.id, user_id=user.id, role=role, created_at=now)
        )
        await uow.commit()
        return f"created {email} as {role} of workspace {workspace.slug}"


async def _workspace_for_new_user(uow: UnitOfWork, slug: str | None) -> Workspace | None:
    if slug:
        workspace = await uow.session.scalar(select(Workspace).where(Workspace.slug == slug))
        if workspace is None:
            raise NotFound("workspace")
        return workspace
    count = await uow.session.scalar(select(func.count()).select_from(Workspace))
    if count == 1:
        return await uow.session.scalar(select(Workspace))
    if count:
        raise Invalid("several workspaces exist: name one with --workspace", field="workspace")
    return None
