"""Setting up an API channel: its callback URL, its inbound token and its signing secret.

Both credentials are made here and shown once: the inbound token (the integrator's bearer
token for posting messages in) is kept only as a SHA-256 hash, the signing secret (`whsec_...`,
which the integrator needs to verify callbacks) sealed with the other channel secrets. Either
can be rotated; the old one stops working at once.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.channels.addresses import blocked_reason
from frontdesk.channels.api_channel import API
from frontdesk.channels.api_channel.outbound import CALLBACK_SETTING, SECRET_NAME, allow_private
from frontdesk.channels.api_channel.signature import (
    new_inbound_token,
    new_signing_secret,
    token_hash,
)
from frontdesk.core.actor import Actor
from frontdesk.core.channels import actions
from frontdesk.core.channels.api_events import EVENTS_SETTING
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import access_channel, channel_read
from frontdesk.core.channels.schemas import ChannelCreate, ChannelRead, ChannelUpdate
from frontdesk.core.errors import Invalid
from frontdesk.core.runtime import Runtime
from frontdesk.core.schemas import Input

TOKEN_HASH_NAME = "inbound_token_sha256"  # noqa: S105 - the name of a secret
INBOUND_PATH = "/api/channels/v1/{channel_id}/messages"


class ApiChannelCreate(Input):
    name: str = Field(min_length=1, max_length=120)
    callback_url: str = Field(
        min_length=8, max_length=1000, description="Where agents' replies are POSTed, signed."
    )
    team_id: uuid.UUID | None = None
    conversation_events: bool = Field(
        default=False, description="Also POST conversation.closed and conversation.assigned."
    )


class ApiChannelCallback(Input):
    callback_url: str = Field(min_length=8, max_length=1000)
    conversation_events: bool | None = Field(
        default=None, description="Whether closes and assignments are POSTed too (null: unchanged)."
    )


class ApiChannelRotate(Input):
    credential: Literal["inbound_token", "signing_secret"]


class ApiChannelInfo(BaseModel):
    channel: ChannelRead
    inbound_url: str = Field(description="POST customers' messages here.")
    callback_url: str | None
    conversation_events: bool
    has_inbound_token: bool
    has_signing_secret: bool


class ApiChannelCredentials(ApiChannelInfo):
    """Shown once: neither is ever returned again (rotate to get new ones)."""

    inbound_token: str | None = None
    signing_secret: str | None = None


def inbound_url(public_url: str, channel_id: uuid.UUID) -> str:
    return public_url.rstrip("/") + INBOUND_PATH.format(channel_id=channel_id)


async def check_callback_url(url: str) -> None:
    reason = await blocked_reason(url, allow_private=allow_private())
    if reason:
        raise Invalid(f"This callback URL cannot be used: {reason}", field="callback_url")


def _info(runtime: Runtime, channel: Channel, read: ChannelRead) -> ApiChannelInfo:
    stored = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    return ApiChannelInfo(
        channel=read,
        inbound_url=inbound_url(runtime.public_url, channel.id),
        callback_url=(channel.settings or {}).get(CALLBACK_SETTING),
        conversation_events=(channel.settings or {}).get(EVENTS_SETTING) is True,
        has_inbound_token=bool(stored.get(TOKEN_HASH_NAME)),
        has_signing_secret=bool(stored.get(SECRET_NAME)),
    )


async def create_api_channel(
    runtime: Runtime, actor: Actor, data: ApiChannelCreate
) -> ApiChannelCredentials:
    actor.require_admin()
    await check_callback_url(data.callback_url)
    token, secret = new_inbound_token(), new_signing_secret()
    async with runtime.uow() as uow:
        read = await actions.create_channel(
            uow,
            actor,
            runtime.secrets,
            ChannelCreate(
                type=API,
                name=data.name,
                settings={
                    CALLBACK_SETTING: data.callback_url,
                    EVENTS_SETTING: data.conversation_events,
                },
                secrets={TOKEN_HASH_NAME: token_hash(token), SECRET_NAME: secret},
                team_id=data.team_id,
            ),
        )
        await uow.commit()
    return ApiChannelCredentials(
        channel=read,
        inbound_url=inbound_url(runtime.public_url, read.id),
        callback_url=data.callback_url,
        conversation_events=data.conversation_events,
        has_inbound_token=True,
        has_signing_secret=True,
        inbound_token=token,
        signing_secret=secret,
    )


async def _api_channel(runtime: Runtime, actor: Actor, channel_id: uuid.UUID) -> Channel:
    async with runtime.database.read_session() as db:
        channel = await access_channel(db, actor, channel_id)
    if channel.type != API:
        raise Invalid("this is not an API channel", field="channel_id")
    return channel


async def api_channel_info(runtime: Runtime, actor: Actor, channel_id: uuid.UUID) -> ApiChannelInfo:
    actor.require_admin()
    channel = await _api_channel(runtime, actor, channel_id)
    return _info(runtime, channel, channel_read(channel))


async def set_callback_url(
    runtime: Runtime, actor: Actor, channel_id: uuid.UUID, data: ApiChannelCallback
) -> ApiChannelInfo:
    actor.require_admin()
    await _api_channel(runtime, actor, channel_id)
    await check_callback_url(data.callback_url)
    settings: dict[str, object] = {CALLBACK_SETTING: data.callback_url}
    if data.conversation_events is not None:
        settings[EVENTS_SETTING] = data.conversation_events
    async with runtime.uow() as uow:
        current = await access_channel(uow.session, actor, channel_id, for_update=True)
        read = await actions.update_channel(
            uow,
            actor,
            runtime.secrets,
            current,
            ChannelUpdate(settings=settings),
        )
        info = _info(runtime, current, read)
        await uow.commit()
    return info


async def rotate_credential(
    runtime: Runtime, actor: Actor, channel_id: uuid.UUID, data: ApiChannelRotate
) -> ApiChannelCredentials:
    """A new inbound token or signing secret, shown once; the old one stops working now."""
    actor.require_admin()
    await _api_channel(runtime, actor, channel_id)
    token = new_inbound_token() if data.credential == "inbound_token" else None
    secret = new_signing_secret() if data.credential == "signing_secret" else None
    async with runtime.uow() as uow:
        current = await access_channel(uow.session, actor, channel_id, for_update=True)
        stored = (
            runtime.secrets.open(current.secrets_encrypted) if current.secrets_encrypted else {}
        )
        if token is not None:
            stored[TOKEN_HASH_NAME] = token_hash(token)
        if secret is not None:
            stored[SECRET_NAME] = secret
        read = await actions.update_channel(
            uow, actor, runtime.secrets, current, ChannelUpdate(secrets=stored)
        )
        info = _info(runtime, current, read)
        await uow.commit()
    return ApiChannelCredentials(**info.model_dump(), inbound_token=token, signing_secret=secret)
