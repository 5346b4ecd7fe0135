"""Reading a member's notifications: only their own, in this workspace, about conversations
they may still see."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.conversations.queries import visible_to
from frontdesk.core.errors import Invalid, NotFound
from frontdesk.core.notifications.models import Notification
from frontdesk.core.notifications.schemas import (
    NotificationActor,
    NotificationConversation,
    NotificationOrder,
    NotificationPage,
    NotificationRead,
)
from frontdesk.core.pagination import cursor_datetime, cursor_uuid, decode_cursor, encode_cursor

EXCERPT_LENGTH = 140
_ACTOR = aliased(User, name="notification_actor")
# 0 for unread, 1 for read: "unread first" sorts on it before the time.
_IS_READ = case((Notification.read_at.is_(None), 0), else_=1)


def _owned_by(actor: Actor) -> Any:
    return and_(
        Notification.workspace_id == actor.workspace_id, Notification.user_id == actor.user_id
    )


async def access_notification(
    db: AsyncSession, actor: Actor, notification_id: uuid.UUID
) -> Notification:
    """The caller's own notification, about a conversation they may still see; anyone else's
    is "not found", like one that never was."""
    found = None
    if actor.user_id is not None:
        found = await db.scalar(
            select(Notification)
            .join(Conversation, Conversation.id == Notification.conversation_id)
            .where(Notification.id == notification_id, _owned_by(actor), visible_to(actor))
        )
    if found is None:
        raise NotFound("notification")
    return found


def _select() -> Select[Any]:
    query = (
        select(Notification, Conversation, Contact.name, Channel.name, _ACTOR, Message.body)
        .join(Conversation, Conversation.id == Notification.conversation_id)
        .join(Contact, Contact.id == Conversation.contact_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .outerjoin(_ACTOR, _ACTOR.id == Notification.actor_id)
        .outerjoin(Message, Message.id == Notification.message_id)
    )
    return cast("Select[Any]", query)


def _read(row: Any) -> NotificationRead:
    notification, conv, contact_name, channel_name, who, body = row
    excerpt = " ".join(body.split())[:EXCERPT_LENGTH] if body else None
    return NotificationRead(
        id=notification.id,
        workspace_id=notification.workspace_id,
        kind=notification.kind,
        actor=NotificationActor(id=who.id, name=who.name, avatar_url=who.avatar_url)
        if who
        else None,
        conversation=NotificationConversation(
            id=conv.id, contact_name=contact_name, channel_name=channel_name, status=conv.status
        ),
        excerpt=excerpt,
        detail=notification.detail,
        created_at=notification.created_at,
        read_at=notification.read_at,
    )


async def notification_read(db: AsyncSession, notification: Notification) -> NotificationRead:
    """The read model of one notification (no visibility check: the caller owns it)."""
    query = _select().where(Notification.id == notification.id)
    return _read((await db.execute(query)).one())


async def count_unread_notifications(db: AsyncSession, actor: Actor) -> int:
    if actor.user_id is None:
        return 0
    query = (
        select(func.count())
        .select_from(Notification)
        .join(Conversation, Conversation.id == Notification.conversation_id)
        .where(_owned_by(actor), visible_to(actor), Notification.read_at.is_(None))
    )
    return int(await db.scalar(query) or 0)


def _after(query: Select[Any], order: NotificationOrder, cursor: str) -> Select[Any]:
    raw_read, raw_at, raw_id = decode_cursor(cursor, 3)
    at, last_id = cursor_datetime(raw_at), cursor_uuid(raw_id)
    if at is None or raw_read not in (0, 1):
        raise Invalid("the cursor is not valid", field="cursor")
    later = or_(
        Notification.created_at < at,
        and_(Notification.created_at == at, Notification.id < last_id),
    )
    if order == "newest":
        return query.where(later)
    return query.where(or_(raw_read < _IS_READ, and_(raw_read == _IS_READ, later)))


async def list_notifications(
    db: AsyncSession,
    actor: Actor,
    *,
    order: NotificationOrder,
    limit: int,
    cursor: str | None,
) -> NotificationPage:
    """One page of the caller's notifications, newest first (unread ones first if asked)."""
    if actor.user_id is None:  # an API token is nobody to notify
        return NotificationPage(items=[], unread_count=0)
    query = _select().where(_owned_by(actor), visible_to(actor))
    keys: list[Any] = [Notification.created_at.desc(), Notification.id.desc()]
    query = query.order_by(*keys) if order == "newest" else query.order_by(_IS_READ, *keys)
    if cursor:
        query = _after(query, order, cursor)
    rows = (await db.execute(query.limit(limit + 1))).all()
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit and page:
        last = page[-1][0]
        is_read = 0 if last.read_at is None else 1
        next_cursor = encode_cursor(is_read, last.created_at.isoformat(), last.id)
    return NotificationPage(
        items=[_read(r) for r in page],
        next_cursor=next_cursor,
        unread_count=await count_unread_notifications(db, actor),
    )
