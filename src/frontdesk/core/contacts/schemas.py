"""Contact and custom field schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from frontdesk.core.schemas import Email, Input
from frontdesk.core.tags.schemas import TagRead

Stage = Literal["new_lead", "hot_lead", "customer", "lost"]
# en, pt-BR, vi or another ISO 639 code ("es", "fr"); normalised ("pt" -> "pt-BR").
Language = Annotated[
    str, Field(min_length=2, max_length=8, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,3})?$")
]
LanguageSource = Literal["detected", "agent", "provider"]
FieldType = Literal["text", "number", "date", "boolean", "select"]
Sort = Literal["name", "recent"]


class OwnerRef(BaseModel):
    id: uuid.UUID
    name: str


class IdentityRead(BaseModel):
    channel_id: uuid.UUID
    channel_type: str
    channel_name: str
    provider_id: str
    profile_name: str | None
    opted_out_at: datetime | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="When the customer opted out of messages on this channel (texted STOP); "
        "absent while they may be written to.",
    )


class ContactRead(BaseModel):
    id: uuid.UUID
    name: str
    email: str | None
    phone: str | None
    language: str | None
    language_source: LanguageSource | None = Field(
        description="detected (from their messages), agent (set by a member: detection never "
        "changes it) or provider (given by the channel or the website widget)."
    )
    avatar_url: str | None
    lifecycle_stage: str | None
    owner: OwnerRef | None
    notes: str
    tags: list[TagRead]
    fields: dict[str, Any]
    identities: list[IdentityRead]
    version: int
    created_at: datetime
    updated_at: datetime


class ContactCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    email: Email | None = None
    phone: str | None = Field(default=None, max_length=40)
    language: Language | None = None
    lifecycle_stage: Stage | None = None
    owner_id: uuid.UUID | None = None
    notes: str = Field(default="", max_length=10_000)
    tag_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    fields: dict[str, Any] = Field(default_factory=dict, max_length=100)


class ContactUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: Email | None = None
    phone: str | None = Field(default=None, max_length=40)
    language: Language | None = None
    lifecycle_stage: Stage | None = None
    owner_id: uuid.UUID | None = None
    notes: str | None = Field(default=None, max_length=10_000)
    version: int | None = Field(
        default=None, description="When given, the update is refused (409) if someone changed it."
    )


class ContactTagsChange(Input):
    tag_ids: list[uuid.UUID] = Field(max_length=50)


class ContactMerge(Input):
    other_contact_id: uuid.UUID = Field(description="Merged into this contact, then hidden.")


class FieldDefinitionRead(BaseModel):
    id: uuid.UUID
    key: str
    label: str
    field_type: str
    options: list[str]
    created_at: datetime
    archived_at: datetime | None = Field(
        default=None, description="When archived: no longer offered; stored values are kept."
    )

    model_config = ConfigDict(from_attributes=True)


class FieldDefinitionCreate(Input):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    label: str = Field(min_length=1, max_length=120)
    field_type: FieldType
    options: list[str] = Field(default_factory=list, max_length=100)


class FieldDefinitionUpdate(Input):
    label: str | None = Field(default=None, min_length=1, max_length=120)
    options: list[str] | None = Field(default=None, max_length=100)
    is_archived: bool | None = Field(
        default=None, description="Archive (true) or restore (false) the field."
    )
