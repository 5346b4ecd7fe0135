"""Account schemas: sign-in, sessions, profile, invitations, API tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from frontdesk.core.schemas import Email, Input, PictureUrl
from frontdesk.core.security import MIN_PASSWORD_LENGTH
from frontdesk.core.workspaces.client_scope import ClientScopeIn

Language = Literal["en", "pt-BR", "vi"]
InvitableRole = Literal["owner", "manager", "agent", "viewer"]
TokenRole = Literal["manager", "agent", "viewer"]


class SignIn(Input):
    email: Email
    password: str = Field(min_length=1, max_length=200)


class UserRead(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    language: str
    avatar_url: str | None
    is_active: bool
    is_org_admin: bool
    two_factor_enabled: bool = False

    model_config = ConfigDict(from_attributes=True)


class WorkspaceBrief(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    role: str
    client_access: bool = Field(
        default=False,
        description="A client viewer: only a client's conversations and reports, no settings.",
    )
    requires_two_factor: bool = Field(
        default=False, description="Members must sign in with two-factor to work here."
    )


class SessionRead(BaseModel):
    user: UserRead
    workspace: WorkspaceBrief | None
    csrf_token: str


class MeRead(BaseModel):
    user: UserRead
    workspace: WorkspaceBrief | None
    workspaces: list[WorkspaceBrief]


class MeUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    language: Language | None = None
    avatar_url: PictureUrl | None = None  # an uploaded picture's path, never an outside URL


class PasswordChange(Input):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)


class WorkspaceSwitch(Input):
    workspace_id: uuid.UUID


class InvitationCreate(Input):
    email: Email
    role: InvitableRole = "agent"
    client_scope: ClientScopeIn | None = Field(
        default=None, description="Invite a viewer limited to a client's teams and/or channels."
    )


class InvitationRead(BaseModel):
    id: uuid.UUID
    email: str
    role: str
    client_access: bool = Field(
        default=False, description="The viewer will be limited to a client's teams and channels."
    )
    created_at: datetime
    expires_at: datetime

    model_config = ConfigDict(from_attributes=True)


class InvitationPreview(BaseModel):
    workspace_name: str
    email: str
    role: str
    has_account: bool


class InvitationAccept(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=200)
    language: Language | None = Field(
        default=None,
        description="The language the invitation page was read in: a new account opens in it.",
    )


class ApiTokenCreate(Input):
    name: str = Field(min_length=1, max_length=120)
    role: TokenRole = "agent"


class ApiTokenRead(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None

    model_config = ConfigDict(from_attributes=True)


class ApiTokenCreated(ApiTokenRead):
    token: str = Field(description="Shown once; only its hash is kept.")


class ActiveSessionRead(BaseModel):
    """One of the signed-in user's sessions (a browser or device still signed in)."""

    id: uuid.UUID
    user_agent: str
    ip_address: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    is_current: bool = Field(description="The session making this request.")


class SignInCode(Input):
    code: str = Field(min_length=1, max_length=64, description="A 6-digit code or a recovery code")


class TwoFactorChallengeRead(BaseModel):
    """The password was right; the code is asked for next (no session yet)."""

    two_factor_required: Literal[True] = True
    expires_at: datetime


class TwoFactorCode(Input):
    code: str = Field(min_length=1, max_length=64)


class TwoFactorStatusRead(BaseModel):
    enabled: bool
    recovery_codes_left: int


class TwoFactorSetupRead(BaseModel):
    secret: str = Field(description="For typing into an authenticator app (base32)")
    otpauth_uri: str = Field(description="The same secret as an otpauth:// link, for a QR code")


class RecoveryCodesRead(BaseModel):
    recovery_codes: list[str] = Field(description="Shown once; each works once")


class TwoFactorRequirement(Input):
    required: bool
