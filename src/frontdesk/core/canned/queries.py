"""Reads about canned responses, and rendering one for a conversation.

Variables are written `{{contact.name}}` (spaces inside the braces are fine). Known variables
whose value is missing (a contact without email) render empty; unknown variables stay in the
text exactly as written, so an agent sees them before sending, and are listed separately.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.canned.schemas import CannedResponseRead, CannedResponseRendered
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import NotFound
from frontdesk.core.workspaces.models import Workspace

VARIABLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
KNOWN_VARIABLES = (
    "contact.name",
    "contact.first_name",
    "contact.email",
    "contact.phone",
    "agent.name",
    "agent.first_name",
    "workspace.name",
    "conversation.id",
)


def variables_in(body: str) -> list[str]:
    return list(dict.fromkeys(m.group(1) for m in VARIABLE.finditer(body)))


def canned_response_read(canned: CannedResponse) -> CannedResponseRead:
    return CannedResponseRead(
        id=canned.id,
        shortcut=canned.shortcut,
        title=canned.title,
        body=canned.body,
        variables=variables_in(canned.body),
        created_by_id=canned.created_by_id,
        created_at=canned.created_at,
        updated_at=canned.updated_at,
    )


async def access_canned_response(
    db: AsyncSession, actor: Actor, canned_response_id: uuid.UUID
) -> CannedResponse:
    """The canned response if it belongs to the actor's workspace; otherwise "not found"."""
    canned = await db.scalar(
        select(CannedResponse).where(
            CannedResponse.id == canned_response_id,
            CannedResponse.workspace_id == actor.workspace_id,
        )
    )
    if canned is None:
        raise NotFound("canned response")
    return canned


async def list_canned_responses(
    db: AsyncSession, actor: Actor, *, q: str | None = None
) -> list[CannedResponseRead]:
    """The workspace's canned responses by shortcut, optionally matching `q` (one query)."""
    query = (
        select(CannedResponse)
        .where(CannedResponse.workspace_id == actor.workspace_id)
        .order_by(CannedResponse.shortcut)
    )
    if q and q.strip():
        text = q.strip()
        query = query.where(
            or_(
                CannedResponse.shortcut.icontains(text, autoescape=True),
                CannedResponse.title.icontains(text, autoescape=True),
                CannedResponse.body.icontains(text, autoescape=True),
            )
        )
    return [canned_response_read(c) for c in await db.scalars(query)]


def _first_name(name: str | None) -> str:
    parts = (name or "").split()
    return parts[0] if parts else ""


def render_template(body: str, values: dict[str, str]) -> CannedResponseRendered:
    """Substitute known variables; leave unknown ones as written and list them."""
    unknown: dict[str, None] = {}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        unknown[name] = None
        return match.group(0)

    return CannedResponseRendered(
        body=VARIABLE.sub(substitute, body), unknown_variables=list(unknown)
    )


async def render_canned_response(
    db: AsyncSession, actor: Actor, canned: CannedResponse, conversation: Conversation
) -> CannedResponseRendered:
    """The body filled in for `conversation`, which the caller must already be allowed to see."""
    contact = await db.get(Contact, conversation.contact_id)
    workspace = await db.get(Workspace, actor.workspace_id)
    agent = await db.get(User, actor.user_id) if actor.user_id else None
    if contact is None or workspace is None or contact.workspace_id != actor.workspace_id:
        raise NotFound("conversation")
    agent_name = agent.name if agent else ""
    values = {
        "contact.name": contact.name or "",
        "contact.first_name": _first_name(contact.name),
        "contact.email": contact.email or "",
        "contact.phone": contact.phone or "",
        "agent.name": agent_name,
        "agent.first_name": _first_name(agent_name),
        "workspace.name": workspace.name,
        "conversation.id": str(conversation.id),
    }
    return render_template(canned.body, values)
