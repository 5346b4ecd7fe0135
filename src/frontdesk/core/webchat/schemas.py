"""What a website visitor sees and sends: customer-safe shapes only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Email, Input


class VisitorAgent(BaseModel):
    name: str
    avatar_url: str | None = Field(
        description=(
            "The agent's uploaded picture, as a path on the widget API's host "
            "(/api/widget/v1/channels/{channel_id}/pictures/{id}); null without one."
        )
    )


class VisitorMessageRead(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    author: Literal["visitor", "agent", "bot"]
    agent: VisitorAgent | None
    body: str
    attachments: list[dict[str, Any]]
    status: str | None
    client_message_id: str | None
    created_at: datetime


class WidgetAvailability(BaseModel):
    """Whether the channel's team is open, and what a visitor writing now can expect."""

    open_now: bool
    next_opening: datetime | None = Field(
        description="When closed: when the team opens next (null when not within a year)."
    )
    expected_wait_seconds: float | None = Field(
        description=(
            "When open: the expected wait before an agent takes a new chat (0 when one is "
            "free); null when closed or when nobody is online to answer."
        )
    )


class WidgetConfig(BaseModel):
    """Everything the widget needs before the visitor types (public: no secrets)."""

    channel_id: uuid.UUID
    name: str
    greeting: dict[str, str]
    primary_color: str
    position: Literal["right", "left"]
    pre_chat: dict[str, bool]
    identity_required: bool
    max_upload_bytes: int
    availability: WidgetAvailability


class VisitorSessionCreate(Input):
    visitor_token: str | None = Field(default=None, max_length=500)
    name: str | None = Field(default=None, max_length=200)
    email: Email | None = None
    locale: str | None = Field(default=None, max_length=16)
    user_id: str | None = Field(
        default=None, max_length=200, description="The site's own id of a signed-in customer."
    )
    user_hash: str | None = Field(
        default=None, max_length=128, description="HMAC-SHA256 of user_id with the identity secret."
    )
    page_url: str | None = Field(default=None, max_length=2000)


class VisitorSessionRead(BaseModel):
    visitor_token: str
    contact_id: uuid.UUID
    name: str
    conversation_id: uuid.UUID | None
    cursor: int = Field(description="Event-log cursor to open the socket from.")


class VisitorMessageCreate(Input):
    body: str = Field(default="", max_length=4096)
    client_message_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10)


class VisitorMessages(BaseModel):
    items: list[VisitorMessageRead]
    next_cursor: str | None
    agent: VisitorAgent | None = Field(description="Who is looking after the conversation now.")
    conversation_status: str | None


class VisitorRead(Input):
    message_id: uuid.UUID
