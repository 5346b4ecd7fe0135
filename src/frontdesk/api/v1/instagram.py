"""Instagram set-up of a channel (owners and managers): what to paste in Meta's console and a
connection test. Credentials are sealed with the channel and never returned."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep
from frontdesk.api.v1.messenger import of_flavor, opened_secrets
from frontdesk.channels.instagram.flavor import INSTAGRAM
from frontdesk.channels.messenger.setup import (
    MetaConnectionCheck,
    MetaMessagingSetup,
    check_connection,
    setup_info,
)
from frontdesk.core.channels.queries import access_channel

router = APIRouter()


@router.get("/{channel_id}/instagram")
async def read_instagram_setup(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> MetaMessagingSetup:
    """The webhook URL and verify token to paste in Meta's console; which credentials are set."""
    actor.require_admin()
    channel = of_flavor(INSTAGRAM, await access_channel(db, actor, channel_id))
    secrets = opened_secrets(runtime, channel)
    return setup_info(INSTAGRAM, channel, secrets, runtime.secrets, runtime.public_url)


@router.post("/{channel_id}/instagram/test")
async def test_instagram_connection(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> MetaConnectionCheck:
    """Ask Meta about the account with the stored token; `ok` false says what Meta answered."""
    actor.require_admin()
    channel = of_flavor(INSTAGRAM, await access_channel(db, actor, channel_id))
    secrets = opened_secrets(runtime, channel)
    return await check_connection(INSTAGRAM, channel, secrets, runtime.provider_urls)
