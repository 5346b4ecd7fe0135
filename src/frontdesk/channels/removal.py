"""Telling a provider that a channel was deleted, so it stops sending to Frontdesk.

A provider's hook is its spec's `removal_hook` (`channels/spec.py`; Telegram deletes its bot's
webhook). The API deletes the channel first and, once that is committed,
calls `channel_removed` with what it took from the channel beforehand: the provider is called
outside any transaction, and a provider that fails or cannot be reached is logged, never
keeping the channel.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from frontdesk.core.channels.models import Channel
from frontdesk.core.security import SecretBox

log = logging.getLogger("frontdesk.channels.removal")


@dataclass(frozen=True)
class RemovedChannel:
    """A deleted channel as its provider hook needs it (the row itself is gone)."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    type: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    secrets: Mapping[str, Any] = field(default_factory=dict)


# What to tell the provider (with the provider URLs of the runtime).
RemovalHook = Callable[[RemovedChannel, Mapping[str, str]], Awaitable[None]]


def removed_channel(channel: Channel, box: SecretBox) -> RemovedChannel:
    """What the hook will need, taken before the channel is deleted."""
    secrets: dict[str, Any] = {}
    if channel.secrets_encrypted:
        try:
            secrets = box.open(channel.secrets_encrypted)
        except ValueError:  # sealed with another secret key: nothing to tell the provider with
            log.warning(
                "%s channel %s: its credentials cannot be decrypted", channel.type, channel.id
            )
    return RemovedChannel(
        id=channel.id,
        workspace_id=channel.workspace_id,
        type=channel.type,
        settings=dict(channel.settings or {}),
        secrets=secrets,
    )


async def channel_removed(removed: RemovedChannel, provider_urls: Mapping[str, str]) -> None:
    """Run the channel type's hook, if any; a failure is logged, not raised."""
    from frontdesk.channels.spec import spec_for  # the spec module imports this one

    spec = spec_for(removed.type)
    hook = spec.removal_hook if spec is not None else None
    if hook is None:
        return
    try:
        await hook(removed, provider_urls)
    except Exception:
        log.warning(
            "%s channel %s was deleted, but its provider could not be told",
            removed.type,
            removed.id,
            exc_info=True,
        )
