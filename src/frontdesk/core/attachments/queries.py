"""Reads of attachments: what a member may see, and what a signed URL points at."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import can_see
from frontdesk.core.errors import NotFound


async def access_attachment(db: AsyncSession, actor: Actor, attachment_id: uuid.UUID) -> Attachment:
    """The attachment if it is in the actor's workspace and its conversation (if any) is one the
    actor may see; "not found" otherwise, never a hint."""
    row = (
        await db.execute(
            select(Attachment, Conversation)
            .outerjoin(Conversation, Conversation.id == Attachment.conversation_id)
            .where(Attachment.id == attachment_id, Attachment.workspace_id == actor.workspace_id)
        )
    ).first()
    if row is None:
        raise NotFound("attachment")
    attachment, conversation = row
    if conversation is not None and not can_see(actor, conversation):
        raise NotFound("attachment")
    return attachment


async def get_attachment(db: AsyncSession, attachment_id: uuid.UUID) -> Attachment | None:
    """Any workspace's attachment: only for callers already holding a valid signature."""
    return await db.get(Attachment, attachment_id)
