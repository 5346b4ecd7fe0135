"""The `deliver_message` job: hand a pending reply to its channel's provider."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

from frontdesk.channels.outbound import (
    Delivery,
    PermanentProviderError,
    RateLimitedByProvider,
    TemporaryProviderError,
    part_count,
)
from frontdesk.channels.spec import spec_for
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.conversations.delivery import (
    SEND_UNCONFIRMED,
    has_earlier_pending,
    load_outgoing,
    mark_send_started,
    record_delivery,
    record_sent_part,
)
from frontdesk.core.conversations.models import DeliveryStatus
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.registry import RetryJobLater
from frontdesk.observability.metrics import SEND_BUDGET_WAITS

log = logging.getLogger("frontdesk.jobs.delivery")
# How long a delivery waits for an earlier message of its conversation to go first.
ORDER_WAIT_SECONDS = 2.0
UNCONFIRMED = (
    "Sending stopped before the provider's answer was recorded (Frontdesk was restarted or "
    "lost its database mid-send), so the message may or may not have reached the customer. "
    "It was not sent again, to never send it twice: check with the customer before retrying. "
    "If the provider later reports it delivered, the message shows that by itself."
)


async def _fail(runtime: Runtime, message_id: uuid.UUID, code: str, text: str) -> None:
    async with runtime.uow() as uow:
        await record_delivery(
            uow, message_id, DeliveryStatus.FAILED, error={"code": code, "message": text}
        )
        await uow.commit()


async def deliver_message(runtime: Runtime, payload: dict[str, Any]) -> None:
    message_id = uuid.UUID(payload["message_id"])
    async with runtime.uow() as uow:
        outgoing = await load_outgoing(uow, message_id)
        if outgoing is None or outgoing.status != DeliveryStatus.PENDING:
            return  # already handled: a retried job is a no-op
        if await has_earlier_pending(uow, outgoing):
            # Keep the conversation's order: this one goes after the one still on its way.
            raise RetryJobLater(ORDER_WAIT_SECONDS, "an earlier message is still being sent")
        channel = await uow.session.get_one(Channel, outgoing.channel_id)
        recipient = await uow.session.scalar(
            select(ContactIdentity.provider_id).where(
                ContactIdentity.contact_id == outgoing.contact_id,
                ContactIdentity.channel_id == outgoing.channel_id,
            )
        )
        uow.session.expunge(channel)  # keep its loaded state once the read transaction ends
    spec = spec_for(channel.type)
    if outgoing.send_started_at is not None and not (spec is not None and spec.idempotent_sends):
        # An attempt was cut short after it began handing the message over: the provider may
        # have it. Without an idempotency key sending again could send it twice; the agent
        # sees why it stopped instead.
        await _fail(runtime, message_id, SEND_UNCONFIRMED, UNCONFIRMED)
        return
    send = spec.sender if spec is not None else None
    if send is None or not channel.is_active:
        await _fail(
            runtime,
            message_id,
            "channel_not_connected",
            f"The {channel.type} channel {channel.name!r} is not connected to a provider, "
            "so the message was not sent.",
        )
        return
    if recipient is None:
        await _fail(runtime, message_id, "no_recipient", "The contact has no id on this channel.")
        return
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    delivery = Delivery(
        channel,
        secrets,
        outgoing,
        recipient,
        provider_urls=runtime.provider_urls,
        public_url=runtime.public_url,
        read_attachment=attachment_reader(runtime, outgoing.workspace_id),
        sent_parts=outgoing.sent_parts,
        record_part=part_recorder(runtime, message_id),
        unit_of_work=runtime.uow,
        secret_box=runtime.secrets,
    )
    await charge_budget(runtime, delivery)
    await _mark_started(runtime, message_id, True)
    try:
        provider_id = await send(delivery)
    except RateLimitedByProvider as exc:
        await _mark_started(runtime, message_id, False)
        raise RetryJobLater(exc.retry_after, exc.message) from exc
    except PermanentProviderError as exc:
        await _fail(runtime, message_id, exc.code, exc.message)
        return
    except TemporaryProviderError:
        await _mark_started(runtime, message_id, False)
        raise  # the runner retries with backoff
    async with runtime.uow() as uow:
        await record_delivery(uow, message_id, DeliveryStatus.SENT, provider_message_id=provider_id)
        await uow.commit()


async def _mark_started(runtime: Runtime, message_id: uuid.UUID, started: bool) -> None:
    async with runtime.uow() as uow:
        await mark_send_started(uow, message_id, started)
        await uow.commit()


async def charge_budget(runtime: Runtime, delivery: Delivery) -> None:
    """Take this send from its number's, Page's, bot's and chat's budgets, or wait for room."""
    spec = spec_for(delivery.channel.type)
    limits = spec.send_limits if spec is not None else None
    if limits is None:
        return
    cost = max(1, part_count(delivery.outgoing) - len(delivery.sent_parts))
    wait = await runtime.send_budget.take(limits(delivery), cost)
    if wait > 0:
        SEND_BUDGET_WAITS.labels(delivery.channel.type).inc()
        raise RetryJobLater(max(wait, 0.05), "waiting for room under the provider's rate limit")


def part_recorder(runtime: Runtime, message_id: uuid.UUID) -> Callable[[int, str], Awaitable[None]]:
    async def record(number: int, provider_id: str) -> None:
        async with runtime.uow() as uow:
            await record_sent_part(uow, message_id, number, provider_id)
            await uow.commit()

    return record


def attachment_reader(
    runtime: Runtime, workspace_id: uuid.UUID
) -> Callable[[str], Awaitable[tuple[bytes, str, str]]]:
    """Reads a file of the workspace for adapters that upload files to their provider."""

    async def read(attachment_id: str) -> tuple[bytes, str, str]:
        async with runtime.database.read_session() as db:
            attachment = await db.scalar(
                select(Attachment).where(
                    Attachment.id == uuid.UUID(attachment_id),
                    Attachment.workspace_id == workspace_id,
                )
            )
        if attachment is None or runtime.storage is None:
            raise PermanentProviderError("file_missing", "the file of this message is gone")
        data = await runtime.storage.get(attachment.storage_key)
        return data, attachment.content_type, attachment.name

    return read


async def give_up_delivery(runtime: Runtime, payload: dict[str, Any], error: str) -> None:
    """Retries ran out: show the agent that the message failed, and why."""
    message_id = uuid.UUID(payload["message_id"])
    async with runtime.uow() as uow:
        outgoing = await load_outgoing(uow, message_id)
        if outgoing is None or outgoing.status != DeliveryStatus.PENDING:
            return
    await _fail(runtime, message_id, "delivery_failed", f"The provider kept failing: {error}")
