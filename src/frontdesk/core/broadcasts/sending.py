"""The steps of sending a broadcast, each in the job's unit of work.

1. `begin`: a scheduled broadcast whose time has come starts; a started one evaluates its
   segment once, writing a recipient per contact (skipped ones with their reason).
2. `release`: the next recipients' messages are written, each a real outbound message in the
   contact's conversation on the channel (its live one, else a new one left pending, waiting
   on the customer, so no agent is given a conversation nobody has answered yet), pending with
   a `deliver_message` job, as any automatic message. The job decides how many (the pace).
3. The broadcast is done when no recipient is left pending.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.broadcasts.events import emit_broadcast
from frontdesk.core.broadcasts.models import (
    Broadcast,
    BroadcastRecipient,
    BroadcastStatus,
    RecipientStatus,
)
from frontdesk.core.broadcasts.queries import get_broadcast
from frontdesk.core.broadcasts.schemas import BroadcastContent, BroadcastSegment
from frontdesk.core.broadcasts.segment import (
    MISSING_VARIABLE,
    OPTED_OUT,
    OUTSIDE_WINDOW,
    evaluate,
)
from frontdesk.core.broadcasts.variables import render_content
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.contacts.optout import identity_on, opt_out_of
from frontdesk.core.conversations.emit import emit_conversation
from frontdesk.core.conversations.messages import send_automatic_message
from frontdesk.core.conversations.models import Conversation, ConversationStatus, SenderType
from frontdesk.core.conversations.window import is_standard_window_open
from frontdesk.core.events import ConversationCreated
from frontdesk.db.uow import UnitOfWork


@dataclass(frozen=True)
class Sending:
    """A broadcast being sent, as the job needs it between its steps."""

    broadcast_id: uuid.UUID
    workspace_id: uuid.UUID
    channel_id: uuid.UUID


async def _locked(uow: UnitOfWork, workspace_id: uuid.UUID, broadcast_id: uuid.UUID) -> Any:
    query = select(Broadcast).where(
        Broadcast.id == broadcast_id, Broadcast.workspace_id == workspace_id
    )
    if uow.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return await uow.session.scalar(query.execution_options(populate_existing=True))


async def _emit(uow: UnitOfWork, broadcast: Broadcast, change: str) -> None:
    broadcast.version += 1
    broadcast.updated_at = uow.now()
    await uow.session.flush()
    emit_broadcast(uow, broadcast.workspace_id, await get_broadcast(uow.session, broadcast), change)


async def begin(
    uow: UnitOfWork, workspace_id: uuid.UUID, broadcast_id: uuid.UUID
) -> Sending | None:
    """The broadcast to send now, its recipients written; None if it is not to be sent (paused,
    cancelled, done, or scheduled for later)."""
    broadcast: Broadcast | None = await _locked(uow, workspace_id, broadcast_id)
    if broadcast is None:
        return None
    now = uow.now()
    if broadcast.status == BroadcastStatus.SCHEDULED:
        if broadcast.send_at is not None and broadcast.send_at > now:
            return None  # its own job comes at that time
        broadcast.status, broadcast.started_at = BroadcastStatus.SENDING, now
        await _emit(uow, broadcast, "started")
    if broadcast.status != BroadcastStatus.SENDING:
        return None
    written = await uow.session.scalar(
        select(func.count()).where(BroadcastRecipient.broadcast_id == broadcast.id)
    )
    if not written:
        await _materialise(uow, broadcast)
    return Sending(broadcast.id, broadcast.workspace_id, broadcast.channel_id)


async def _materialise(uow: UnitOfWork, broadcast: Broadcast) -> None:
    channel = await uow.session.get_one(Channel, broadcast.channel_id)
    content = BroadcastContent.model_validate(broadcast.content)
    found = await evaluate(
        uow.session,
        broadcast.workspace_id,
        channel,
        BroadcastSegment.model_validate(broadcast.segment),
        uow.now(),
        free_text=content.kind == "text",
    )
    now = uow.now()
    uow.session.add_all(
        BroadcastRecipient(
            workspace_id=broadcast.workspace_id,
            broadcast_id=broadcast.id,
            contact_id=c.contact_id,
            status=RecipientStatus.SKIPPED if c.skip_reason else RecipientStatus.PENDING,
            reason=c.skip_reason,
            created_at=now,
            updated_at=now,
        )
        for c in found
    )
    await uow.session.flush()


async def release(uow: UnitOfWork, sending: Sending, count: int) -> int:
    """Write the messages of up to `count` pending recipients; how many are left pending."""
    broadcast: Broadcast | None = await _locked(uow, sending.workspace_id, sending.broadcast_id)
    if broadcast is None or broadcast.status != BroadcastStatus.SENDING:
        return 0
    channel = await uow.session.get_one(Channel, broadcast.channel_id)
    content = BroadcastContent.model_validate(broadcast.content)
    recipients = (
        await uow.session.scalars(
            select(BroadcastRecipient)
            .where(
                BroadcastRecipient.broadcast_id == broadcast.id,
                BroadcastRecipient.status == RecipientStatus.PENDING,
            )
            .order_by(BroadcastRecipient.id)
            .limit(count)
        )
    ).all()
    for recipient in recipients:
        await _send_to(uow, broadcast, channel, content, recipient)
    await uow.session.flush()
    left = await uow.session.scalar(
        select(func.count()).where(
            BroadcastRecipient.broadcast_id == broadcast.id,
            BroadcastRecipient.status == RecipientStatus.PENDING,
        )
    )
    if not left:
        broadcast.status, broadcast.finished_at = BroadcastStatus.DONE, uow.now()
        await _emit(uow, broadcast, "done")
    return int(left or 0)


async def _conversation(
    uow: UnitOfWork, broadcast: Broadcast, channel: Channel, contact_id: uuid.UUID
) -> tuple[Conversation, bool]:
    """The contact's live conversation on the channel, else a new one waiting on them."""
    live = await uow.session.scalar(
        select(Conversation)
        .where(
            Conversation.workspace_id == broadcast.workspace_id,
            Conversation.channel_id == channel.id,
            Conversation.contact_id == contact_id,
            Conversation.status != ConversationStatus.CLOSED,
        )
        .order_by(Conversation.created_at.desc())
        .limit(1)
    )
    if live is not None:
        return live, False
    now = uow.now()
    conv = Conversation(
        workspace_id=broadcast.workspace_id,
        channel_id=channel.id,
        contact_id=contact_id,
        status=ConversationStatus.PENDING,
        team_id=channel.team_id,
        priority=1,
        subject=broadcast.name[:300],
        opened_at=now,
        last_activity_at=now,
        last_message_preview="",
        version=0,
        created_at=now,
    )
    uow.session.add(conv)
    await uow.session.flush()
    return conv, True


async def _skip(uow: UnitOfWork, recipient: BroadcastRecipient, reason: str) -> None:
    recipient.status, recipient.reason, recipient.updated_at = (
        RecipientStatus.SKIPPED,
        reason,
        uow.now(),
    )


async def _send_to(
    uow: UnitOfWork,
    broadcast: Broadcast,
    channel: Channel,
    content: BroadcastContent,
    recipient: BroadcastRecipient,
) -> None:
    identity = await identity_on(uow, broadcast.workspace_id, channel.id, recipient.contact_id)
    if opt_out_of(identity) is not None:  # opted out since the segment was evaluated
        await _skip(uow, recipient, OPTED_OUT)
        return
    contact = await uow.session.get_one(Contact, recipient.contact_id)
    rendered = await render_content(uow.session, channel, content, contact)
    if rendered is None:
        await _skip(uow, recipient, MISSING_VARIABLE)
        return
    conv, is_new = await _conversation(uow, broadcast, channel, contact.id)
    if content.kind == "text" and not is_standard_window_open(
        channel.type, conv.last_inbound_at, uow.now()
    ):
        if is_new:
            await uow.session.delete(conv)
        await _skip(uow, recipient, OUTSIDE_WINDOW)
        return
    if is_new:
        await emit_conversation(
            uow, ConversationCreated, conv, change={"broadcast_id": str(broadcast.id)}
        )
    body, kind, payload = rendered
    message = await send_automatic_message(
        uow,
        conv,
        body,
        notice="broadcast",
        kind=kind,
        payload={**payload, "broadcast_id": str(broadcast.id)},
        sender_type=SenderType.SYSTEM,
        client_message_id=f"broadcast:{broadcast.id}",
    )
    recipient.status, recipient.updated_at = RecipientStatus.SENT, uow.now()
    recipient.conversation_id, recipient.message_id = conv.id, message.id
