"""One spec per channel provider: what it can do, and the adapters that do it.

A provider is one `ChannelSpec`: its capabilities (reply window, read receipts, profile lookups,
interactive limits, media rules), which core reads through `core.channels.capabilities`, and
its adapters (sender and send limits, media fetcher, read-receipt sender, profile fetcher,
removal hook, set-up hook, inbound recorder), which the jobs and the API read through
`spec_for(channel_type)`. Nothing registers itself when imported: `channels.registry.
install_channels()` registers the built-in specs where the app and the worker start, and a new
provider adds its spec there (`docs/subsystems/channel-specs.md`).

    from frontdesk.channels.spec import ChannelSpec, register, spec_for
    from frontdesk.core.channels.capabilities import Capabilities, ReplyWindow

    SMS = ChannelSpec(
        type="sms",
        capabilities=Capabilities(media=MediaRules(max_bytes={"image": 5 * 1024 * 1024})),
        sender=send_sms,              # async (Delivery) -> provider message id
        send_limits=sms_limits,       # (Delivery) -> [Allowance, ...]
        media_fetcher=fetch_sms_media,
    )
    register(SMS)                     # in channels/registry.py install_channels()
    spec_for("sms").sender            # what the delivery job calls
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from frontdesk.channels.common import MediaFetcher, ProfileFetcher, ReadReceiptSender
from frontdesk.channels.outbound import Sender, SendLimits
from frontdesk.channels.removal import RemovalHook
from frontdesk.core.channels.capabilities import (
    Capabilities,
    MediaRules,
    ReplyWindow,
    declare,
    withdraw,
)
from frontdesk.core.channels.models import Channel
from frontdesk.core.security import SecretBox

__all__ = [
    "Capabilities",
    "ChannelSpec",
    "MediaRules",
    "ReplyWindow",
    "SetupHook",
    "register",
    "registered",
    "spec_for",
    "unregister",
]

# What to show an admin connecting a channel (webhook URL, verify token...): the channel, its
# decrypted credentials, the secret box, the public URL of this Frontdesk.
SetupHook = Callable[[Channel, Mapping[str, Any], SecretBox, str], Any]
# Records one authentic webhook body of the provider in a unit of work; each provider's
# arguments differ (a workspace and its accounts, or a channel): the webhook route knows them.
InboundRecorder = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class ChannelSpec:
    """Everything Frontdesk knows of one channel type. Every adapter is optional: a channel
    without a sender cannot reply, one without a media fetcher keeps its files at the provider.
    """

    type: str
    capabilities: Capabilities = field(default_factory=Capabilities)
    # Replies: hand one message to the provider, and the limits each send counts against.
    sender: Sender | None = None
    send_limits: SendLimits | None = None
    # The provider recognises a repeated send of one message (an idempotency key), so a send
    # cut short may simply be made again (otherwise it is left unconfirmed: jobs/delivery.py).
    idempotent_sends: bool = False
    # Jobs: fetch an inbound file, tell the provider a message was read, ask who a sender is.
    media_fetcher: MediaFetcher | None = None
    read_receipt_sender: ReadReceiptSender | None = None
    profile_fetcher: ProfileFetcher | None = None
    # Tell the provider a channel was deleted (after the delete committed).
    removal_hook: RemovalHook | None = None
    # Set-up: what to paste in the provider's console.
    setup: SetupHook | None = None
    # Inbound: the provider's webhook recorder, and the setting naming the provider's account a
    # webhook entry is routed by (phone_number_id, page_id, account_id), if any.
    inbound: InboundRecorder | None = None
    account_setting: str | None = None


_specs: dict[str, ChannelSpec] = {}


def register(spec: ChannelSpec) -> None:
    """Make `spec` the one of its type and declare its capabilities to core.

    Registering again replaces the earlier spec: calling it twice with the same spec is
    harmless, which is what lets `install_channels` run wherever a process starts.
    """
    _specs[spec.type] = spec
    declare(spec.type, spec.capabilities)


def unregister(channel_type: str) -> None:
    """Take a type away (tests that register a spec of their own put things back with it)."""
    _specs.pop(channel_type, None)
    withdraw(channel_type)


def spec_for(channel_type: str) -> ChannelSpec | None:
    return _specs.get(channel_type)


def registered() -> Mapping[str, ChannelSpec]:
    return MappingProxyType(_specs)
