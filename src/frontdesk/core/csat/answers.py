"""Taking the customer's answer to a survey: a tapped choice (`csat:1`…`csat:5`) or a message
that is just a number from 1 to 5, on the survey's channel, before it expires and before
another conversation with them starts there.

The answer is stored in the closed conversation without reopening it (and so never counts as
a new or reopened conversation), the survey's row gets its rating once, and `csat.answered`
tells the reports and everyone who sees the conversation. Anything else the customer writes
goes the usual way (it may reopen the conversation).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from frontdesk.core.conversations.emit import emit_conversation
from frontdesk.core.conversations.messages import conversation_keys, message_read
from frontdesk.core.conversations.models import (
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
    MessageKind,
    SenderType,
)
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.csat.schemas import response_read
from frontdesk.core.csat.survey import CHOICE_PREFIX
from frontdesk.core.events import (
    ConversationUpdated,
    MessageCreated,
    VisitorMessageCreated,
    define_event,
)
from frontdesk.core.webchat.visitor import WEBCHAT, emit_to_visitor
from frontdesk.db.ids import new_id
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored

if TYPE_CHECKING:
    from frontdesk.core.conversations.inbound import Inbound

CsatAnswered = define_event("CsatAnswered", "csat.answered")
# "4", " 5 ", "3." or "5⭐": a number alone, maybe with a full stop, "!" or stars.
_NUMBER_ALONE = re.compile(r"^\s*([1-5])\s*[.!⭐️\s]*$")
_CHOICE = re.compile(rf"^{re.escape(CHOICE_PREFIX)}([1-5])$")


def rating_of(kind: str, body: str, payload: dict[str, Any] | None) -> int | None:
    """The rating a message gives, if it is an answer at all."""
    if kind in (MessageKind.INTERACTIVE_REPLY, MessageKind.POSTBACK):
        choice = (payload or {}).get("choice") or {}
        match = _CHOICE.match(str(choice.get("id") or "")) if isinstance(choice, dict) else None
        return int(match.group(1)) if match else None
    if kind == MessageKind.TEXT:
        match = _NUMBER_ALONE.match(body)
        return int(match.group(1)) if match else None
    return None


async def _awaiting(uow: UnitOfWork, inbound: Inbound) -> tuple[CsatResponse, Conversation] | None:
    """The contact's survey on this channel still waiting for an answer, its conversation
    still closed by the close that sent it, and no conversation with them started since."""
    later = aliased(Conversation)
    started_since = exists().where(
        later.workspace_id == CsatResponse.workspace_id,
        later.channel_id == CsatResponse.channel_id,
        later.contact_id == CsatResponse.contact_id,
        later.created_at > CsatResponse.sent_at,
    )
    row = (
        await uow.session.execute(
            select(CsatResponse, Conversation)
            .join(
                Conversation,
                (Conversation.id == CsatResponse.conversation_id)
                & (Conversation.workspace_id == CsatResponse.workspace_id),
            )
            .where(
                CsatResponse.workspace_id == inbound.channel.workspace_id,
                CsatResponse.channel_id == inbound.channel.id,
                CsatResponse.contact_id == inbound.contact_id,
                CsatResponse.answered_at.is_(None),
                CsatResponse.expires_at > uow.now(),
                Conversation.status == ConversationStatus.CLOSED,
                Conversation.closed_at == CsatResponse.closed_at,
                ~started_since,
            )
            .order_by(CsatResponse.sent_at.desc())
            .limit(1)
            .with_for_update(of=CsatResponse)
            .execution_options(populate_existing=True)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def take_answer(uow: UnitOfWork, inbound: Inbound) -> tuple[Message, Conversation] | None:
    """Store the message as the answer to the contact's waiting survey; None when it is not
    one (the caller then records it as usual)."""
    rating = rating_of(inbound.kind, inbound.body, inbound.payload)
    if rating is None or inbound.attachments:
        return None
    found = await _awaiting(uow, inbound)
    if found is None:
        return None
    response, conv = found
    now = uow.now()
    message = await insert_unless_stored(
        uow.session,
        Message,
        {
            "id": new_id(),
            "workspace_id": conv.workspace_id,
            "conversation_id": conv.id,
            "channel_id": inbound.channel.id,
            "direction": Direction.INBOUND,
            "sender_type": SenderType.CONTACT,
            "kind": inbound.kind,
            "body": inbound.body,
            "attachments": [],
            "mentions": [],
            "client_message_id": inbound.client_message_id,
            "provider_message_id": inbound.provider_message_id,
            "status": DeliveryStatus.RECEIVED,
            "payload": inbound.payload,
            "raw": inbound.raw,
            "reply_to_provider_id": inbound.reply_to_provider_id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        },
        ("channel_id", "provider_message_id"),
        Message,
    )
    if not isinstance(message, Message):
        return None  # stored a moment ago by a concurrent delivery: the caller finds it
    response.rating, response.answered_at, response.answer_message_id = rating, now, message.id
    # The customer wrote: their reply window on the channel counts from now. Nobody waits.
    conv.last_inbound_at = now
    conversation = await emit_conversation(
        uow, ConversationUpdated, conv, change={"inbound": True, "csat": rating}
    )
    uow.emit(
        MessageCreated(
            workspace_id=conv.workspace_id,
            audience=conversation_keys(conv),
            data={
                "message": message_read(message, None).model_dump(mode="json"),
                "conversation": conversation.model_dump(mode="json"),
            },
        )
    )
    uow.emit(
        CsatAnswered(
            workspace_id=conv.workspace_id,
            audience=conversation_keys(conv),
            data={"csat": response_read(response).model_dump(mode="json")},
        )
    )
    if inbound.channel.type == WEBCHAT:
        emit_to_visitor(uow, VisitorMessageCreated, conv.contact_id, message, None)
    return message, conv
