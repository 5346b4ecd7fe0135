"""The parts of the Telegram Bot API's objects that Frontdesk reads.

Every model ignores fields it does not name (the Bot API adds fields often) and every field
Telegram may leave out is optional, so an update from 2017 and one from today parse alike.
An update of a kind not listed in `UPDATE_KINDS` still parses: its kind is kept, its body raw.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# The update kinds Frontdesk asks for in setWebhook's `allowed_updates`.
UPDATE_KINDS = ("message", "edited_message", "callback_query", "message_reaction")


class TelegramObject(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class User(TelegramObject):
    id: int
    is_bot: bool = False
    first_name: str = ""
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p).strip()


class Chat(TelegramObject):
    id: int
    type: str = "private"
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class File(TelegramObject):
    """Any downloadable file: PhotoSize, Document, Voice, Audio, Video, VideoNote, Sticker."""

    file_id: str
    file_unique_id: str | None = None
    file_size: int | None = None
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None


class Location(TelegramObject):
    latitude: float
    longitude: float
    horizontal_accuracy: float | None = None


class Venue(TelegramObject):
    location: Location
    title: str = ""
    address: str = ""


class Contact(TelegramObject):
    phone_number: str
    first_name: str = ""
    last_name: str | None = None
    user_id: int | None = None
    vcard: str | None = None


class Message(TelegramObject):
    message_id: int
    from_user: User | None = Field(default=None, alias="from")
    chat: Chat
    date: int
    edit_date: int | None = None
    text: str | None = None
    caption: str | None = None
    reply_to_message: Message | None = None
    photo: list[File] | None = None
    document: File | None = None
    voice: File | None = None
    audio: File | None = None
    video: File | None = None
    video_note: File | None = None
    sticker: File | None = None
    animation: File | None = None
    location: Location | None = None
    venue: Venue | None = None
    contact: Contact | None = None
    reply_markup: dict[str, Any] | None = None
    migrate_to_chat_id: int | None = None

    @property
    def key(self) -> str:
        """A message id is unique per chat only: the key is (chat id, message id)."""
        return message_key(self.chat.id, self.message_id)


class CallbackQuery(TelegramObject):
    id: str
    from_user: User = Field(alias="from")
    message: Message | None = None
    chat_instance: str | None = None
    data: str | None = None


class ReactionType(TelegramObject):
    type: str
    emoji: str | None = None
    custom_emoji_id: str | None = None


class MessageReactionUpdated(TelegramObject):
    chat: Chat
    message_id: int
    user: User | None = None
    date: int
    old_reaction: list[ReactionType] = Field(default_factory=list)
    new_reaction: list[ReactionType] = Field(default_factory=list)


class Update(TelegramObject):
    """One webhook body. Exactly one optional field besides `update_id` is set."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    update_id: int
    message: Message | None = None
    edited_message: Message | None = None
    callback_query: CallbackQuery | None = None
    message_reaction: MessageReactionUpdated | None = None

    @property
    def kind(self) -> str:
        """The name of the update's payload field (`message`, `poll`, ...), or `unknown`."""
        for name in UPDATE_KINDS:
            if getattr(self, name) is not None:
                return name
        return next(iter(self.model_extra or {}), "unknown")


def message_key(chat_id: int, message_id: int) -> str:
    return f"{chat_id}:{message_id}"


def split_key(key: str) -> tuple[int, int] | None:
    """(chat id, message id) of a `message_key`, or None for anything else."""
    chat, _, message = key.partition(":")
    try:
        return int(chat), int(message)
    except ValueError:
        return None


# Bot API objects returned by methods.


class BotUser(TelegramObject):
    id: int
    is_bot: bool
    first_name: str = ""
    username: str = ""


class RemoteFile(TelegramObject):
    file_id: str
    file_unique_id: str | None = None
    file_size: int | None = None
    file_path: str | None = None


class SentMessage(TelegramObject):
    message_id: int
    chat: Chat
