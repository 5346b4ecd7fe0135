"""Contact import schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input

ImportStatusName = Literal["uploaded", "queued", "running", "done", "failed"]
Region = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 country code.")]


class ImportRowError(BaseModel):
    row: int = Field(description="The line in the file; the header is line 1.")
    column: str
    code: str = Field(
        description="invalid_phone, invalid_email, unknown_language, unknown_lifecycle_stage, "
        "unknown_tag, invalid_field_value or no_name_phone_or_email."
    )
    value: str


class ContactImportRead(BaseModel):
    id: uuid.UUID
    file_name: str
    size_bytes: int
    encoding: str
    delimiter: str
    columns: list[str]
    preview: list[list[str]] = Field(
        default_factory=list, description="The first rows, in the upload's answer only."
    )
    suggested_mapping: dict[str, str] = Field(
        default_factory=dict, description="Column -> target guessed from the headers."
    )
    mapping: dict[str, str] | None
    default_region: str | None
    status: ImportStatusName
    rows_total: int
    rows_done: int
    rows_created: int
    rows_updated: int
    rows_failed: int
    row_errors: list[ImportRowError] = Field(description="The first refused rows (up to 100).")
    error: str | None
    error_report_url: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ContactImportList(BaseModel):
    items: list[ContactImportRead]


class ContactImportStart(Input):
    mapping: dict[str, str] = Field(
        max_length=100,
        description="Column -> name, phone, email, language, lifecycle_stage, tags or "
        "field:<key>; columns left out are not imported.",
    )
    default_region: Region | None = Field(
        default=None, description="The country of numbers written without +."
    )
