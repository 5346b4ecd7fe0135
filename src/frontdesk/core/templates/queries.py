"""Reads of a channel's templates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.compose import placeholder_count, template_body
from frontdesk.core.templates.models import MessageTemplate
from frontdesk.core.templates.schemas import TemplateRead


def template_read(template: MessageTemplate) -> TemplateRead:
    body = template_body(template)
    return TemplateRead(
        id=template.id,
        channel_id=template.channel_id,
        name=template.name,
        language=template.language,
        category=template.category,
        status=template.status,
        body=body,
        parameter_count=placeholder_count(body),
        components=list(template.components or []),
        synced_at=template.synced_at,
    )


async def list_templates(db: AsyncSession, channel: Channel) -> list[TemplateRead]:
    """The channel's templates by name and language (the caller has checked access)."""
    rows = await db.scalars(
        select(MessageTemplate)
        .where(
            MessageTemplate.workspace_id == channel.workspace_id,
            MessageTemplate.channel_id == channel.id,
        )
        .order_by(MessageTemplate.name, MessageTemplate.language)
    )
    return [template_read(t) for t in rows]
