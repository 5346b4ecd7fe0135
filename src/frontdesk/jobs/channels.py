"""Channel jobs: fetching files customers sent, read receipts, and parked status reports."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.channels.common import (
    FETCH_MEDIA_JOB,
    MediaRequest,
    ReadReceipt,
)
from frontdesk.channels.outbound import (
    PermanentProviderError,
    RateLimitedByProvider,
    TemporaryProviderError,
)
from frontdesk.channels.spec import spec_for
from frontdesk.core.attachments.actions import ContactUploader, store_attachment
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.delivery import SEND_READ_RECEIPT_JOB
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.conversations.receipts import (
    PARKED_RETRY_SECONDS,
    RETRY_PARKED_JOB,
    retry_parked_receipt,
)
from frontdesk.core.conversations.updates import settle_inbound_media
from frontdesk.core.errors import DomainError
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.registry import RetryJobLater

log = logging.getLogger("frontdesk.jobs.channels")

__all__ = ["FETCH_MEDIA_JOB", "RETRY_PARKED_JOB", "SEND_READ_RECEIPT_JOB"]


async def _settle_failed(runtime: Runtime, message_id: uuid.UUID, index: int, why: str) -> None:
    async with runtime.uow() as uow:
        if await settle_inbound_media(uow, message_id, index, error=why):
            await uow.commit()


async def fetch_inbound_media(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Fetch one file of a customer's message from the provider and attach it."""
    message_id, index = uuid.UUID(payload["message_id"]), int(payload["index"])
    async with runtime.uow() as uow:
        message = await uow.session.get(Message, message_id)
        media = list((message.payload or {}).get("media", [])) if message else []
        if (
            message is None
            or not 0 <= index < len(media)
            or media[index].get("status") != "pending"
        ):
            return  # gone, or already settled by an earlier run
        channel = await uow.session.get_one(Channel, message.channel_id)
        contact_id = await uow.session.scalar(
            select(Conversation.contact_id).where(Conversation.id == message.conversation_id)
        )
        if contact_id is None:
            return
        uow.session.expunge(channel)
    spec = spec_for(channel.type)
    fetch = spec.media_fetcher if spec is not None else None
    if fetch is None or runtime.storage is None:
        await _settle_failed(runtime, message_id, index, "this channel cannot fetch files")
        return
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    request = MediaRequest(
        channel=channel,
        secrets=secrets,
        media=media[index],
        provider_urls=runtime.provider_urls,
        max_bytes=runtime.attachments_max_bytes,
        unit_of_work=runtime.uow,
    )
    try:
        fetched = await fetch(request)
    except RateLimitedByProvider as exc:
        raise RetryJobLater(exc.retry_after, exc.message) from exc
    except PermanentProviderError as exc:
        await _settle_failed(runtime, message_id, index, exc.message)
        return
    except TemporaryProviderError:
        raise  # retried with backoff; given up in `give_up_media`
    async with runtime.uow() as uow:
        try:
            attachment = await store_attachment(
                uow,
                runtime.storage,
                ContactUploader(workspace_id=channel.workspace_id, contact_id=contact_id),
                workspace_id=channel.workspace_id,
                name=fetched.name,
                declared_type=fetched.content_type,
                data=fetched.data,
                max_bytes=runtime.attachments_max_bytes,
            )
        except DomainError as exc:  # a type or size the product does not keep
            await uow.rollback()
            await _settle_failed(runtime, message_id, index, exc.message)
            return
        if await settle_inbound_media(uow, message_id, index, attachment=attachment):
            await uow.commit()


async def give_up_media(runtime: Runtime, payload: dict[str, Any], error: str) -> None:
    await _settle_failed(
        runtime, uuid.UUID(payload["message_id"]), int(payload["index"]), f"not fetched: {error}"
    )


async def send_read_receipt(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Tell the provider an agent has read the customer's messages up to this one."""
    async with runtime.uow() as uow:
        message = await uow.session.get(Message, uuid.UUID(payload["message_id"]))
        if message is None or not message.provider_message_id:
            return
        channel = await uow.session.get_one(Channel, message.channel_id)
        uow.session.expunge(channel)
        provider_message_id = message.provider_message_id
    spec = spec_for(channel.type)
    send = spec.read_receipt_sender if spec is not None else None
    if send is None or not channel.is_active:
        return
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    try:
        await send(ReadReceipt(channel, secrets, provider_message_id, runtime.provider_urls))
    except RateLimitedByProvider as exc:
        raise RetryJobLater(exc.retry_after, exc.message) from exc
    except PermanentProviderError as exc:
        # A receipt is a courtesy: a refused one is logged, never shown as a failure.
        log.warning("read receipt for message %s refused: %s", payload["message_id"], exc)


async def retry_parked(runtime: Runtime, payload: dict[str, Any]) -> None:
    """A status report that came before its message: apply it now, or wait a little more."""
    async with runtime.uow() as uow:
        outcome = await retry_parked_receipt(uow, uuid.UUID(payload["receipt_id"]))
        if outcome:
            await uow.commit()
    if outcome is False:
        raise RetryJobLater(
            PARKED_RETRY_SECONDS, "the message of this status report is not known yet"
        )
