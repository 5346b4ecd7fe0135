"""Outbound adapters: how each channel type hands a message to its provider.

An adapter returns the provider's message id or raises one of the errors below, which the
delivery job turns into a retry (temporary), a wait (rate limited) or a failure shown to the
agent (permanent).

A message may go out as several provider messages (a text, then each file). Each part is sent
through `Delivery.part`, which records it as it goes: a retry after a failure half-way sends
only what is left, never a part twice. Before sending, the job charges the channel's limits
(its spec's `send_limits`: per number, Page, bot, chat) to the shared send budget. Each
provider's sender is its spec's `sender` (`channels/spec.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.delivery import Outgoing
from frontdesk.core.security import SecretBox
from frontdesk.core.sendbudget import Allowance
from frontdesk.db.uow import UnitOfWork


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
    # Where providers reach this Frontdesk (status callback URLs are built on it).
    public_url: str = ""
    # Reads a file of the message (an attachment id) for adapters that upload it.
    read_attachment: Callable[[str], Awaitable[tuple[bytes, str, str]]] | None = None
    # Parts of this message an earlier attempt already sent (part number -> provider id), and
    # how to record one more as it is sent.
    sent_parts: Mapping[int, str] = field(default_factory=dict)
    record_part: Callable[[int, str], Awaitable[None]] | None = None
    # Opens a unit of work, for senders that keep their own log of attempts (the API channel).
    unit_of_work: Callable[[], UnitOfWork] | None = None
    # Signs links to the message's files, for senders that hand out URLs (the API channel).
    secret_box: SecretBox | None = None

    async def part(self, number: int, send: Callable[[], Awaitable[str]]) -> str:
        """Send part `number` unless an earlier attempt did; its provider id either way."""
        done = self.sent_parts.get(number)
        if done is not None:
            return done
        provider_id = await send()
        if self.record_part is not None:
            await self.record_part(number, provider_id)
        return provider_id


def part_count(outgoing: Outgoing) -> int:
    """How many provider messages a message needs at most: its text, then one per file."""
    return max(1, len(outgoing.attachments) + (1 if outgoing.body.strip() else 0))


Sender = Callable[[Delivery], Awaitable[str]]
# The provider limits one send of a channel counts against.
SendLimits = Callable[[Delivery], list[Allowance]]
