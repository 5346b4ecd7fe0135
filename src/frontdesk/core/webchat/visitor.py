"""Visitor-facing copies of messages, and the events that carry them to the widget."""

from __future__ import annotations

import uuid

from frontdesk.core.accounts.models import User
from frontdesk.core.attachments.pictures import widget_picture_path
from frontdesk.core.conversations.models import Message, SenderType
from frontdesk.core.events import DomainEvent, visitor_key
from frontdesk.core.webchat.schemas import VisitorAgent, VisitorMessageRead
from frontdesk.db.uow import UnitOfWork

WEBCHAT = "webchat"


def visitor_message(message: Message, sender: User | None) -> VisitorMessageRead:
    author = {SenderType.CONTACT: "visitor", SenderType.BOT: "bot", SenderType.SYSTEM: "bot"}.get(
        message.sender_type, "agent"
    )
    return VisitorMessageRead(
        id=message.id,
        conversation_id=message.conversation_id,
        author=author,  # type: ignore[arg-type]
        agent=visitor_agent(message.channel_id, sender) if sender else None,
        body=message.body,
        attachments=[_public_attachment(a) for a in message.attachments or []],
        status=message.status,
        client_message_id=message.client_message_id if author == "visitor" else None,
        created_at=message.created_at,
    )


def visitor_agent(channel_id: uuid.UUID, agent: User) -> VisitorAgent:
    """The agent as a visitor sees them: their picture only through the widget's own route."""
    return VisitorAgent(
        name=agent.name, avatar_url=widget_picture_path(channel_id, agent.avatar_url)
    )


def _public_attachment(attachment: dict[str, object]) -> dict[str, object]:
    keep = ("id", "name", "content_type", "size", "width", "height", "has_thumbnail")
    return {k: attachment[k] for k in keep if k in attachment}


def emit_to_visitor(
    uow: UnitOfWork,
    event: type[DomainEvent],
    contact_id: uuid.UUID,
    message: Message,
    sender: User | None,
) -> None:
    uow.emit(
        event(
            workspace_id=message.workspace_id,
            audience=(visitor_key(contact_id),),
            data={"message": visitor_message(message, sender).model_dump(mode="json")},
        )
    )
