"""REST API v1: channels. Credentials are write-only and never returned."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.channels.removal import channel_removed, removed_channel
from frontdesk.core.channels import actions
from frontdesk.core.channels.queries import access_channel, get_channel_read, list_channels
from frontdesk.core.channels.schemas import ChannelCreate, ChannelRead, ChannelUpdate

router = APIRouter()


@router.get("")
async def read_channels(
    actor: ActorDep, db: ReaderDep, type: str | None = None
) -> list[ChannelRead]:
    """Every channel of the workspace (optionally of one type); any member may list them."""
    return await list_channels(db, actor, type_=type)


@router.post("", status_code=201, responses=error_responses(409))
async def create_channel(
    data: ChannelCreate, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> ChannelRead:
    read = await actions.create_channel(uow, actor, runtime.secrets, data)
    await uow.commit()
    return read


@router.get("/{channel_id}")
async def read_channel(channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep) -> ChannelRead:
    return await get_channel_read(db, await access_channel(db, actor, channel_id))


@router.patch("/{channel_id}", responses=error_responses(409))
async def update_channel(
    channel_id: uuid.UUID, data: ChannelUpdate, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> ChannelRead:
    """Settings are merged (null removes a key); `secrets`, when sent, replaces all of them."""
    channel = await access_channel(uow.session, actor, channel_id, for_update=True)
    read = await actions.update_channel(uow, actor, runtime.secrets, channel, data)
    await uow.commit()
    return read


@router.delete("/{channel_id}", status_code=204, responses=error_responses(409))
async def delete_channel(
    channel_id: uuid.UUID, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> None:
    """Delete a channel without conversations; one with conversations answers 409: deactivate
    it instead (PATCH `is_active: false`) so its history stays. Once deleted, the provider is
    told where it can be (Telegram: the bot's webhook is deleted); if that fails, the channel
    stays deleted and the failure is logged."""
    channel = await access_channel(uow.session, actor, channel_id, for_update=True)
    removed = removed_channel(channel, runtime.secrets)
    await actions.delete_channel(uow, actor, channel)
    await uow.commit()
    await channel_removed(removed, runtime.provider_urls)
