"""REST API v1: setting up API channels and reading their delivery log (owners and managers).

The inbound token and the signing secret are shown only in the answer that made them
(creation or rotation); reads say whether each is set.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, RuntimeDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.channels.api_channel import setup
from frontdesk.channels.api_channel.setup import (
    ApiChannelCallback,
    ApiChannelCreate,
    ApiChannelCredentials,
    ApiChannelInfo,
    ApiChannelRotate,
)
from frontdesk.core.channels.api_callbacks import ApiCallbackRead, list_callbacks, retry_now

router = APIRouter()


@router.post("/api", status_code=201, responses=error_responses(409))
async def create_api_channel(
    data: ApiChannelCreate, actor: ActorDep, runtime: RuntimeDep
) -> ApiChannelCredentials:
    """Create an API channel: its inbound token and signing secret are in this answer only.
    A callback URL on a private or local address is refused (422) unless the server allows it."""
    return await setup.create_api_channel(runtime, actor, data)


@router.get("/{channel_id}/api")
async def read_api_channel(
    channel_id: uuid.UUID, actor: ActorDep, runtime: RuntimeDep
) -> ApiChannelInfo:
    """The channel's inbound URL and callback URL, and whether its credentials are set."""
    return await setup.api_channel_info(runtime, actor, channel_id)


@router.put("/{channel_id}/api/callback")
async def set_api_callback(
    channel_id: uuid.UUID, data: ApiChannelCallback, actor: ActorDep, runtime: RuntimeDep
) -> ApiChannelInfo:
    """Change where replies are POSTed (checked like at creation)."""
    return await setup.set_callback_url(runtime, actor, channel_id, data)


@router.post("/{channel_id}/api/rotate")
async def rotate_api_credential(
    channel_id: uuid.UUID, data: ApiChannelRotate, actor: ActorDep, runtime: RuntimeDep
) -> ApiChannelCredentials:
    """A new inbound token or signing secret, shown once; the old one stops working at once."""
    return await setup.rotate_credential(runtime, actor, channel_id, data)


@router.get("/{channel_id}/api/deliveries")
async def list_api_deliveries(
    channel_id: uuid.UUID,
    actor: ActorDep,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ApiCallbackRead]:
    """The newest callbacks first: attempts, status codes, next retry and outcome."""
    await setup.api_channel_info(runtime, actor, channel_id)  # admins of this workspace only
    async with runtime.uow() as uow:
        return await list_callbacks(uow, actor, channel_id, limit)


@router.post("/{channel_id}/api/deliveries/{callback_id}/retry", responses=error_responses(409))
async def retry_api_delivery(
    channel_id: uuid.UUID, callback_id: uuid.UUID, actor: ActorDep, runtime: RuntimeDep
) -> ApiCallbackRead:
    """Attempt a waiting or failed callback now (a failed one gets a fresh round of attempts,
    and its message is pending again); 409 if it was delivered."""
    await setup.api_channel_info(runtime, actor, channel_id)
    async with runtime.uow() as uow:
        read = await retry_now(uow, actor, channel_id, callback_id)
        await uow.commit()
    return read
