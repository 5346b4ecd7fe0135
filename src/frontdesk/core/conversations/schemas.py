"""Conversation and message schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input

Priority = Literal["low", "normal", "high", "urgent"]
StatusName = Literal["open", "pending", "snoozed", "closed"]
View = Literal["mine", "unassigned", "team", "all"]
Sort = Literal["last_activity", "waiting"]


class ChannelBrief(BaseModel):
    id: uuid.UUID
    type: str
    name: str


class ContactBrief(BaseModel):
    id: uuid.UUID
    name: str
    phone: str | None
    email: str | None
    avatar_url: str | None


class UserBrief(BaseModel):
    id: uuid.UUID
    name: str
    avatar_url: str | None = None


class TeamRef(BaseModel):
    id: uuid.UUID
    name: str


class TagRef(BaseModel):
    id: uuid.UUID
    name: str
    color: str
    is_outcome: bool


class ConversationRead(BaseModel):
    id: uuid.UUID
    status: StatusName
    channel: ChannelBrief
    contact: ContactBrief
    assignee: UserBrief | None
    team: TeamRef | None
    priority: Priority
    subject: str | None
    tags: list[TagRef]
    snoozed_until: datetime | None
    waiting_since: datetime | None
    first_response_at: datetime | None
    opened_at: datetime
    closed_at: datetime | None
    outcome: str | None
    outcome_note: str | None
    last_activity_at: datetime
    last_inbound_at: datetime | None
    last_message_preview: str
    version: int
    created_at: datetime


class ConversationCounts(BaseModel):
    """Open conversations per view, as the inbox's side bar shows them."""

    mine: int
    unassigned: int
    all: int
    teams: dict[str, int] = Field(description="Open conversations per team id.")


class ConversationUpdate(Input):
    priority: Priority | None = None
    subject: str | None = Field(default=None, max_length=300)


class AssignmentChange(Input):
    assignee_id: uuid.UUID


class TransferChange(Input):
    team_id: uuid.UUID
    assignee_id: uuid.UUID | None = Field(
        default=None, description="Optionally hand it to a member of the new team at once."
    )


class StatusChange(Input):
    status: Literal["open", "pending"]


class SnoozeChange(Input):
    until: datetime


class CloseChange(Input):
    outcome: str | None = Field(default=None, min_length=1, max_length=80)
    note: str | None = Field(default=None, max_length=2000)


class TagsChange(Input):
    tag_ids: list[uuid.UUID] = Field(max_length=50)


class MessageCreate(Input):
    body: str = Field(default="", max_length=4096)
    client_message_id: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Chosen by the client; sending the same id again returns the first message.",
    )
    attachment_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=10, description="Files uploaded to /api/v1/attachments."
    )


class NoteCreate(Input):
    body: str = Field(min_length=1, max_length=4096)
    client_message_id: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$"
    )
    mention_user_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class MessageRead(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    direction: str
    sender_type: str
    sender: UserBrief | None
    kind: str
    body: str
    attachments: list[dict[str, Any]]
    mentions: list[str]
    client_message_id: str | None
    provider_message_id: str | None
    status: str | None
    error: dict[str, Any] | None
    version: int
    created_at: datetime
    updated_at: datetime
