"""A send cut short after WhatsApp took the message: never sent twice, and Meta's status
reports (which echo the message id given with the send) settle whether it went out."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from tests.channels.whatsapp.conftest import WhatsApp, messages_of, run_jobs, runner
from tests.fakes.meta import status_webhook, text_webhook

CUSTOMER = "5511987654321"
LEASE = 60  # the job runner's lease, in seconds


async def _wait_for(condition: Any, what: str, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def _cut_short_reply(whatsapp: WhatsApp, runtime: Runtime) -> uuid.UUID:
    """A reply WhatsApp takes while the process sending it stops before hearing the answer."""
    body = text_webhook(whatsapp.number, CUSTOMER, "Carla", "Is it open?", wamid="wamid.in-1")
    assert (await whatsapp.post(body)).status_code == 200
    await run_jobs(runtime)
    whatsapp.graph.sent.clear()
    [conversation] = {m.conversation_id for m in await messages_of(runtime, whatsapp.channel_id)}
    async with whatsapp.world.client("bob") as bob:
        r = await bob.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"body": "It is!", "client_message_id": uuid.uuid4().hex},
        )
    assert r.status_code == 201, r.text
    whatsapp.graph.answer_gate = asyncio.Event()
    whatsapp.graph.next_wamids.append("wamid.taken")
    sending = asyncio.create_task(runner(runtime).run_once())
    await _wait_for(lambda: whatsapp.graph.sent, "WhatsApp to take the message")
    sending.cancel()  # the process stops here: no answer recorded, the job's lease kept
    await asyncio.gather(sending, return_exceptions=True)
    whatsapp.graph.answer_gate.set()
    whatsapp.graph.answer_gate = None
    return uuid.UUID(r.json()["id"])


async def _message(runtime: Runtime, message_id: uuid.UUID) -> Message:
    async with runtime.database.read_session() as db:
        return await db.get_one(Message, message_id)


async def test_a_report_after_the_rescue_shows_where_the_message_really_is(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    message_id = await _cut_short_reply(whatsapp, runtime)
    [taken] = whatsapp.graph.sent
    assert taken["biz_opaque_callback_data"] == str(message_id)
    # Once the lease has run out another worker takes the job: it does not send again.
    clock.advance(seconds=LEASE + 1)
    await run_jobs(runtime)
    doubtful = await _message(runtime, message_id)
    assert doubtful.status == "failed"
    assert (doubtful.error or {}).get("code") == "send_unconfirmed"
    assert len(whatsapp.graph.sent) == 1
    # Meta reports the message delivered, echoing our id: the doubt is settled.
    report = status_webhook(
        whatsapp.number, "wamid.taken", "delivered", CUSTOMER, callback_data=str(message_id)
    )
    assert (await whatsapp.post(report)).status_code == 200
    settled = await _message(runtime, message_id)
    assert (settled.status, settled.provider_message_id, settled.error) == (
        "delivered",
        "wamid.taken",
        None,
    )
    # Later reports follow as for any message.
    read = status_webhook(whatsapp.number, "wamid.taken", "read", CUSTOMER)
    assert (await whatsapp.post(read)).status_code == 200
    assert (await _message(runtime, message_id)).status == "read"


async def test_a_report_before_the_rescue_waits_and_then_settles_the_message(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    message_id = await _cut_short_reply(whatsapp, runtime)
    # The status comes within seconds, while the message is still pending: it is parked.
    report = status_webhook(
        whatsapp.number, "wamid.taken", "sent", CUSTOMER, callback_data=str(message_id)
    )
    assert (await whatsapp.post(report)).status_code == 200
    assert (await _message(runtime, message_id)).status == "pending"
    clock.advance(seconds=LEASE + 1)
    await run_jobs(runtime)  # the rescue marks it unconfirmed; the parked report then settles it
    clock.advance(seconds=31)
    await run_jobs(runtime)
    settled = await _message(runtime, message_id)
    assert (settled.status, settled.provider_message_id) == ("sent", "wamid.taken")
    assert len(whatsapp.graph.sent) == 1


async def test_an_echo_naming_another_message_settles_nothing(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    message_id = await _cut_short_reply(whatsapp, runtime)
    clock.advance(seconds=LEASE + 1)
    await run_jobs(runtime)
    for echoed in (str(uuid.uuid4()), "campaign-7", ""):
        report = status_webhook(
            whatsapp.number, f"wamid.other-{echoed}", "delivered", CUSTOMER, callback_data=echoed
        )
        assert (await whatsapp.post(report)).status_code == 200
    still = await _message(runtime, message_id)
    assert (still.status, still.provider_message_id) == ("failed", None)
