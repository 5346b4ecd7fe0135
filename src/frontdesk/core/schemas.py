"""Base classes shared by every feature's schemas."""

from __future__ import annotations

from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class Input(BaseModel):
    """A request body: unknown fields are refused and strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _email(value: str) -> str:
    """A well-formed address; internal domains (`.local`, `.test`) are fine when self-hosting."""
    try:
        checked = validate_email(
            value, check_deliverability=False, globally_deliverable=False, test_environment=True
        )
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from None
    return checked.normalized.lower()


Email = Annotated[
    str, AfterValidator(_email), Field(max_length=254, json_schema_extra={"format": "email"})
]
