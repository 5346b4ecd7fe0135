"""A workspace requiring two-factor sign-in of its members, and the refusal until they have it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.errors import Forbidden
from frontdesk.core.workspaces.models import Workspace

# The workspace setting (in its settings JSON): members must sign in with two-factor.
REQUIRE_KEY = "require_two_factor"


class TwoFactorRequired(Forbidden):
    """The workspace requires two-factor sign-in and this member has not turned it on."""

    code = "two_factor_required"


def requires_two_factor(settings: dict[str, Any] | None) -> bool:
    return bool((settings or {}).get(REQUIRE_KEY, False))


async def workspace_requires_two_factor(db: AsyncSession, workspace_id: uuid.UUID) -> bool:
    settings = await db.scalar(select(Workspace.settings).where(Workspace.id == workspace_id))
    return requires_two_factor(settings)


async def check_two_factor_requirement(
    db: AsyncSession, user: User, workspace_id: uuid.UUID
) -> None:
    """Refuse a member without two-factor in a workspace that requires it (403
    `two_factor_required`); only their profile's two-factor set-up and signing out still work."""
    if user.two_factor_enabled_at is not None:
        return
    if await workspace_requires_two_factor(db, workspace_id):
        raise TwoFactorRequired(
            "this workspace requires two-factor sign-in: turn it on in your profile first"
        )
