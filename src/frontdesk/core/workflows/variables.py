"""Variables a workflow's texts and rules read: `{{contact.name}}`, `{{vars.cpf}}`...

The data of a run is one JSON object: `contact` (the contact as the API shows it, tags as
names, custom fields under `contact.fields`), `conversation` (status, team, assignee,
channel), `message` (the text that started the run or answered the last question), `vars`
(what steps saved) and `trigger` (what started the run). Rules see the same object.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import CustomFieldDefinition
from frontdesk.core.contacts.queries import get_contact
from frontdesk.core.conversations.models import Conversation

PLACEHOLDER = re.compile(r"{{\s*([A-Za-z0-9_.\-]+)\s*}}")
MAX_RENDERED = 10_000

CONTACT_KEYS = (
    "id",
    "name",
    "email",
    "phone",
    "language",
    "lifecycle_stage",
    "owner_id",
    "tags",
    "tag_ids",
)
CONVERSATION_KEYS = ("id", "status", "channel_type", "team_id", "assignee_id", "priority")


def lookup(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or None when any part is missing."""
    current: Any = data
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def render(text: str, data: dict[str, Any]) -> str:
    """`text` with each `{{path}}` replaced by its value (empty when missing)."""
    rendered = PLACEHOLDER.sub(lambda m: _text(lookup(data, m.group(1))), text)
    return rendered[:MAX_RENDERED]


def render_value(value: Any, data: dict[str, Any]) -> Any:
    """Render every string inside a JSON value (a request body, headers...)."""
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value.strip())
        if whole:  # a lone placeholder keeps its value's type (a number stays a number)
            return lookup(data, whole.group(1))
        return render(value, data)
    if isinstance(value, list):
        return [render_value(v, data) for v in value]
    if isinstance(value, dict):
        return {k: render_value(v, data) for k, v in value.items()}
    return value


async def contact_data(
    session: AsyncSession, workspace_id: uuid.UUID, contact_id: uuid.UUID | None
) -> dict[str, Any]:
    if contact_id is None:
        return {"fields": {}, "tags": [], "tag_ids": []}
    read = await get_contact(session, workspace_id, contact_id)
    return {
        "id": str(read.id),
        "name": read.name,
        "email": read.email,
        "phone": read.phone,
        "language": read.language,
        "lifecycle_stage": read.lifecycle_stage,
        "owner_id": str(read.owner.id) if read.owner else None,
        "tags": [t.name for t in read.tags],
        "tag_ids": [str(t.id) for t in read.tags],
        "fields": dict(read.fields),
    }


async def conversation_data(session: AsyncSession, conv: Conversation | None) -> dict[str, Any]:
    if conv is None:
        return {}
    channel_type = await session.scalar(select(Channel.type).where(Channel.id == conv.channel_id))
    return {
        "id": str(conv.id),
        "status": conv.status,
        "channel_type": channel_type,
        "channel_id": str(conv.channel_id),
        "team_id": str(conv.team_id) if conv.team_id else None,
        "assignee_id": str(conv.assignee_id) if conv.assignee_id else None,
        "priority": conv.priority,
        "subject": conv.subject,
    }


async def catalogue(session: AsyncSession, workspace_id: uuid.UUID) -> list[dict[str, str]]:
    """The variables the builder offers, with the workspace's custom fields."""
    items = [{"path": f"contact.{k}", "group": "contact"} for k in CONTACT_KEYS]
    fields = await session.scalars(
        select(CustomFieldDefinition)
        .where(CustomFieldDefinition.workspace_id == workspace_id)
        .order_by(CustomFieldDefinition.key)
    )
    items += [
        {"path": f"contact.fields.{f.key}", "group": "contact", "label": f.label} for f in fields
    ]
    items += [{"path": f"conversation.{k}", "group": "conversation"} for k in CONVERSATION_KEYS]
    items += [
        {"path": "message.text", "group": "message"},
        {"path": "trigger.type", "group": "trigger"},
    ]
    return items
