"""Telling everyone concerned that a conversation changed.

Every change bumps the conversation's version and emits one event whose data holds the full
updated conversation, so a client applying it twice (or late) converges on the same state. Kept
apart from the actions so that messages, routing and actions can all emit without importing
one another.
"""

from __future__ import annotations

import uuid
from typing import Any

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import get_conversation
from frontdesk.core.conversations.schemas import ConversationRead
from frontdesk.core.events import (
    ConversationAssigned,
    ConversationTransferred,
    DomainEvent,
    client_keys,
    conversation_audience,
    team_key,
)
from frontdesk.core.notifications.actions import notify_assigned
from frontdesk.db.uow import UnitOfWork


async def emit_conversation(
    uow: UnitOfWork,
    event: type[DomainEvent],
    conv: Conversation,
    *,
    previous_assignee_id: uuid.UUID | None = None,
    previous_team_id: uuid.UUID | None = None,
    change: dict[str, Any] | None = None,
) -> ConversationRead:
    """Bump the version, then emit `event` to everyone who saw it before or sees it now."""
    conv.version += 1
    await uow.session.flush()
    read = await get_conversation(uow.session, conv.workspace_id, conv.id)
    emit_conversation_read(
        uow,
        event,
        conv,
        read,
        previous_assignee_id=previous_assignee_id,
        previous_team_id=previous_team_id,
        change=change,
    )
    if event in (ConversationAssigned, ConversationTransferred):
        # Whoever gives the conversation to someone else (a rule, a manager, a transfer)
        # leaves them a notification; `by_user_id` is absent when a rule decided.
        by = (change or {}).get("by_user_id")
        await notify_assigned(
            uow,
            conv,
            previous_assignee_id=previous_assignee_id,
            actor_id=uuid.UUID(by) if by else None,
        )
    return read


def emit_conversation_read(
    uow: UnitOfWork,
    event: type[DomainEvent],
    conv: Conversation,
    read: ConversationRead,
    *,
    previous_assignee_id: uuid.UUID | None = None,
    previous_team_id: uuid.UUID | None = None,
    change: dict[str, Any] | None = None,
) -> None:
    """Emit `event` with `read`, the conversation as it is now (its version already bumped)."""
    audience = conversation_audience(
        conv.workspace_id,
        conv.team_id,
        [conv.assignee_id, previous_assignee_id],
        channel_id=conv.channel_id,
    )
    if previous_team_id and previous_team_id != conv.team_id:
        gone = client_keys(previous_team_id, conv.channel_id)
        audience = (*audience, team_key(previous_team_id), *gone)
    uow.emit(
        event(
            workspace_id=conv.workspace_id,
            audience=audience,
            data={"conversation": read.model_dump(mode="json"), "change": change or {}},
        )
    )
