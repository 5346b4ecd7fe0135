"""REST API v1: the caller's notifications (mentions, assignments), as the bell lists them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.core.notifications import actions
from frontdesk.core.notifications.queries import access_notification, list_notifications
from frontdesk.core.notifications.schemas import (
    NotificationOrder,
    NotificationPage,
    NotificationRead,
    NotificationsMarked,
)
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT

router = APIRouter()


@router.get("")
async def read_notifications(
    actor: ActorDep,
    db: ReaderDep,
    order: NotificationOrder = "unread_first",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> NotificationPage:
    """The caller's own notifications in this workspace, newest first (unread ones first by
    default), with how many are unread. API tokens have none."""
    return await list_notifications(db, actor, order=order, limit=limit, cursor=cursor)


@router.post("/read-all")
async def mark_all_read(actor: ActorDep, uow: UowDep) -> NotificationsMarked:
    """Mark every unread notification of the caller as read."""
    marked = await actions.mark_all_notifications_read(uow, actor)
    await uow.commit()
    return marked


@router.post("/{notification_id}/read")
async def mark_read(notification_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> NotificationRead:
    """Mark one of the caller's notifications as read (again: no change)."""
    notification = await access_notification(uow.session, actor, notification_id)
    read = await actions.mark_notification_read(uow, actor, notification)
    await uow.commit()
    return read
