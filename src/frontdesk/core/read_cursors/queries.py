"""Reads of read cursors: what each member has not read yet."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation, Direction, Message
from frontdesk.core.read_cursors.models import ReadCursor
from frontdesk.core.read_cursors.schemas import ReadCursorRead, ReadState


def read_cursor_read(cursor: ReadCursor) -> ReadCursorRead:
    return ReadCursorRead(
        conversation_id=cursor.conversation_id,
        user_id=cursor.user_id,
        last_read_message_id=cursor.last_read_message_id,
        last_read_at=cursor.last_read_at,
    )


async def read_states(
    db: AsyncSession, actor: Actor, conversation_ids: list[uuid.UUID]
) -> dict[str, ReadState]:
    """The caller's read state of each conversation, in one query whatever their number.

    Unread are the customer's messages after the caller's cursor; with no cursor (never opened)
    every message from the customer is. API tokens read nothing, so they get no states.
    """
    if actor.user_id is None or not conversation_ids:
        return {}
    after_cursor = or_(
        ReadCursor.id.is_(None),
        Message.created_at > ReadCursor.last_read_at,
        and_(
            Message.created_at == ReadCursor.last_read_at,
            Message.id > ReadCursor.last_read_message_id,
        ),
    )
    rows = await db.execute(
        select(
            Conversation.id,
            ReadCursor.last_read_at,
            ReadCursor.last_read_message_id,
            func.count(Message.id),
        )
        .select_from(Conversation)
        .outerjoin(
            ReadCursor,
            and_(
                ReadCursor.conversation_id == Conversation.id,
                ReadCursor.user_id == actor.user_id,
            ),
        )
        .outerjoin(
            Message,
            and_(
                Message.conversation_id == Conversation.id,
                Message.direction == Direction.INBOUND,
                after_cursor,
            ),
        )
        .where(
            Conversation.workspace_id == actor.workspace_id,
            Conversation.id.in_(conversation_ids),
        )
        .group_by(Conversation.id, ReadCursor.last_read_at, ReadCursor.last_read_message_id)
    )
    return {
        str(conversation_id): ReadState(
            last_read_at=last_read_at, last_read_message_id=message_id, unread_count=int(count)
        )
        for conversation_id, last_read_at, message_id, count in rows
    }
