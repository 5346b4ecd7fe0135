"""Outbound delivery through the real job runner, with a provider played by a test sender."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from frontdesk.channels.outbound import (
    Delivery,
    PermanentProviderError,
    RateLimitedByProvider,
    TemporaryProviderError,
)
from frontdesk.channels.spec import register, spec_for
from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.conftest import Published, World


@dataclass
class Provider:
    """Answers each send with the next scripted outcome: an id, or an error to raise."""

    script: list[str | BaseException] = field(default_factory=list)
    received: list[Delivery] = field(default_factory=list)

    async def send(self, delivery: Delivery) -> str:
        self.received.append(delivery)
        outcome = self.script.pop(0) if self.script else "prov-ok"
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


class ProcessDied(BaseException):
    """The process stops here: nothing after this point of the job runs, its lease stays."""


@pytest.fixture
def provider() -> Iterator[Provider]:
    fake = Provider()
    real = spec_for("whatsapp")
    assert real is not None
    register(dataclasses.replace(real, sender=fake.send))
    yield fake
    register(real)  # the WhatsApp spec's own sender


async def send_reply(world: World, body: str = "Hello Erin") -> str:
    conversation = world.acme.conversations["erin_support"]
    async with world.client("bob") as bob:
        r = await bob.post(
            f"/api/v1/conversations/{conversation.id}/messages",
            json={"body": body, "client_message_id": uuid.uuid4().hex},
        )
    assert r.status_code == 201
    return str(r.json()["id"])


async def message(runtime: Runtime, message_id: str) -> Message:
    async with runtime.database.read_session() as db:
        return await db.get_one(Message, uuid.UUID(message_id))


async def pending_jobs(runtime: Runtime) -> list[Job]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(Job)))


def runner(runtime: Runtime) -> JobRunner:
    return JobRunner(runtime, build_registry(), worker_id="test")


async def test_a_reply_reaches_the_provider_once_and_is_marked_sent(
    world: World, runtime: Runtime, provider: Provider, published: Published
) -> None:
    provider.script = ["wamid.ABC"]
    message_id = await send_reply(world)
    assert await runner(runtime).run_once() == 1
    stored = await message(runtime, message_id)
    assert stored.status == "sent"
    assert stored.provider_message_id == "wamid.ABC"
    assert len(provider.received) == 1
    delivery = provider.received[0]
    assert delivery.recipient == "60123456789"
    assert delivery.outgoing.body == "Hello Erin"
    assert published.types()[-1] == "message.updated"
    assert await pending_jobs(runtime) == []
    assert await runner(runtime).run_once() == 0


async def test_temporary_failures_are_retried_then_sent(
    world: World, runtime: Runtime, provider: Provider, clock: FrozenClock
) -> None:
    provider.script = [TemporaryProviderError("http_503", "try again"), "wamid.LATER"]
    message_id = await send_reply(world)
    await runner(runtime).run_once()
    assert (await message(runtime, message_id)).status == "pending"
    clock.advance(minutes=1)
    await runner(runtime).run_once()
    assert (await message(runtime, message_id)).status == "sent"
    assert len(provider.received) == 2


async def test_rate_limits_wait_for_the_provider_s_retry_after(
    world: World, runtime: Runtime, provider: Provider, clock: FrozenClock
) -> None:
    provider.script = [RateLimitedByProvider(120), "wamid.OK"]
    await send_reply(world)
    await runner(runtime).run_once()
    clock.advance(seconds=119)
    assert await runner(runtime).run_once() == 0
    clock.advance(seconds=2)
    assert await runner(runtime).run_once() == 1
    assert len(provider.received) == 2


async def test_a_permanent_error_fails_the_message_with_the_provider_s_reason(
    world: World, runtime: Runtime, provider: Provider
) -> None:
    provider.script = [PermanentProviderError("131047", "more than 24 hours since the last reply")]
    message_id = await send_reply(world)
    await runner(runtime).run_once()
    stored = await message(runtime, message_id)
    assert stored.status == "failed"
    assert stored.error == {"code": "131047", "message": "more than 24 hours since the last reply"}
    assert await pending_jobs(runtime) == []


async def test_when_retries_run_out_the_message_shows_as_failed(
    world: World, runtime: Runtime, provider: Provider, clock: FrozenClock
) -> None:
    provider.script = [TemporaryProviderError("http_500", "down")] * 20
    message_id = await send_reply(world)
    for _ in range(8):
        await runner(runtime).run_once()
        clock.advance(hours=2)
    stored = await message(runtime, message_id)
    assert stored.status == "failed"
    assert stored.error is not None
    assert stored.error["code"] == "delivery_failed"
    jobs = await pending_jobs(runtime)
    assert [j.status for j in jobs] == ["dead"]
    assert len(provider.received) == 8


async def died_mid_send_then_rescued(world: World, runtime: Runtime, clock: FrozenClock) -> str:
    """A reply the provider takes while the process sending it dies before recording the
    answer; then another worker runs the job once the lease has run out."""
    message_id = await send_reply(world)
    with pytest.raises(ProcessDied):
        await runner(runtime).run_once()
    assert (await message(runtime, message_id)).status == "pending"
    clock.advance(seconds=61)
    assert await runner(runtime).run_once() == 1
    return message_id


async def test_a_send_cut_short_after_the_provider_took_it_is_never_sent_twice(
    world: World, runtime: Runtime, provider: Provider, clock: FrozenClock
) -> None:
    provider.script = [ProcessDied(), "wamid.SECOND"]
    message_id = await died_mid_send_then_rescued(world, runtime, clock)
    # The message may already be with the customer: it is shown as not confirmed instead of
    # being sent again.
    stored = await message(runtime, message_id)
    assert stored.status == "failed"
    assert stored.error is not None
    assert stored.error["code"] == "send_unconfirmed"
    assert len(provider.received) == 1
    assert await pending_jobs(runtime) == []


async def test_a_provider_that_dedupes_repeated_sends_simply_gets_it_again(
    world: World, runtime: Runtime, provider: Provider, clock: FrozenClock
) -> None:
    real = spec_for("whatsapp")
    assert real is not None
    register(dataclasses.replace(real, sender=provider.send, idempotent_sends=True))
    provider.script = [ProcessDied(), "wamid.SAME"]
    message_id = await died_mid_send_then_rescued(world, runtime, clock)
    stored = await message(runtime, message_id)
    assert (stored.status, stored.provider_message_id) == ("sent", "wamid.SAME")
    assert len(provider.received) == 2


async def test_a_send_the_provider_refused_leaves_no_doubt_behind(
    world: World, runtime: Runtime, provider: Provider, clock: FrozenClock
) -> None:
    provider.script = [RateLimitedByProvider(1), TemporaryProviderError("http_502", "gateway")]
    message_id = await send_reply(world)
    for _ in range(3):
        await runner(runtime).run_once()
        clock.advance(minutes=1)
    stored = await message(runtime, message_id)
    assert stored.status == "sent"
    assert stored.send_started_at is not None  # the last attempt's, answered
    assert len(provider.received) == 3
