"""Broadcast schemas: the segment, the content, the schedule, and a broadcast as read."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, Field, model_validator

from frontdesk.core.schemas import Input

BroadcastStatusName = Literal["draft", "scheduled", "sending", "paused", "cancelled", "done"]
RecipientStatusName = Literal["pending", "sent", "skipped", "cancelled"]
LifecycleStage = Literal["new_lead", "hot_lead", "customer", "lost"]
VariableSource = Literal["name", "first_name", "phone", "email", "field", "text"]
MAX_DAYS = 3650
_ZONES = frozenset(available_timezones())


def _known_zone(value: str) -> str:
    if value not in _ZONES:
        raise ValueError("not a known time zone")
    return value


TimeZone = Annotated[
    str, Field(max_length=64, description="An IANA zone."), AfterValidator(_known_zone)
]


class FieldCondition(Input):
    """The contact's custom field `key` holds `value` (compared as text)."""

    key: str = Field(min_length=1, max_length=64)
    value: str = Field(max_length=500)


class BroadcastSegment(Input):
    """Who the broadcast goes to: contacts with an id on its channel matching every condition
    given (a condition left out matches everyone)."""

    tag_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=50, description="Tagged with any of these."
    )
    lifecycle_stages: list[LifecycleStage] = Field(default_factory=list, max_length=4)
    fields: list[FieldCondition] = Field(default_factory=list, max_length=20)
    contacted_within_days: int | None = Field(
        default=None, ge=1, le=MAX_DAYS, description="Wrote to us within this many days."
    )
    not_contacted_within_days: int | None = Field(
        default=None, ge=1, le=MAX_DAYS, description="Has not written within this many days."
    )


class TemplateVariable(Input):
    """One `{{n}}` of the template: a contact's value (`field` names a custom field's key in
    `value`) or fixed `text`; `fallback` is used when the contact has no value."""

    source: VariableSource
    value: str = Field(default="", max_length=500)
    fallback: str = Field(default="", max_length=500)


class BroadcastContent(Input):
    """Free text (`body`) or an approved WhatsApp template with its variables."""

    kind: Literal["text", "template"]
    body: str = Field(default="", max_length=4096)
    template_id: uuid.UUID | None = None
    variables: list[TemplateVariable] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _complete(self) -> BroadcastContent:
        if self.kind == "text" and not self.body:
            raise ValueError("a text broadcast needs a body")
        if self.kind == "template" and self.template_id is None:
            raise ValueError("a template broadcast needs template_id")
        return self


class BroadcastCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    channel_id: uuid.UUID
    segment: BroadcastSegment = Field(default_factory=BroadcastSegment)
    content: BroadcastContent
    send_at: datetime | None = Field(
        default=None,
        description="Local date and time in `time_zone` (no offset); null: when started.",
    )
    time_zone: TimeZone | None = None


class BroadcastUpdate(Input):
    """A draft's changes; fields left out stay as they are."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    segment: BroadcastSegment | None = None
    content: BroadcastContent | None = None
    send_at: datetime | None = Field(
        default=None,
        description=(
            "Local date and time in `time_zone` (else the draft's zone), no offset; "
            "null: when started. Left out: unchanged."
        ),
    )
    time_zone: TimeZone | None = None


class SegmentPreviewCreate(Input):
    channel_id: uuid.UUID
    segment: BroadcastSegment = Field(default_factory=BroadcastSegment)
    free_text: bool = Field(
        default=False, description="Free text: who has not written within the window is skipped."
    )


class SegmentPreviewRead(BaseModel):
    """How many contacts match, and how many of them would be skipped (and why)."""

    matching: int
    reachable: int
    skipped: dict[str, int]


class BroadcastCounts(BaseModel):
    recipients: int
    pending: int
    sent: int
    delivered: int
    read: int
    replied: int
    failed: int
    skipped: int
    cancelled: int


class BroadcastRead(BaseModel):
    id: uuid.UUID
    name: str
    channel_id: uuid.UUID
    channel_name: str
    channel_type: str
    segment: BroadcastSegment
    content: BroadcastContent
    send_at: datetime | None
    time_zone: str | None
    status: BroadcastStatusName
    created_by_id: uuid.UUID | None
    started_at: datetime | None
    finished_at: datetime | None
    counts: BroadcastCounts
    version: int
    created_at: datetime
    updated_at: datetime


class BroadcastRecipientRead(BaseModel):
    id: uuid.UUID
    contact_id: uuid.UUID
    contact_name: str
    conversation_id: uuid.UUID | None
    message_id: uuid.UUID | None
    status: RecipientStatusName
    reason: str | None
    message_status: str | None
    error: dict[str, str] | None
    updated_at: datetime


class BroadcastChangedData(BaseModel):
    """`broadcast.changed`: the broadcast as it is now, and what happened to it."""

    broadcast: BroadcastRead
    change: Literal[
        "created", "updated", "scheduled", "started", "paused", "resumed", "cancelled", "done"
    ]
