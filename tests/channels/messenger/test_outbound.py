"""Agents answering on Messenger: delivery jobs calling the fake Send API over real HTTP, the
24-hour window with the HUMAN_AGENT tag up to 7 days, Meta's errors, and delivery / read
watermarks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from tests.channels.messenger.conftest import PSID, MetaChannel, messages_of, run_jobs
from tests.fakes.messenger import messaging_webhook, receipt_event, text_event


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def customer_writes(channel: MetaChannel, clock: FrozenClock, text: str = "Hi!") -> str:
    """The customer writes in (now, by the clock); returns the conversation id, with the fake's
    record cleared."""
    event = text_event(channel.page, PSID, text, timestamp=_ms(clock.now()))
    assert (await channel.post(messaging_webhook(channel.page, event))).status_code == 200
    await run_jobs(channel.runtime)
    channel.graph.send_api_sent.clear()
    channel.graph.requests.clear()
    inbound = [
        m
        for m in await messages_of(channel.runtime, channel.channel_id)
        if m.direction == "inbound"
    ]
    return str(inbound[-1].conversation_id)


async def reply(channel: MetaChannel, conversation_id: str, **fields: Any) -> Any:
    body = {"client_message_id": uuid.uuid4().hex, **fields}
    async with channel.world.client("bob") as bob:
        return await bob.post(f"/api/v1/conversations/{conversation_id}/messages", json=body)


async def message(runtime: Runtime, message_id: str) -> Message:
    async with runtime.database.read_session() as db:
        return await db.get_one(Message, uuid.UUID(message_id))


def sent_bodies(channel: MetaChannel) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in s.items() if not k.startswith("_")} for s in channel.graph.send_api_sent
    ]


async def test_a_text_reply_goes_to_the_psid_as_a_response(
    messenger: MetaChannel, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await customer_writes(messenger, clock)
    sent = await reply(messenger, conversation, body="Size 42 is in stock.")
    assert sent.status_code == 201, sent.text
    await run_jobs(runtime)
    assert sent_bodies(messenger) == [
        {
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"text": "Size 42 is in stock."},
        }
    ]
    request = messenger.graph.requests[-1]
    assert request.path == f"/v25.0/{messenger.page.id}/messages"
    assert request.headers["authorization"] == f"Bearer {messenger.page.access_token}"
    stored = await message(runtime, sent.json()["id"])
    assert (stored.status, stored.provider_message_id) == (
        "sent",
        messenger.graph.send_api_sent[0]["_mid"],
    )


async def test_buttons_go_out_as_quick_replies(
    messenger: MetaChannel, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await customer_writes(messenger, clock)
    sent = await reply(
        messenger,
        conversation,
        body="Which colour?",
        interactive={
            "type": "buttons",
            "buttons": [{"id": "RED", "title": "Red"}, {"id": "BLUE", "title": "Blue"}],
        },
    )
    assert sent.status_code == 201, sent.text
    await run_jobs(runtime)
    assert sent_bodies(messenger)[0]["message"] == {
        "text": "Which colour?",
        "quick_replies": [
            {"content_type": "text", "title": "Red", "payload": "RED"},
            {"content_type": "text", "title": "Blue", "payload": "BLUE"},
        ],
    }


async def test_a_file_is_uploaded_with_the_send_and_the_text_goes_first(
    messenger: MetaChannel, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await customer_writes(messenger, clock)
    async with messenger.world.client("bob") as bob:
        uploaded = await bob.post(
            "/api/v1/attachments",
            files={"file": ("size-chart.pdf", b"%PDF-1.4 chart", "application/pdf")},
            data={"conversation_id": conversation},
        )
    assert uploaded.status_code == 201, uploaded.text
    sent = await reply(
        messenger, conversation, body="Here is the chart", attachment_ids=[uploaded.json()["id"]]
    )
    assert sent.status_code == 201, sent.text
    await run_jobs(runtime)
    text, document = messenger.graph.send_api_sent
    assert text["message"] == {"text": "Here is the chart"}
    assert document["message"] == {"attachment": {"type": "file", "payload": {"is_reusable": True}}}
    assert document["recipient"] == {"id": PSID}
    assert document["_file"]["data"] == b"%PDF-1.4 chart"
    stored = await message(runtime, sent.json()["id"])
    assert (stored.status, stored.provider_message_id) == ("sent", text["_mid"])


async def test_past_24_hours_a_human_agent_reply_carries_the_tag_until_7_days(
    messenger: MetaChannel, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await customer_writes(messenger, clock)
    clock.advance(hours=23, minutes=59)
    assert (await reply(messenger, conversation, body="inside")).status_code == 201
    clock.advance(minutes=2)
    tagged = await reply(messenger, conversation, body="a day later")
    assert tagged.status_code == 201, tagged.text
    await run_jobs(runtime)
    inside, late = sent_bodies(messenger)
    assert inside["messaging_type"] == "RESPONSE"
    assert "tag" not in inside
    assert (late["messaging_type"], late["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")
    async with messenger.world.client("bob") as bob:
        read = (await bob.get(f"/api/v1/conversations/{conversation}")).json()
    assert read["window_expires_at"].startswith("2026-01-12T09:00")
    clock.advance(days=6)  # 7 days and a minute after the customer wrote
    refused = await reply(messenger, conversation, body="a week later")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "window_closed"
    assert error["details"]["allowed_kinds"] == []
    # The customer writes again: the standard window opens again.
    await customer_writes(messenger, clock, "Still there?")
    again = await reply(messenger, conversation, body="Yes!")
    assert again.status_code == 201
    await run_jobs(runtime)
    assert sent_bodies(messenger)[-1]["messaging_type"] == "RESPONSE"


async def test_meta_s_errors_retry_wait_or_fail_with_its_message(
    messenger: MetaChannel, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await customer_writes(messenger, clock)
    messenger.graph.fail_next_send("server")
    retried = await reply(messenger, conversation, body="first")
    await run_jobs(runtime)
    clock.advance(minutes=5)
    await run_jobs(runtime)
    assert (await message(runtime, retried.json()["id"])).status == "sent"
    assert [b["message"]["text"] for b in sent_bodies(messenger)] == ["first"]

    messenger.graph.fail_next_send("rate_limit")
    waited = await reply(messenger, conversation, body="second")
    await run_jobs(runtime)
    assert (await message(runtime, waited.json()["id"])).status == "pending"
    clock.advance(minutes=2)
    await run_jobs(runtime)
    assert (await message(runtime, waited.json()["id"])).status == "sent"

    messenger.graph.fail_next_send("unavailable")
    failed = await reply(messenger, conversation, body="third")
    await run_jobs(runtime)
    stored = await message(runtime, failed.json()["id"])
    assert stored.status == "failed"
    assert stored.error is not None
    assert stored.error["message"] == "This person isn't available right now."


async def test_delivery_and_read_watermarks_apply_once_to_earlier_messages(
    messenger: MetaChannel, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await customer_writes(messenger, clock)
    first = await reply(messenger, conversation, body="one")
    await run_jobs(runtime)
    clock.advance(minutes=1)
    mark = clock.now()
    clock.advance(minutes=1)
    later = await reply(messenger, conversation, body="two")
    await run_jobs(runtime)
    page = messenger.page
    delivered = receipt_event(page, PSID, "delivery", _ms(mark))
    for _ in range(2):  # a redelivery changes nothing
        assert (await messenger.post(messaging_webhook(page, delivered))).status_code == 200
    assert (await message(runtime, first.json()["id"])).status == "delivered"
    assert (await message(runtime, later.json()["id"])).status == "sent"
    read = receipt_event(page, PSID, "read", _ms(clock.now()))
    assert (await messenger.post(messaging_webhook(page, read))).status_code == 200
    assert (await message(runtime, first.json()["id"])).status == "read"
    assert (await message(runtime, later.json()["id"])).status == "read"
    # A late delivery watermark does not take "read" back.
    late = receipt_event(page, PSID, "delivery", _ms(clock.now()))
    assert (await messenger.post(messaging_webhook(page, late))).status_code == 200
    assert (await message(runtime, later.json()["id"])).status == "read"


async def test_a_delivery_naming_mids_marks_those_messages(
    messenger: MetaChannel, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await customer_writes(messenger, clock)
    sent = await reply(messenger, conversation, body="one")
    await run_jobs(runtime)
    mid = messenger.graph.send_api_sent[0]["_mid"]
    event = receipt_event(messenger.page, PSID, "delivery", 0, mids=[mid])
    event["delivery"].pop("watermark")
    assert (await messenger.post(messaging_webhook(messenger.page, event))).status_code == 200
    assert (await message(runtime, sent.json()["id"])).status == "delivered"


async def test_the_connection_test_asks_meta_about_the_page(messenger: MetaChannel) -> None:
    async with messenger.world.client("alice") as alice:
        ok = await alice.post(f"/api/v1/channels/{messenger.channel_id}/messenger/test")
    assert ok.status_code == 200
    assert ok.json() == {
        "ok": True,
        "account_id": messenger.page.id,
        "name": "Acme Shoes",
        "error": None,
    }
    messenger.page.access_token = "revoked"
    async with messenger.world.client("alice") as alice:
        bad = await alice.post(f"/api/v1/channels/{messenger.channel_id}/messenger/test")
        as_agent = await messenger.world.client("bob").__aenter__()
        denied = await as_agent.post(f"/api/v1/channels/{messenger.channel_id}/messenger/test")
        await as_agent.aclose()
    assert bad.json()["ok"] is False
    assert bad.json()["error"]["code"] == "190"
    assert denied.status_code == 403
