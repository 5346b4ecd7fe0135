"""The WhatsApp Cloud API webhook, as far as Frontdesk reads it.

Every model ignores fields it does not name (Meta adds fields often) and every field Meta may
leave out is optional. The envelope is parsed first; each message and status is parsed on its
own, so one item of an unexpected shape becomes an "unsupported" message instead of failing the
whole delivery.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WaModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


# --- envelope ---------------------------------------------------------------------------------


class Metadata(WaModel):
    phone_number_id: str
    display_phone_number: str | None = None


class Profile(WaModel):
    name: str | None = None
    username: str | None = None


class WaContact(WaModel):
    """A sender: `wa_id` (phone) and, since 2026, `user_id` (business-scoped), either may be
    missing but not both."""

    wa_id: str | None = None
    user_id: str | None = None
    parent_user_id: str | None = None
    profile: Profile | None = None


class ChangeValue(WaModel):
    messaging_product: str | None = None
    metadata: Metadata
    contacts: list[WaContact] = Field(default_factory=list)
    # Parsed one by one (see the module's doc).
    messages: list[dict[str, Any]] = Field(default_factory=list)
    statuses: list[dict[str, Any]] = Field(default_factory=list)
    errors: list[dict[str, Any]] = Field(default_factory=list)


class Change(WaModel):
    field: str
    value: dict[str, Any]


class Entry(WaModel):
    id: str | None = None
    changes: list[Change] = Field(default_factory=list)


class Webhook(WaModel):
    object: str
    entry: list[Entry] = Field(default_factory=list)


# --- messages ---------------------------------------------------------------------------------


class Text(WaModel):
    body: str = ""


class Media(WaModel):
    """image, video, audio, document, sticker: the same shape under their own key."""

    id: str | None = None
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    filename: str | None = None
    voice: bool | None = None
    animated: bool | None = None
    url: str | None = None


class Location(WaModel):
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None
    url: str | None = None


class ContactName(WaModel):
    formatted_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class ContactPhone(WaModel):
    phone: str | None = None
    wa_id: str | None = None
    type: str | None = None


class ContactEmail(WaModel):
    email: str | None = None


class ContactCard(WaModel):
    name: ContactName | None = None
    phones: list[ContactPhone] = Field(default_factory=list)
    emails: list[ContactEmail] = Field(default_factory=list)


class Reply(WaModel):
    id: str
    title: str = ""
    description: str | None = None


class Interactive(WaModel):
    type: str
    button_reply: Reply | None = None
    list_reply: Reply | None = None
    nfm_reply: dict[str, Any] | None = None


class Button(WaModel):
    """A quick-reply button of a template."""

    payload: str | None = None
    text: str = ""


class ReactionBody(WaModel):
    message_id: str
    emoji: str | None = None


class Context(WaModel):
    id: str | None = None
    forwarded: bool | None = None
    frequently_forwarded: bool | None = None


class EditedMessage(WaModel):
    type: str | None = None
    text: Text | None = None
    image: Media | None = None
    video: Media | None = None
    document: Media | None = None


class Edit(WaModel):
    original_message_id: str
    message: EditedMessage | None = None


class Revoke(WaModel):
    original_message_id: str


class Message(WaModel):
    id: str
    type: str
    timestamp: str | None = None
    sender: str | None = Field(default=None, alias="from")
    from_user_id: str | None = None
    context: Context | None = None
    text: Text | None = None
    image: Media | None = None
    video: Media | None = None
    audio: Media | None = None
    document: Media | None = None
    sticker: Media | None = None
    location: Location | None = None
    contacts: list[ContactCard] = Field(default_factory=list)
    interactive: Interactive | None = None
    button: Button | None = None
    reaction: ReactionBody | None = None
    edit: Edit | None = None
    revoke: Revoke | None = None
    referral: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = Field(default_factory=list)


MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")


# --- statuses ---------------------------------------------------------------------------------


class ErrorData(WaModel):
    details: str | None = None


class WaError(WaModel):
    code: int | str | None = None
    title: str | None = None
    message: str | None = None
    error_data: ErrorData | None = None


class Status(WaModel):
    id: str
    status: str
    timestamp: str | None = None
    recipient_id: str | None = None
    recipient_user_id: str | None = None
    errors: list[WaError] = Field(default_factory=list)
    biz_opaque_callback_data: str | None = None
