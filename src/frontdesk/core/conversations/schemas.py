"""Conversation and message schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from frontdesk.core.pagination import Page
from frontdesk.core.read_cursors.schemas import ReadState
from frontdesk.core.schemas import Input
from frontdesk.core.sla.read_schemas import ConversationSlaRead

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
    window_expires_at: datetime | None = Field(
        default=None,
        description="Channels with a customer-service window (WhatsApp): free-form replies are "
        "allowed until then, only templates after. Null when the channel has no window.",
    )
    last_message_preview: str = Field(
        description="The last message from the customer or an agent's reply: never an "
        "automatic message, never an internal note."
    )
    last_message_at: datetime | None = Field(
        default=None, description="When that message was written (null before the first)."
    )
    sla: ConversationSlaRead | None = Field(
        default=None,
        description="Its SLA targets and due times (null: never measured against a policy).",
    )
    version: int
    created_at: datetime


class ConversationPage(Page[ConversationRead]):
    reads: dict[str, ReadState] = Field(
        default_factory=dict,
        description="By conversation id: how far the caller has read it (none for API tokens).",
    )


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


class WorkSpan(Input):
    seconds: float = Field(
        gt=0,
        le=300,
        description="Seconds of active work (on screen, writing or just sent) that end now.",
    )


class TagsChange(Input):
    tag_ids: list[uuid.UUID] = Field(max_length=50)


class TemplateParameters(Input):
    template_id: uuid.UUID = Field(description="A synced, approved template of this channel.")
    parameters: list[Annotated[str, StringConstraints(min_length=1, max_length=1024)]] = Field(
        default_factory=list, max_length=20, description="Values for {{1}}, {{2}}... of its body."
    )


# Generous ceilings only: each channel's own limits (WhatsApp's 3 buttons of 20 characters...)
# are checked by core when the reply is sent, with the field at fault.
class ReplyButton(Input):
    id: str = Field(min_length=1, max_length=256)
    title: str = Field(min_length=1, max_length=100)


class ListRow(Input):
    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=300)


class ListSection(Input):
    title: str | None = Field(default=None, max_length=100)
    rows: list[ListRow] = Field(min_length=1, max_length=20)


class Interactive(Input):
    """Reply buttons or a list under the message's body, on WhatsApp, Telegram, Messenger and
    Instagram: at most 3 buttons of 20 characters, or a list of at most 10 rows in all (titles of
    24 characters, 20 on Messenger and Instagram; descriptions of 72) opened by a button of 20.
    On WhatsApp the body has at most 1024 characters, and several sections need a title each."""

    type: Literal["buttons", "list"]
    buttons: list[ReplyButton] = Field(default_factory=list, max_length=20)
    button_label: str | None = Field(
        default=None, max_length=100, description="The list's opening button."
    )
    sections: list[ListSection] = Field(default_factory=list, max_length=10)


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
    reply_to_message_id: uuid.UUID | None = Field(
        default=None, description="Quote a message of this conversation."
    )
    template: TemplateParameters | None = Field(
        default=None, description="Send an approved template (allowed outside the 24 h window)."
    )
    interactive: Interactive | None = None


class NoteCreate(Input):
    body: str = Field(min_length=1, max_length=4096)
    client_message_id: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$"
    )
    mention_user_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class Reaction(BaseModel):
    by: str = Field(description='"contact" for the customer.')
    emoji: str
    at: datetime | None = None


class MessageRead(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    direction: str
    sender_type: str
    sender: UserBrief | None
    kind: str = Field(
        description="text, media, note, template, location, contacts, interactive, "
        "interactive_reply, postback or unsupported."
    )
    is_whisper: bool = Field(
        default=False,
        description="A note only the assignee and the team's supervisors read.",
    )
    body: str
    attachments: list[dict[str, Any]]
    mentions: list[str]
    client_message_id: str | None
    provider_message_id: str | None
    status: str | None
    error: dict[str, Any] | None = Field(
        description="Why a send failed: the provider's `code` and `message`."
    )
    payload: dict[str, Any] | None = Field(
        default=None,
        description="Content of the kind: `location`, `contacts`, `template`, `interactive`, "
        "`choice` (a tapped button or row), `media` (files still being fetched), `provider_type`.",
    )
    reply_to_message_id: uuid.UUID | None = Field(
        default=None, description="The message this one quotes, when it is in this inbox."
    )
    reply_to_provider_id: str | None = None
    reactions: list[Reaction] = Field(default_factory=list)
    edited_at: datetime | None = None
    deleted_at: datetime | None = Field(
        default=None, description="When the customer deleted it on their side."
    )
    version: int
    created_at: datetime
    updated_at: datetime
