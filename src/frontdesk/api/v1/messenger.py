"""Messenger set-up of a channel (owners and managers): what to paste in Meta's console and a
connection test. Credentials are sealed with the channel and never returned."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep
from frontdesk.channels.messenger.flavor import MESSENGER, Flavor
from frontdesk.channels.messenger.setup import (
    MetaConnectionCheck,
    MetaMessagingSetup,
    check_connection,
    setup_info,
)
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import access_channel
from frontdesk.core.errors import NotFound
from frontdesk.core.runtime import Runtime

router = APIRouter()


def of_flavor(flavor: Flavor, channel: Channel) -> Channel:
    if channel.type != flavor.channel_type:
        raise NotFound(f"{flavor.label} channel")
    return channel


def opened_secrets(runtime: Runtime, channel: Channel) -> dict[str, Any]:
    return runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}


@router.get("/{channel_id}/messenger")
async def read_messenger_setup(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> MetaMessagingSetup:
    """The webhook URL and verify token to paste in Meta's console; which credentials are set."""
    actor.require_admin()
    channel = of_flavor(MESSENGER, await access_channel(db, actor, channel_id))
    secrets = opened_secrets(runtime, channel)
    return setup_info(MESSENGER, channel, secrets, runtime.secrets, runtime.public_url)


@router.post("/{channel_id}/messenger/test")
async def test_messenger_connection(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> MetaConnectionCheck:
    """Ask Meta about the Page with the stored token; `ok` false says what Meta answered."""
    actor.require_admin()
    channel = of_flavor(MESSENGER, await access_channel(db, actor, channel_id))
    secrets = opened_secrets(runtime, channel)
    return await check_connection(MESSENGER, channel, secrets, runtime.provider_urls)
