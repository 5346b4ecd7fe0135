"""Channel schemas. Credentials are write-only: reads say only whether some are stored."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, field_validator

from frontdesk.core.channels.choices import ChoiceLimits
from frontdesk.core.channels.models import CHANNEL_TYPES
from frontdesk.core.schemas import Input

MAX_SETTINGS = 50
MAX_SECRETS = 20
MAX_SECRET_LENGTH = 4096
CREDENTIAL_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"

SecretName = Annotated[str, StringConstraints(pattern=CREDENTIAL_NAME_PATTERN)]
SecretValue = Annotated[str, StringConstraints(min_length=1, max_length=MAX_SECRET_LENGTH)]
Secrets = dict[SecretName, SecretValue]


class ChannelRead(BaseModel):
    id: uuid.UUID
    type: str
    name: str
    settings: dict[str, Any]
    has_secrets: bool = Field(description="Whether credentials are stored; they are never sent.")
    team_id: uuid.UUID | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    choice_limits: ChoiceLimits | None = Field(
        default=None,
        description="What a reply with buttons or a list may hold here; null: it cannot.",
    )
    last_activity_at: datetime | None = Field(
        default=None,
        description="The latest activity of its conversations, in GET reads (null in events).",
    )


class ChannelCreate(Input):
    type: str = Field(description=f"One of: {', '.join(CHANNEL_TYPES)}.")
    name: str = Field(min_length=1, max_length=120)
    settings: dict[str, Any] = Field(default_factory=dict, max_length=MAX_SETTINGS)
    secrets: Secrets = Field(
        default_factory=dict,
        max_length=MAX_SECRETS,
        description="Credentials (access_token, app_secret, bot_token...); stored encrypted.",
    )
    team_id: uuid.UUID | None = None
    is_active: bool = True

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in CHANNEL_TYPES:
            raise ValueError(f"must be one of: {', '.join(CHANNEL_TYPES)}")
        return value


class ChannelUpdate(Input):
    """Settings are merged (a null value removes the key); secrets, when sent, replace all."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    settings: dict[str, Any] | None = Field(default=None, max_length=MAX_SETTINGS)
    secrets: Secrets | None = Field(
        default=None,
        max_length=MAX_SECRETS,
        description="Replaces every stored credential; `{}` or null removes them.",
    )
    team_id: uuid.UUID | None = None
    is_active: bool | None = None
