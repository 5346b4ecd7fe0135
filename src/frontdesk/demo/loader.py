"""Builds the demo organisation once; running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from frontdesk.core.accounts.models import User
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_password
from frontdesk.core.workspaces.models import Membership, Organisation, Role, Workspace

DEMO_SLUG = "talenta-retail"
OWNER_EMAIL = "owner@talenta.example"
OWNER_PASSWORD = "frontdesk-demo"  # noqa: S105 - the published demo sign-in


@dataclass(frozen=True)
class DemoResult:
    created: bool
    public_url: str

    def summary(self) -> str:
        state = "loaded the demo workspace" if self.created else "the demo is already loaded"
        return (
            f"{state}\nsign in at {self.public_url} as {OWNER_EMAIL} with password {OWNER_PASSWORD}"
        )


async def load_demo(runtime: Runtime, *, only_if_new: bool = False) -> DemoResult:
    async with runtime.uow() as uow:
        db = uow.session
        exists = await db.scalar(select(Workspace.id).where(Workspace.slug == DEMO_SLUG))
        any_workspace = await db.scalar(select(func.count()).select_from(Workspace))
        if exists or (only_if_new and any_workspace):
            return DemoResult(created=False, public_url=runtime.public_url)
        now = uow.now()
        org = Organisation(name="Talenta Recruitment", created_at=now)
        db.add(org)
        await db.flush()
        ws = Workspace(
            organisation_id=org.id,
            name="Talenta · Retail clients",
            slug=DEMO_SLUG,
            timezone="America/Sao_Paulo",
            settings={},
            created_at=now,
        )
        owner = User(
            email=OWNER_EMAIL,
            name="Marina Duarte",
            password_hash=hash_password(OWNER_PASSWORD),
            language="en",
            is_active=True,
            is_org_admin=True,
            organisation_id=org.id,
            created_at=now,
        )
        db.add_all([ws, owner])
        await db.flush()
        db.add(Membership(workspace_id=ws.id, user_id=owner.id, role=Role.OWNER, created_at=now))
        await uow.commit()
    return DemoResult(created=True, public_url=runtime.public_url)
