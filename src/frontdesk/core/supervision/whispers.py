"""Whispers: a supervisor's note that only the assignee and the team's supervisors read.

A whisper is a note (`kind` note, so every path that keeps notes from the customer, the
webchat history, client viewers and reports keeps whispers out too) with `is_whisper` set.
The paths that show notes to agents filter it by `reads_whispers`; its live frame goes to its
readers' own keys only, never to a team's, the workspace's or the supervisors' key (which
viewers hear). It leaves the conversation untouched (no activity, no version), so nothing about
it reaches anyone else. See docs/decisions/0022-whisper-visibility.md.
"""

from __future__ import annotations

from pydantic import Field

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.conversations.messages import message_read
from frontdesk.core.conversations.models import (
    Conversation,
    Direction,
    Message,
    MessageKind,
    SenderType,
)
from frontdesk.core.conversations.queries import get_conversation
from frontdesk.core.conversations.schemas import MessageRead
from frontdesk.core.errors import Invalid
from frontdesk.core.events import MessageCreated, user_key
from frontdesk.core.schemas import Input
from frontdesk.core.supervision.rights import require_supervision, whisper_reader_ids
from frontdesk.db.uow import UnitOfWork


class WhisperCreate(Input):
    body: str = Field(min_length=1, max_length=4096)
    client_message_id: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$"
    )


async def add_whisper(
    uow: UnitOfWork, actor: Actor, conv: Conversation, data: WhisperCreate
) -> MessageRead:
    """Write a whisper on a conversation the actor supervises; audited."""
    actor.require_writer()
    await require_supervision(uow.session, actor, conv)
    body = data.body.strip()
    if not body:
        raise Invalid("write the whisper", field="body")
    now = uow.now()
    message = Message(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        channel_id=conv.channel_id,
        direction=Direction.OUTBOUND,
        sender_type=SenderType.AGENT,
        sender_user_id=actor.user_id,
        kind=MessageKind.NOTE,
        is_whisper=True,
        body=body,
        attachments=[],
        mentions=[],
        client_message_id=data.client_message_id,
        status=None,
        version=1,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(message)
    await uow.session.flush()
    record_audit(
        uow,
        actor,
        "conversation.whispered",
        "conversation",
        conv.id,
        message_id=str(message.id),
        assignee_id=str(conv.assignee_id) if conv.assignee_id else None,
    )
    sender = await uow.session.get(User, actor.user_id) if actor.user_id else None
    read = message_read(message, sender)
    conversation = await get_conversation(uow.session, conv.workspace_id, conv.id)
    readers = await whisper_reader_ids(uow.session, conv)
    uow.emit(
        MessageCreated(
            workspace_id=conv.workspace_id,
            audience=tuple(user_key(u) for u in readers),
            data={
                "message": read.model_dump(mode="json"),
                "conversation": conversation.model_dump(mode="json"),
            },
        )
    )
    return read
