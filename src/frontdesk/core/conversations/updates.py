"""Changes to a message already recorded: the customer's reactions, edits and deletions, and
the files they sent arriving from the provider.

Each names its target by the provider's message id. Applying one twice, or an older one after
a newer one, changes nothing and emits nothing, so redeliveries and out-of-order arrivals all
end in the same state.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from frontdesk.core.accounts.models import User
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.attachments.queries import message_attachment
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.messages import message_read
from frontdesk.core.conversations.models import Conversation, Direction, Message, MessageKind
from frontdesk.core.events import MessageUpdated, conversation_audience
from frontdesk.db.uow import UnitOfWork

CONTACT = "contact"


async def find_provider_message(
    uow: UnitOfWork, channel: Channel, provider_message_id: str
) -> Message | None:
    return await uow.session.scalar(
        select(Message).where(
            Message.channel_id == channel.id,
            Message.provider_message_id == provider_message_id,
        )
    )


async def emit_message_updated(uow: UnitOfWork, message: Message) -> None:
    message.version += 1
    message.updated_at = uow.now()
    await uow.session.flush()
    conv = await uow.session.get_one(Conversation, message.conversation_id)
    sender = await uow.session.get(User, message.sender_user_id) if message.sender_user_id else None
    uow.emit(
        MessageUpdated(
            workspace_id=message.workspace_id,
            audience=conversation_audience(
                conv.workspace_id,
                conv.team_id,
                [conv.assignee_id],
                channel_id=None if message.kind == MessageKind.NOTE else conv.channel_id,
            ),
            data={"message": message_read(message, sender).model_dump(mode="json")},
        )
    )


def _newer(at: datetime, previous: str | None) -> bool:
    return previous is None or at.isoformat() > previous


async def apply_reaction(
    uow: UnitOfWork, channel: Channel, target_provider_id: str, emoji: str, at: datetime
) -> bool:
    """The customer reacted to a message (an empty emoji takes the reaction back).

    False when the target is unknown or the reaction is not newer than the one kept.
    """
    message = await find_provider_message(uow, channel, target_provider_id)
    if message is None:
        return False
    reactions: list[dict[str, Any]] = [dict(r) for r in message.reactions or []]
    mine = next((r for r in reactions if r.get("by") == CONTACT), None)
    if mine is not None and (mine.get("emoji") == emoji or not _newer(at, mine.get("at"))):
        return False
    if mine is None and not emoji:
        return False
    reactions = [r for r in reactions if r.get("by") != CONTACT]
    reactions.append({"by": CONTACT, "emoji": emoji, "at": at.isoformat()})
    message.reactions = reactions
    await emit_message_updated(uow, message)
    return True


async def apply_edit(
    uow: UnitOfWork, channel: Channel, target_provider_id: str, body: str, at: datetime
) -> bool:
    """The customer edited their message; the first text is kept in `payload.original_body`."""
    message = await find_provider_message(uow, channel, target_provider_id)
    if message is None or message.direction != Direction.INBOUND:
        return False
    if message.edited_at is not None and at <= message.edited_at:
        return False
    payload = dict(message.payload or {})
    payload.setdefault("original_body", message.body)
    message.payload, message.body, message.edited_at = payload, body, at
    await emit_message_updated(uow, message)
    return True


async def apply_deletion(
    uow: UnitOfWork, channel: Channel, target_provider_id: str, at: datetime
) -> bool:
    """The customer deleted their message on their side: it is shown as deleted."""
    message = await find_provider_message(uow, channel, target_provider_id)
    if message is None or message.direction != Direction.INBOUND or message.deleted_at:
        return False
    message.deleted_at = at
    await emit_message_updated(uow, message)
    return True


async def settle_inbound_media(
    uow: UnitOfWork,
    message_id: uuid.UUID,
    index: int,
    *,
    attachment: Attachment | None = None,
    error: str | None = None,
) -> bool:
    """A file the customer sent has been fetched from the provider (or could not be).

    `payload.media[index]` says which: "stored" with the attachment (now also in the message's
    attachments), or "failed" with why. False when already settled (a retried job).
    """
    message = await uow.session.get(Message, message_id)
    if message is None:
        return False
    media = [dict(m) for m in (message.payload or {}).get("media", [])]
    if not 0 <= index < len(media) or media[index].get("status") in ("stored", "failed"):
        return False
    if attachment is not None:
        attachment.conversation_id = message.conversation_id
        media[index].update(status="stored", attachment_id=str(attachment.id))
        message.attachments = [*(message.attachments or []), message_attachment(attachment)]
    else:
        media[index].update(status="failed", error=(error or "could not be fetched")[:500])
    message.payload = {**(message.payload or {}), "media": media}
    await emit_message_updated(uow, message)
    return True
