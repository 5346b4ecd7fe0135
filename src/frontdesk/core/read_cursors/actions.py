"""Moving a member's read cursor when they open a conversation."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.events import ReadCursorMoved, user_key
from frontdesk.core.read_cursors.models import ReadCursor
from frontdesk.core.read_cursors.queries import read_cursor_read
from frontdesk.core.read_cursors.schemas import ReadCursorRead
from frontdesk.db.uow import UnitOfWork

# Orders before every message id (a cursor whose message was deleted keeps only its time).
NO_MESSAGE = uuid.UUID(int=0)


async def move_read_cursor(
    uow: UnitOfWork, actor: Actor, conv: Conversation
) -> ReadCursorRead | None:
    """The caller has seen `conv` up to its latest message. The cursor never moves back.

    Callers hold the conversation (`access_conversation(..., for_update=True)`), so two tabs
    reading at once queue instead of racing to create the cursor. Only a cursor that moved
    emits `read_cursor.moved`, to the member alone; API tokens have no cursor (None).
    """
    if actor.user_id is None:
        return None
    latest = (
        await uow.session.execute(
            select(Message.id, Message.created_at)
            .where(
                Message.workspace_id == conv.workspace_id,
                Message.conversation_id == conv.id,
                # A whisper is not every reader's: the cursor never names one.
                Message.is_whisper.is_(False),
            )
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(1)
        )
    ).first()
    cursor = await uow.session.scalar(
        select(ReadCursor).where(
            ReadCursor.conversation_id == conv.id, ReadCursor.user_id == actor.user_id
        )
    )
    if latest is None:
        return read_cursor_read(cursor) if cursor else None
    message_id, written_at = latest
    if cursor is None:
        cursor = ReadCursor(
            workspace_id=conv.workspace_id,
            conversation_id=conv.id,
            user_id=actor.user_id,
            last_read_message_id=message_id,
            last_read_at=written_at,
            updated_at=uow.now(),
        )
        uow.session.add(cursor)
    elif (cursor.last_read_at, cursor.last_read_message_id or NO_MESSAGE) >= (
        written_at,
        message_id,
    ):
        return read_cursor_read(cursor)
    else:
        cursor.last_read_message_id, cursor.last_read_at = message_id, written_at
        cursor.updated_at = uow.now()
    await uow.session.flush()
    read = read_cursor_read(cursor)
    uow.emit(
        ReadCursorMoved(
            workspace_id=conv.workspace_id,
            audience=(user_key(actor.user_id),),
            data={"read_cursor": read.model_dump(mode="json")},
        )
    )
    return read
