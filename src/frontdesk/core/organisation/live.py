"""Which events change an organisation's load, and the live key of its admins' sockets.

Organisation admins may not be members of every workspace, so the events themselves (with
their content) never reach them. Instead a socket of an admin also listens to
`org:<organisation id>`, and when an event that changes a workspace's load is dispatched the
hub tells those sockets only which workspace changed; the app then reads the overview again.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.events import define_event
from frontdesk.core.workspaces.models import Workspace

# A workspace opened in an organisation (to its members: its owner, the admin who opened it).
WorkspaceCreated = define_event("WorkspaceCreated", "workspace.created")

# The ephemeral frame an admin's socket receives: {"type": ..., "data": {"workspace_id"}}.
LOAD_SIGNAL = "organisation.load_changed"

# Events after which a workspace's live load or today's figures may read differently.
LOAD_EVENTS = frozenset(
    {
        "conversation.created",
        "conversation.updated",
        "conversation.assigned",
        "conversation.unassigned",
        "conversation.transferred",
        "conversation.status_changed",
        "conversation.closed",
        "conversation.queued",
        "message.created",
        "agent.state_changed",
        "queue.updated",
        "workspace.updated",
        "workspace.created",
    }
)


def organisation_key(organisation_id: uuid.UUID) -> str:
    return f"org:{organisation_id}"


async def organisation_keys(db: AsyncSession, user_id: uuid.UUID | None) -> frozenset[str]:
    """The organisation key of an organisation admin's socket; nothing for anyone else."""
    if user_id is None:
        return frozenset()
    row = (
        await db.execute(select(User.is_org_admin, User.organisation_id).where(User.id == user_id))
    ).one_or_none()
    if row is None or not row.is_org_admin or row.organisation_id is None:
        return frozenset()
    return frozenset({organisation_key(row.organisation_id)})


async def organisation_of(db: AsyncSession, workspace_id: uuid.UUID) -> uuid.UUID | None:
    found: uuid.UUID | None = await db.scalar(
        select(Workspace.organisation_id).where(Workspace.id == workspace_id)
    )
    return found
