"""Reads of attachments: what a member may see, and what a signed URL points at."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.attachments.pictures import member_picture
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import can_see
from frontdesk.core.errors import Invalid, NotFound


async def access_attachment(db: AsyncSession, actor: Actor, attachment_id: uuid.UUID) -> Attachment:
    """The attachment if it is in the actor's workspace and its conversation (if any) is one the
    actor may see, or the current picture of a member of the actor's workspace (uploaded in
    another of their workspaces); "not found" otherwise, never a hint."""
    row = (
        await db.execute(
            select(Attachment, Conversation)
            .outerjoin(Conversation, Conversation.id == Attachment.conversation_id)
            .where(Attachment.id == attachment_id, Attachment.workspace_id == actor.workspace_id)
        )
    ).first()
    if row is None:
        picture = await member_picture(db, actor.workspace_id, attachment_id)
        if picture is None:
            raise NotFound("attachment")
        return picture
    attachment, conversation = row
    if conversation is not None and not can_see(actor, conversation):
        raise NotFound("attachment")
    return attachment


async def get_attachment(db: AsyncSession, attachment_id: uuid.UUID) -> Attachment | None:
    """Any workspace's attachment: only for callers already holding a valid signature."""
    return await db.get(Attachment, attachment_id)


async def attachments_for_message(
    db: AsyncSession,
    workspace_id: uuid.UUID,
    conversation_id: uuid.UUID,
    attachment_ids: list[uuid.UUID],
    *,
    contact_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """What a message keeps of its files: each must be this workspace's, uploaded for this
    conversation (or for none yet) and, for a visitor, uploaded by that visitor."""
    wanted = list(dict.fromkeys(attachment_ids))
    if not wanted:
        return []
    query = select(Attachment).where(
        Attachment.workspace_id == workspace_id,
        Attachment.id.in_(wanted),
        or_(Attachment.conversation_id.is_(None), Attachment.conversation_id == conversation_id),
    )
    if contact_id is not None:
        query = query.where(Attachment.uploaded_by_contact_id == contact_id)
    found = {a.id: a for a in await db.scalars(query)}
    if len(found) != len(wanted):
        raise Invalid("unknown attachment", field="attachment_ids")
    return [message_attachment(found[i]) for i in wanted]


def message_attachment(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": str(attachment.id),
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "width": attachment.width,
        "height": attachment.height,
        "has_thumbnail": attachment.thumbnail_key is not None,
    }
