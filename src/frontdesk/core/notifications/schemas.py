"""What the bell shows: a notification with who caused it and the conversation it is about."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.core.pagination import Page

NotificationKindName = Literal["mention", "assigned", "sla", "help", "review"]
NotificationOrder = Literal["unread_first", "newest"]


class NotificationActor(BaseModel):
    id: uuid.UUID
    name: str
    avatar_url: str | None = None


class NotificationConversation(BaseModel):
    id: uuid.UUID
    contact_name: str
    channel_name: str
    status: str


class NotificationRead(BaseModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    kind: NotificationKindName
    actor: NotificationActor | None = Field(
        description="Who mentioned or assigned the recipient; null when a routing rule did."
    )
    conversation: NotificationConversation
    excerpt: str | None = Field(
        default=None, description="The beginning of the note that mentioned the recipient."
    )
    detail: str | None = Field(
        default=None,
        description='An SLA notice\'s target and state, e.g. "first_response:breached".',
    )
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationRead]):
    unread_count: int = Field(description="The caller's unread notifications in this workspace.")


class NotificationsMarked(BaseModel):
    marked: int = Field(description="How many notifications this call marked as read.")
    unread_count: int
