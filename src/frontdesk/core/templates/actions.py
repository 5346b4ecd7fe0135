"""Replacing a channel's templates with the provider's current list (admins only)."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.channels.models import Channel
from frontdesk.core.templates.models import MessageTemplate, TemplateStatus
from frontdesk.core.templates.schemas import TemplateData, TemplateSync
from frontdesk.db.uow import UnitOfWork


async def sync_templates(
    uow: UnitOfWork, actor: Actor, channel: Channel, templates: list[TemplateData]
) -> TemplateSync:
    """The channel's templates become exactly `templates` (by name and language).

    Rows are updated in place, so a message that names a template keeps pointing at it.
    """
    actor.require_admin()
    now = uow.now()
    current = {
        (t.name, t.language): t
        for t in await uow.session.scalars(
            select(MessageTemplate).where(
                MessageTemplate.workspace_id == channel.workspace_id,
                MessageTemplate.channel_id == channel.id,
            )
        )
    }
    wanted = {(t.name, t.language): t for t in templates}
    removed = [row for key, row in current.items() if key not in wanted]
    for row in removed:
        await uow.session.delete(row)
    for key, data in wanted.items():
        found = current.get(key)
        row = (
            found
            if found is not None
            else MessageTemplate(
                workspace_id=channel.workspace_id,
                channel_id=channel.id,
                name=data.name,
                language=data.language,
            )
        )
        if found is None:
            uow.session.add(row)
        row.provider_template_id = data.provider_template_id
        row.category, row.status = data.category.upper(), data.status.upper()
        row.components, row.synced_at = data.components, now
    approved = sum(1 for t in wanted.values() if t.status.upper() == TemplateStatus.APPROVED)
    record_audit(
        uow,
        actor,
        "channel.templates_synced",
        "channel",
        channel.id,
        count=len(wanted),
        removed=len(removed),
    )
    return TemplateSync(count=len(wanted), approved=approved, removed=len(removed))
