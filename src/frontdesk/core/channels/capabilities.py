"""What a channel type can do, as core reads it: the reply window, read receipts, profile
lookups, interactive limits and media rules.

Core never imports the channel packages. Each provider's spec (`channels/spec.py`) declares its
capabilities here when the channels are installed (`channels.registry.install_channels`, called
where the app and the worker start); core asks `capabilities_of(channel_type)`. A type nobody
declared has none of them: no window, no receipts to send, no buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from frontdesk.core.channels.choices import ChoiceLimits


@dataclass(frozen=True)
class ReplyWindow:
    """How long after a customer's last message free-form replies may go (`seconds`); past
    it only a template may. A channel may let a human agent answer for longer
    (`human_agent_seconds`), such replies carrying `human_agent_tag`."""

    seconds: int
    human_agent_seconds: int | None = None
    human_agent_tag: str | None = None

    @property
    def standard(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    @property
    def human_agent(self) -> timedelta | None:
        if self.human_agent_seconds is None:
            return None
        return timedelta(seconds=self.human_agent_seconds)


@dataclass(frozen=True)
class MediaRules:
    """The files a channel carries: the largest of each kind the provider takes (bytes, by
    kind: image, video, audio, document, sticker...; a kind missing has no stated limit), and
    whether a file can carry the message's text as its caption."""

    max_bytes: Mapping[str, int] = field(default_factory=dict)
    caption_on_file: bool = True


@dataclass(frozen=True)
class Capabilities:
    reply_window: ReplyWindow | None = None
    # The provider is told when an agent has read the customer's messages.
    read_receipts: bool = False
    # A sender's name or picture is asked of the provider after their first message.
    profile_lookup: bool = False
    # What a reply with buttons or a list may hold; None: the channel cannot send one.
    choice_limits: ChoiceLimits | None = None
    media: MediaRules = field(default_factory=MediaRules)


NO_CAPABILITIES = Capabilities()

_declared: dict[str, Capabilities] = {}


def declare(channel_type: str, capabilities: Capabilities) -> None:
    """Say what `channel_type` can do (again: the newer declaration replaces the older)."""
    _declared[channel_type] = capabilities


def withdraw(channel_type: str) -> None:
    """Forget a declaration (a test that declares a type of its own takes it back)."""
    _declared.pop(channel_type, None)


def capabilities_of(channel_type: str | None) -> Capabilities:
    if channel_type is None:
        return NO_CAPABILITIES
    return _declared.get(channel_type, NO_CAPABILITIES)


def declared() -> Mapping[str, Capabilities]:
    return MappingProxyType(_declared)
