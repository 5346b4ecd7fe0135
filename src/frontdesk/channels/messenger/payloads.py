"""Pydantic models of Meta's Messenger Platform webhooks (also used by Instagram Messaging).

They tolerate unknown fields; a `messaging[]` event is validated on its own, so one that does
not parse is kept raw instead of failing the whole request.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MEDIA_TYPES = frozenset({"image", "video", "audio", "file"})
MAX_ID = 200  # the longest provider id Frontdesk stores


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Party(_Model):
    id: str = Field(min_length=1, max_length=MAX_ID)
    name: str | None = None
    username: str | None = None


class Attachment(_Model):
    type: str
    payload: dict[str, Any] | None = None


class QuickReply(_Model):
    payload: str = ""


class ReplyTo(_Model):
    mid: str | None = None
    story: dict[str, Any] | None = None


class MessageBody(_Model):
    mid: str = Field(min_length=1, max_length=MAX_ID)
    text: str | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    quick_reply: QuickReply | None = None
    reply_to: ReplyTo | None = None
    is_echo: bool = False
    is_deleted: bool = False
    is_unsupported: bool = False
    app_id: int | str | None = None
    metadata: str | None = None


class Postback(_Model):
    mid: str | None = Field(default=None, max_length=MAX_ID)
    title: str = ""
    payload: str = ""
    referral: dict[str, Any] | None = None


class ReactionBody(_Model):
    mid: str = Field(min_length=1, max_length=MAX_ID)
    action: str = "react"
    reaction: str | None = None
    emoji: str | None = None


class DeliveryBody(_Model):
    mids: list[str] = Field(default_factory=list)
    watermark: int | None = None


class ReadBody(_Model):
    watermark: int | None = None
    mid: str | None = None


class Event(_Model):
    sender: Party
    recipient: Party
    timestamp: int | None = None
    message: MessageBody | None = None
    postback: Postback | None = None
    reaction: ReactionBody | None = None
    delivery: DeliveryBody | None = None
    read: ReadBody | None = None
    referral: dict[str, Any] | None = None


class Entry(_Model):
    id: str
    time: int | None = None
    messaging: list[dict[str, Any]] = Field(default_factory=list)
    standby: list[dict[str, Any]] = Field(default_factory=list)


class Webhook(_Model):
    object: str
    entry: list[Entry] = Field(default_factory=list)
