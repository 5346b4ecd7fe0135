"""Base classes shared by every feature's schemas."""

from __future__ import annotations

from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from frontdesk.core.text import unstorable_at


class Input(BaseModel):
    """A request body: unknown fields are refused, strings are trimmed, and no text may hold
    NUL or a lone surrogate (which no database stores: `core.text`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        where = unstorable_at(data)
        if where is not None:
            raise PydanticCustomError(
                "unstorable_text",
                "{field}: text must not contain NUL characters or lone surrogates",
                {"field": where or "value"},
            )
        return data


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


# A picture must be one uploaded to Frontdesk (POST /api/v1/attachments), named by the path the
# product serves it at (`core.attachments.signing.PATH_PREFIX`): never an outside URL, which
# every agent's browser and every website visitor's would load.
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PICTURE_PATH = rf"^/api/v1/attachments/{_UUID}/(content|thumbnail)$"

PictureUrl = Annotated[str, Field(max_length=500, pattern=PICTURE_PATH)]
