"""Keeping notifications: written with the action that causes them, read by their recipient.

A notification is created in the same transaction as the mention or assignment behind it, with
a `notification.created` event to its recipient alone, so a member who was signed out finds it
in the bell when they come back, and one who is signed in hears of it at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import update

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.events import NotificationCreated, NotificationsRead, user_key
from frontdesk.core.notifications.models import Notification, NotificationKind
from frontdesk.core.notifications.queries import count_unread_notifications, notification_read
from frontdesk.core.notifications.schemas import NotificationRead, NotificationsMarked
from frontdesk.db.uow import UnitOfWork


async def create_notification(
    uow: UnitOfWork,
    conv: Conversation,
    *,
    user_id: uuid.UUID,
    kind: str,
    actor_id: uuid.UUID | None,
    message_id: uuid.UUID | None = None,
    detail: str | None = None,
) -> NotificationRead:
    notification = Notification(
        workspace_id=conv.workspace_id,
        user_id=user_id,
        kind=kind,
        conversation_id=conv.id,
        actor_id=actor_id,
        message_id=message_id,
        detail=detail,
        created_at=uow.now(),
        read_at=None,
    )
    uow.session.add(notification)
    await uow.session.flush()
    read = await notification_read(uow.session, notification)
    uow.emit(
        NotificationCreated(
            workspace_id=conv.workspace_id,
            audience=(user_key(user_id),),
            data={"notification": read.model_dump(mode="json")},
        )
    )
    return read


async def notify_mentioned(
    uow: UnitOfWork,
    conv: Conversation,
    *,
    mentioned: Iterable[uuid.UUID],
    actor_id: uuid.UUID | None,
    message_id: uuid.UUID,
) -> None:
    """Members mentioned in a note (not the note's author, who knows)."""
    for user_id in dict.fromkeys(mentioned):
        if user_id != actor_id:
            await create_notification(
                uow,
                conv,
                user_id=user_id,
                kind=NotificationKind.MENTION,
                actor_id=actor_id,
                message_id=message_id,
            )


async def notify_assigned(
    uow: UnitOfWork,
    conv: Conversation,
    *,
    previous_assignee_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
) -> None:
    """The new assignee, unless they took it themselves (a rule's assignment has no actor)."""
    assignee = conv.assignee_id
    if assignee is None or assignee in (previous_assignee_id, actor_id):
        return
    await create_notification(
        uow, conv, user_id=assignee, kind=NotificationKind.ASSIGNED, actor_id=actor_id
    )


async def mark_notification_read(
    uow: UnitOfWork, actor: Actor, notification: Notification
) -> NotificationRead:
    """Read once: marking it again changes nothing and tells nobody."""
    if notification.read_at is None:
        notification.read_at = uow.now()
        await uow.session.flush()
        uow.emit(
            NotificationsRead(
                workspace_id=notification.workspace_id,
                audience=(user_key(notification.user_id),),
                data={"notification_ids": [str(notification.id)]},
            )
        )
    return await notification_read(uow.session, notification)


async def mark_all_notifications_read(uow: UnitOfWork, actor: Actor) -> NotificationsMarked:
    """Every unread notification of the caller in this workspace."""
    if actor.user_id is None:
        return NotificationsMarked(marked=0, unread_count=0)
    result = await uow.session.execute(
        update(Notification)
        .where(
            Notification.workspace_id == actor.workspace_id,
            Notification.user_id == actor.user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=uow.now())
        .returning(Notification.id)
    )
    marked = len(result.scalars().all())
    if marked:
        uow.emit(
            NotificationsRead(
                workspace_id=actor.workspace_id,
                audience=(user_key(actor.user_id),),
                data={"all": True, "marked": marked},
            )
        )
    return NotificationsMarked(
        marked=marked, unread_count=await count_unread_notifications(uow.session, actor)
    )
