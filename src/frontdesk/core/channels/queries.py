"""Reads about channels. Credentials never leave core: reads carry only `has_secrets`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.channels.choices import CHOICE_LIMITS
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.schemas import ChannelRead
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import NotFound
from frontdesk.core.workspaces.client_reads import client_channels


def channel_read(channel: Channel) -> ChannelRead:
    return ChannelRead(
        id=channel.id,
        type=channel.type,
        name=channel.name,
        settings=dict(channel.settings or {}),
        has_secrets=bool(channel.secrets_encrypted),
        team_id=channel.team_id,
        is_active=channel.is_active,
        created_at=channel.created_at,
        updated_at=channel.updated_at,
        choice_limits=CHOICE_LIMITS.get(channel.type),
    )


async def access_channel(
    db: AsyncSession, actor: Actor, channel_id: uuid.UUID, *, for_update: bool = False
) -> Channel:
    """The channel if it belongs to the actor's workspace; otherwise "not found"."""
    query = select(Channel).where(
        Channel.id == channel_id, Channel.workspace_id == actor.workspace_id
    )
    if for_update and db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    channel = await db.scalar(query)
    if channel is None:
        raise NotFound("channel")
    return channel


async def list_channels(
    db: AsyncSession, actor: Actor, *, type_: str | None = None
) -> list[ChannelRead]:
    """Every channel of the workspace by name (one query); any member may list them."""
    query = (
        select(Channel)
        .where(Channel.workspace_id == actor.workspace_id)
        .order_by(Channel.name, Channel.id)
    )
    if type_ is not None:
        query = query.where(Channel.type == type_)
    if actor.client_scope is not None:  # a client viewer: its client's channels only
        query = query.where(client_channels(actor.client_scope))
    rows = (await db.execute(query.add_columns(_last_activity()))).all()
    return [channel_read(c).model_copy(update={"last_activity_at": at}) for c, at in rows]


def _last_activity() -> ScalarSelect[datetime]:
    """The latest activity of a channel's conversations (an index seek per channel)."""
    return (
        select(func.max(Conversation.last_activity_at))
        .where(Conversation.channel_id == Channel.id)
        .correlate(Channel)
        .scalar_subquery()
    )


async def get_channel_read(db: AsyncSession, channel: Channel) -> ChannelRead:
    at = await db.scalar(
        select(func.max(Conversation.last_activity_at)).where(
            Conversation.workspace_id == channel.workspace_id,
            Conversation.channel_id == channel.id,
        )
    )
    return channel_read(channel).model_copy(update={"last_activity_at": at})


async def count_channel_conversations(db: AsyncSession, channel: Channel) -> int:
    count = await db.scalar(
        select(func.count()).where(
            Conversation.workspace_id == channel.workspace_id,
            Conversation.channel_id == channel.id,
        )
    )
    return int(count or 0)


async def active_channels_of_type(
    db: AsyncSession, workspace_id: uuid.UUID, type_: str
) -> list[Channel]:
    """The workspace's active channels of one type (provider webhooks route among them)."""
    query = select(Channel).where(
        Channel.workspace_id == workspace_id, Channel.type == type_, Channel.is_active.is_(True)
    )
    return list(await db.scalars(query))


async def active_channels_of_app(
    db: AsyncSession, app_id: str, types: Sequence[str]
) -> list[Channel]:
    """The active channels, in every workspace, that say they belong to the provider app
    `app_id` (`settings.app_id`): the one place channels are read across workspaces, because
    a Meta app has one webhook URL for all of them. Each is routed to its own workspace, and
    only after the app's signature is verified with that channel's own app secret."""
    query = select(Channel).where(
        Channel.type.in_(list(types)),
        Channel.is_active.is_(True),
        Channel.settings["app_id"].as_string() == app_id,
    )
    return list(await db.scalars(query.order_by(Channel.created_at, Channel.id)))
