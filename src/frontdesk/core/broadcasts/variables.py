"""A broadcast's message for one contact: its text, or its template with each variable taken
from the contact (name, first name, phone, email, a custom field) or fixed text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.broadcasts.schemas import BroadcastContent, TemplateVariable
from frontdesk.core.broadcasts.segment import field_values
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.compose import render, template_body
from frontdesk.core.conversations.models import MessageKind
from frontdesk.core.templates.models import MessageTemplate


def _own_value(contact: Contact, variable: TemplateVariable) -> str:
    name = (contact.name or "").strip()
    values = {
        "name": name,
        "first_name": name.split()[0] if name else "",
        "phone": contact.phone or "",
        "email": contact.email or "",
        "text": variable.value,
    }
    return values.get(variable.source, "")


async def variable_values(
    db: AsyncSession, contact: Contact, variables: list[TemplateVariable]
) -> list[str] | None:
    """Each variable's value for the contact (its fallback when empty); None when one has
    neither, since a provider refuses a template with an empty parameter."""
    keys = {v.value for v in variables if v.source == "field"}
    fields = await field_values(db, contact.workspace_id, [contact.id], keys)
    values = []
    for variable in variables:
        if variable.source == "field":
            value = fields.get((contact.id, variable.value), "")
        else:
            value = _own_value(contact, variable)
        value = value.strip() or variable.fallback
        if not value:
            return None
        values.append(value)
    return values


async def render_content(
    db: AsyncSession, channel: Channel, content: BroadcastContent, contact: Contact
) -> tuple[str, str, dict[str, Any]] | None:
    """(body, kind, payload) of the contact's message; None if a variable has no value."""
    if content.kind == "text":
        return content.body, MessageKind.TEXT, {}
    template = await db.scalar(
        select(MessageTemplate).where(
            MessageTemplate.id == content.template_id,
            MessageTemplate.channel_id == channel.id,
        )
    )
    if template is None:
        return None
    values = await variable_values(db, contact, content.variables)
    if values is None:
        return None
    payload = {
        "template": {
            "id": str(template.id),
            "name": template.name,
            "provider_id": template.provider_template_id,
            "language": template.language,
            "category": template.category,
            "parameters": values,
        }
    }
    return render(template_body(template), values), MessageKind.TEMPLATE, payload
