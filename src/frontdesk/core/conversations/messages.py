"""Messages of a conversation: history, replies (idempotent) and internal notes."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.attachments.queries import attachments_for_message
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.compose import compose
from frontdesk.core.conversations.emit import emit_conversation
from frontdesk.core.conversations.models import (
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
    MessageKind,
    SenderType,
)
from frontdesk.core.conversations.schemas import (
    MessageCreate,
    MessageRead,
    NoteCreate,
    Reaction,
    UserBrief,
)
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.events import (
    ConversationUpdated,
    MessageCreated,
    VisitorMessageCreated,
    conversation_audience,
    user_key,
)
from frontdesk.core.notifications.actions import notify_mentioned
from frontdesk.core.pagination import (
    Page,
    cursor_datetime,
    cursor_uuid,
    decode_cursor,
    encode_cursor,
)
from frontdesk.core.webchat.visitor import WEBCHAT, emit_to_visitor
from frontdesk.core.workspaces.client_scope import client_scope_of
from frontdesk.core.workspaces.models import Membership
from frontdesk.db.uow import UnitOfWork

DELIVER_JOB = "deliver_message"
PREVIEW_LENGTH = 200


def message_read(message: Message, sender: User | None) -> MessageRead:
    return MessageRead(
        id=message.id,
        conversation_id=message.conversation_id,
        direction=message.direction,
        sender_type=message.sender_type,
        sender=UserBrief(id=sender.id, name=sender.name, avatar_url=sender.avatar_url)
        if sender
        else None,
        kind=message.kind,
        is_whisper=bool(message.is_whisper),
        body=message.body,
        attachments=list(message.attachments or []),
        mentions=list(message.mentions or []),
        client_message_id=message.client_message_id,
        provider_message_id=message.provider_message_id,
        status=message.status,
        error=message.error,
        payload=message.payload,
        reply_to_message_id=message.reply_to_message_id,
        reply_to_provider_id=message.reply_to_provider_id,
        reactions=[Reaction(**r) for r in message.reactions or [] if r.get("emoji")],
        edited_at=message.edited_at,
        deleted_at=message.deleted_at,
        version=message.version,
        created_at=message.created_at,
        updated_at=message.updated_at,
    )


async def list_messages(
    db: AsyncSession,
    conv: Conversation,
    *,
    limit: int,
    cursor: str | None,
    notes: bool = True,
    whispers: bool = False,
) -> Page[MessageRead]:
    """Newest first; `next_cursor` pages back in time. One query whatever the page size.
    `notes=False` leaves internal notes out (a client viewer's reading); whispers are left out
    unless the reader reads them (`supervision.rights.reads_whispers`)."""
    query = (
        select(Message, User)
        .outerjoin(User, User.id == Message.sender_user_id)
        .where(Message.workspace_id == conv.workspace_id, Message.conversation_id == conv.id)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit + 1)
    )
    if not notes:
        query = query.where(Message.kind != MessageKind.NOTE)
    if not (notes and whispers):
        query = query.where(Message.is_whisper.is_(False))
    if cursor:
        raw_at, raw_id = decode_cursor(cursor, 2)
        at, last_id = cursor_datetime(raw_at), cursor_uuid(raw_id)
        query = query.where(
            or_(Message.created_at < at, and_(Message.created_at == at, Message.id < last_id))
        )
    rows = (await db.execute(query)).all()
    page, more = rows[:limit], len(rows) > limit
    items = [message_read(m, u) for m, u in page]
    last = page[-1][0] if page else None
    next_cursor = encode_cursor(last.created_at.isoformat(), last.id) if more and last else None
    return Page(items=items, next_cursor=next_cursor)


async def find_by_client_id(
    db: AsyncSession, conversation_id: uuid.UUID, client_message_id: str, *, whisper: bool = False
) -> MessageRead | None:
    """The message sent with this client id: a whisper only when one is being written."""
    row = (
        await db.execute(
            select(Message, User)
            .outerjoin(User, User.id == Message.sender_user_id)
            .where(
                Message.conversation_id == conversation_id,
                Message.client_message_id == client_message_id,
                Message.is_whisper.is_(whisper),
            )
        )
    ).first()
    return message_read(*row) if row else None


def _preview(body: str, attachments: Sequence[object]) -> str:
    text = " ".join(body.split())
    if not text and attachments:
        text = "📎 attachment"
    return text[:PREVIEW_LENGTH]


async def send_message(
    uow: UnitOfWork, actor: Actor, conv: Conversation, data: MessageCreate
) -> MessageRead:
    """Write the reply as pending with a delivery job, in one transaction.

    Callers first look the client message id up (a retried send returns the first message);
    two racing sends with the same id are stopped by the unique constraint.
    """
    actor.require_writer()
    if conv.status == ConversationStatus.CLOSED:
        raise Conflict("the conversation is closed: reopen it to reply")
    if not (data.body.strip() or data.attachment_ids or data.template or data.interactive):
        raise Invalid("write a message or attach a file", field="body")
    now = uow.now()
    attachments = await attachments_for_message(
        uow.session, conv.workspace_id, conv.id, data.attachment_ids
    )
    channel_type = await uow.session.scalar(
        select(Channel.type).where(Channel.id == conv.channel_id)
    )
    content = await compose(uow, conv, channel_type or "", data, attachments=attachments, now=now)
    message = Message(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        channel_id=conv.channel_id,
        direction=Direction.OUTBOUND,
        sender_type=SenderType.AGENT,
        sender_user_id=actor.user_id,
        kind=content.kind,
        body=content.body,
        attachments=attachments,
        mentions=[],
        client_message_id=data.client_message_id,
        status=DeliveryStatus.PENDING,
        payload=content.payload,
        reply_to_message_id=content.reply_to_message_id,
        reply_to_provider_id=content.reply_to_provider_id,
        version=1,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(message)
    await uow.session.flush()
    # A human reply answers the customer: the wait ends and the first response is recorded.
    conv.waiting_since = None
    if conv.first_response_at is None and actor.user_id is not None:
        conv.first_response_at = now
    conv.last_activity_at = conv.last_message_at = now
    conv.last_message_preview = _preview(content.body, attachments)
    if conv.status == ConversationStatus.SNOOZED:
        conv.status, conv.snoozed_until = ConversationStatus.OPEN, None
    if channel_type == WEBCHAT:
        # The event log is the webchat transport: committed means sent to the visitor.
        message.status = DeliveryStatus.SENT
        sender = await uow.session.get(User, actor.user_id) if actor.user_id else None
        emit_to_visitor(uow, VisitorMessageCreated, conv.contact_id, message, sender)
    else:
        uow.enqueue(DELIVER_JOB, {"message_id": str(message.id)}, workspace_id=conv.workspace_id)
    return await _emit_message(uow, conv, message)


async def send_automatic_message(
    uow: UnitOfWork,
    conv: Conversation,
    body: str,
    *,
    notice: str,
    kind: str = MessageKind.TEXT,
    payload: dict[str, Any] | None = None,
    sender_type: str = SenderType.SYSTEM,
    client_message_id: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> MessageRead:
    """A message the product sends by itself (assigned, queued, closed hours, a workflow's
    bot with `sender_type` BOT and a client message id derived from its step's key).

    It goes out like a reply but is not one: the customer's wait and the first response
    time are left alone, so automatic messages never count as responses in reports.
    """
    now = uow.now()
    message = Message(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        channel_id=conv.channel_id,
        direction=Direction.OUTBOUND,
        sender_type=sender_type,
        sender_user_id=None,
        kind=kind,
        body=body,
        attachments=attachments or [],
        mentions=[],
        client_message_id=client_message_id or f"auto:{notice}:{uuid.uuid4().hex[:16]}",
        status=DeliveryStatus.PENDING,
        payload=payload,
        version=1,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(message)
    await uow.session.flush()
    # The inbox row keeps showing the last person's message: this one is the product's.
    conv.last_activity_at = now
    channel_type = await uow.session.scalar(
        select(Channel.type).where(Channel.id == conv.channel_id)
    )
    if channel_type == WEBCHAT:
        message.status = DeliveryStatus.SENT
        emit_to_visitor(uow, VisitorMessageCreated, conv.contact_id, message, None)
    else:
        uow.enqueue(DELIVER_JOB, {"message_id": str(message.id)}, workspace_id=conv.workspace_id)
    return await _emit_message(uow, conv, message)


async def _emit_message(
    uow: UnitOfWork, conv: Conversation, message: Message, extra: Sequence[str] = ()
) -> MessageRead:
    sender = await uow.session.get(User, message.sender_user_id) if message.sender_user_id else None
    read = message_read(message, sender)
    conversation = await emit_conversation(uow, ConversationUpdated, conv)
    # Client viewers never see an internal note (docs/subsystems/client-access.md).
    audience = conversation_keys(conv, clients=message.kind != MessageKind.NOTE)
    uow.emit(
        MessageCreated(
            workspace_id=conv.workspace_id,
            audience=(*audience, *extra),
            data={
                "message": read.model_dump(mode="json"),
                "conversation": conversation.model_dump(mode="json"),
            },
        )
    )
    return read


def conversation_keys(conv: Conversation, *, clients: bool = True) -> tuple[str, ...]:
    """Who sees the conversation's changes; `clients=False` leaves client viewers out (notes)."""
    return conversation_audience(
        conv.workspace_id,
        conv.team_id,
        [conv.assignee_id],
        channel_id=conv.channel_id if clients else None,
    )


async def _mentioned_members(
    uow: UnitOfWork, actor: Actor, user_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return []
    members = await uow.session.scalars(
        select(Membership).where(
            Membership.workspace_id == actor.workspace_id, Membership.user_id.in_(wanted)
        )
    )
    # A client viewer never reads notes, so is never mentioned in one.
    found = {m.user_id for m in members if client_scope_of(m) is None}
    missing = [str(u) for u in wanted if u not in found]
    if missing:
        raise Invalid("mentions must name members of this workspace", field="mention_user_ids")
    return wanted


async def add_note(
    uow: UnitOfWork, actor: Actor, conv: Conversation, data: NoteCreate
) -> MessageRead:
    """An internal note, never sent to the customer; mentioned members are told directly."""
    actor.require_writer()
    mentioned = await _mentioned_members(uow, actor, data.mention_user_ids)
    now = uow.now()
    message = Message(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        channel_id=conv.channel_id,
        direction=Direction.OUTBOUND,
        sender_type=SenderType.AGENT,
        sender_user_id=actor.user_id,
        kind=MessageKind.NOTE,
        body=data.body,
        attachments=[],
        mentions=[str(u) for u in mentioned],
        client_message_id=data.client_message_id,
        status=None,
        version=1,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(message)
    await uow.session.flush()
    conv.last_activity_at = now
    await notify_mentioned(
        uow, conv, mentioned=mentioned, actor_id=actor.user_id, message_id=message.id
    )
    return await _emit_message(uow, conv, message, extra=[user_key(u) for u in mentioned])


async def create_idempotently(
    uow: UnitOfWork,
    conversation_id: uuid.UUID,
    client_message_id: str | None,
    create: Callable[[], Awaitable[MessageRead]],
    *,
    whisper: bool = False,
) -> tuple[MessageRead, bool]:
    """Run `create()` and commit unless this client id was used; returns (message, created)."""
    if client_message_id:
        existing = await find_by_client_id(
            uow.session, conversation_id, client_message_id, whisper=whisper
        )
        if existing is not None:
            return existing, False
    try:
        read = await create()
        await uow.commit()
    except IntegrityError:
        # A concurrent retry of the same send committed first: answer with its message.
        await uow.rollback()
        if not client_message_id:
            raise
        existing = await find_by_client_id(
            uow.session, conversation_id, client_message_id, whisper=whisper
        )
        if existing is None:
            if await find_by_client_id(
                uow.session, conversation_id, client_message_id, whisper=not whisper
            ):
                # The id names a message of the other kind (a whisper for a note, or back):
                # answering with it would show a whisper where it must not be seen.
                raise Conflict("this client_message_id was used for another message") from None
            raise
        return existing, False
    return read, True
