"""Webhook subscriptions, deliveries and team chat hooks as the API reads and writes them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseModel, Field, field_validator

from frontdesk.core.webhooks.catalogue import EVENT_TYPES

DeliveryStatusName = Literal["pending", "retrying", "delivered", "failed"]
Escalation = Literal["sla_breached", "help_raised", "team_mentioned"]
URL_LENGTH = 2000


def _event_types(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    unknown = sorted(set(values) - set(EVENT_TYPES))
    if unknown:
        raise ValueError(f"unknown event types: {', '.join(unknown)}")
    return sorted(set(values))


def _url(value: AnyHttpUrl | None) -> AnyHttpUrl | None:
    if value is not None and len(str(value)) > URL_LENGTH:
        raise ValueError(f"a URL is at most {URL_LENGTH} characters")
    return value


class WebhookSubscriptionCreate(BaseModel):
    url: AnyHttpUrl = Field(description="Where events are POSTed (http or https).")
    description: str = Field(default="", max_length=200)
    event_types: list[str] = Field(
        default_factory=list,
        max_length=len(EVENT_TYPES),
        description="Event types to send; empty for every type of the catalogue.",
    )

    _check_types = field_validator("event_types")(_event_types)
    _check_url = field_validator("url")(_url)


class WebhookSubscriptionUpdate(BaseModel):
    url: AnyHttpUrl | None = None
    description: str | None = Field(default=None, max_length=200)
    event_types: list[str] | None = Field(default=None, max_length=len(EVENT_TYPES))
    is_enabled: bool | None = Field(
        default=None, description="Turning it back on clears the reason it was disabled."
    )

    _check_types = field_validator("event_types")(_event_types)
    _check_url = field_validator("url")(_url)


class WebhookSubscriptionRead(BaseModel):
    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    is_enabled: bool
    disabled_reason: Literal["failed_deliveries", "turned_off"] | None = Field(
        description="Why it is off: its deliveries kept failing, or a member turned it off."
    )
    disabled_at: datetime | None
    failed_in_a_row: int = Field(description="Deliveries failed for good since the last success.")
    created_at: datetime
    updated_at: datetime


class WebhookSecretRead(BaseModel):
    """A subscription with its signing secret: only in the answer that made the secret."""

    subscription: WebhookSubscriptionRead
    secret: str = Field(description="The `whsec_...` signing secret; shown this once.")


class WebhookAttemptRead(BaseModel):
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class WebhookDeliveryRead(BaseModel):
    id: uuid.UUID
    subscription_id: uuid.UUID
    webhook_id: str = Field(description="The `webhook-id` header: the same on every attempt.")
    event_id: int | None
    event_type: str
    status: DeliveryStatusName
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_response: str | None = Field(description="The beginning of the last answer's body.")
    last_error: str | None
    last_duration_ms: int | None
    history: list[WebhookAttemptRead]
    payload: dict[str, Any]
    delivered_at: datetime | None
    created_at: datetime
    updated_at: datetime


class WebhookEventTypesRead(BaseModel):
    event_types: list[str]
    retry_schedule_seconds: list[int]
    failed_deliveries_to_disable: int


class TeamChatHookCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    url: AnyHttpUrl = Field(description="The Slack-compatible incoming webhook URL (a secret).")
    team_id: uuid.UUID | None = Field(default=None, description="Only this team's escalations.")
    escalations: list[Escalation] = Field(min_length=1, max_length=3)

    _check_url = field_validator("url")(_url)


class TeamChatHookUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    url: AnyHttpUrl | None = None
    escalations: list[Escalation] | None = Field(default=None, min_length=1, max_length=3)
    is_enabled: bool | None = None

    _check_url = field_validator("url")(_url)


class TeamChatHookRead(BaseModel):
    id: uuid.UUID
    name: str
    team_id: uuid.UUID | None
    url_hint: str = Field(description="Where it posts, without the secret part of the URL.")
    escalations: list[Escalation]
    is_enabled: bool
    last_posted_at: datetime | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
