"""Outbound adapters: how each channel type hands a message to its provider.

An adapter returns the provider's message id or raises one of the errors below, which the
delivery job turns into a retry (temporary), a wait (rate limited) or a failure shown to the
agent (permanent).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.delivery import Outgoing


class ProviderError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class TemporaryProviderError(ProviderError):
    """Worth retrying later (a 5xx, a timeout)."""


class RateLimitedByProvider(TemporaryProviderError):
    def __init__(self, retry_after: float, message: str = "rate limited by the provider") -> None:
        super().__init__("rate_limited", message)
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    """Retrying cannot help (a bad number, an expired window, revoked credentials)."""


@dataclass(frozen=True)
class Delivery:
    channel: Channel
    secrets: dict[str, Any]
    outgoing: Outgoing
    recipient: str
    # Base URLs of provider APIs by name ("meta_graph", "telegram"), from the settings, so
    # tests and the demo can point them at local fakes.
    provider_urls: Mapping[str, str] = field(default_factory=dict)
    # Reads a file of the message (an attachment id) for adapters that upload it.
    read_attachment: Callable[[str], Awaitable[tuple[bytes, str, str]]] | None = None


Sender = Callable[[Delivery], Awaitable[str]]

# Filled by each provider package as it is connected.
SENDERS: dict[str, Sender] = {}


def sender_for(channel_type: str) -> Sender | None:
    return SENDERS.get(channel_type)
