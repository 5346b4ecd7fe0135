"""Duplicate suggestions and merge records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.core.contacts.schemas import ContactRead
from frontdesk.core.schemas import Input


class DuplicateGroupRead(BaseModel):
    match: Literal["phone", "email"]
    value: str = Field(description="The phone (E.164) or the email (lower case) they share.")
    contacts: list[ContactRead]


class DuplicateGroupList(BaseModel):
    items: list[DuplicateGroupRead]


class ContactMergeCreate(Input):
    kept_contact_id: uuid.UUID
    merged_contact_id: uuid.UUID = Field(description="Merged into the kept one, then hidden.")


class ContactMergeRead(BaseModel):
    id: uuid.UUID
    kept_contact_id: uuid.UUID
    kept_contact_name: str
    merged_contact_id: uuid.UUID
    merged_contact_name: str
    created_at: datetime
    undone_at: datetime | None
    undo_until: datetime = Field(description="Until when the merge may be undone.")
    can_undo: bool


class ContactMergeList(BaseModel):
    items: list[ContactMergeRead]
