"""Replies through the real delivery job to the fake Bot API over HTTP: text, quotes, buttons,
files, and Telegram's errors (429 retry_after with order kept: F8; 5xx; 403 blocked)."""

from __future__ import annotations

import io
import logging
import uuid
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from tests.channels.telegram.conftest import (
    Connected,
    Telegram,
    connect_bot,
    fixture,
    messages_of,
    run_jobs,
)
from tests.conftest import World

CHAT = 12345678  # the customer of the message_text fixture


async def customer_wrote(connected: Connected, runtime: Runtime) -> Message:
    """The customer's first message, with routing's own notices already sent and forgotten."""
    assert (await connected.post(fixture("message_text"))).status_code == 200
    await run_jobs(runtime)
    connected.fake.calls.clear()
    connected.fake.sent.clear()
    [message] = await messages_of(runtime, connected.channel_id)
    return message


async def reply(world: World, conversation_id: uuid.UUID, **body: Any) -> dict[str, Any]:
    body.setdefault("client_message_id", uuid.uuid4().hex)
    async with world.client("alice") as alice:
        r = await alice.post(f"/api/v1/conversations/{conversation_id}/messages", json=body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def stored(runtime: Runtime, message_id: str) -> Message:
    async with runtime.database.read_session() as db:
        return await db.get_one(Message, uuid.UUID(message_id))


async def upload(
    world: World, conversation_id: uuid.UUID, name: str, data: bytes, kind: str
) -> str:
    async with world.client("alice") as alice:
        r = await alice.post(
            "/api/v1/attachments",
            files={"file": (name, data, kind)},
            data={"conversation_id": str(conversation_id)},
        )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def image(kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 10), "teal").save(out, format=kind)
    return out.getvalue()


async def test_a_reply_goes_out_with_sendmessage_and_is_marked_sent(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    sent = await reply(world, inbound.conversation_id, body="Hello! <b>not bold</b>")
    await run_jobs(runtime)

    [call] = connected.fake.calls_of("sendMessage")
    assert call.token == connected.bot.token
    assert call.params == {"chat_id": str(CHAT), "text": "Hello! <b>not bold</b>"}
    message = await stored(runtime, sent["id"])
    assert message.status == "sent"
    assert message.provider_message_id == f"{CHAT}:{connected.fake.sent[0]['message_id']}"


async def test_a_quoted_message_becomes_reply_parameters(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    await reply(
        world, inbound.conversation_id, body="Yes, it is", reply_to_message_id=str(inbound.id)
    )
    await run_jobs(runtime)
    [call] = connected.fake.calls_of("sendMessage")
    assert call.params["reply_parameters"] == {
        "message_id": 11223,
        "allow_sending_without_reply": True,
    }


async def test_buttons_become_an_inline_keyboard_and_a_press_comes_back_as_the_choice(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    long_id = "slot:" + "x" * 80  # past Telegram's 64 bytes of callback_data
    await reply(
        world,
        inbound.conversation_id,
        body="When can you come in?",
        interactive={
            "type": "buttons",
            "buttons": [{"id": "slot:mon", "title": "Monday"}, {"id": long_id, "title": "Later"}],
        },
    )
    await run_jobs(runtime)
    [call] = connected.fake.calls_of("sendMessage")
    [row] = call.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in row] == ["Monday", "Later"]
    assert row[0]["callback_data"] == "slot:mon"
    assert len(row[1]["callback_data"].encode()) <= 64

    # The customer presses "Later": Telegram sends back the message with its keyboard.
    ours = connected.fake.sent[0]
    press = fixture("callback_query")
    press["callback_query"]["message"] = {**ours, "chat": {"id": CHAT, "type": "private"}}
    press["callback_query"]["from"]["id"] = CHAT
    press["callback_query"]["data"] = row[1]["callback_data"]
    assert (await connected.post(press)).status_code == 200
    choice = next(
        m for m in await messages_of(runtime, connected.channel_id) if m.kind == "interactive_reply"
    )
    assert choice.payload is not None
    assert choice.payload["choice"]["id"] == long_id
    assert choice.body == "Later"
    assert choice.conversation_id == inbound.conversation_id


async def test_a_list_becomes_one_button_per_row(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    await reply(
        world,
        inbound.conversation_id,
        body="Which role?",
        interactive={
            "type": "list",
            "button_label": "Roles",
            "sections": [
                {"title": "Tech", "rows": [{"id": "dev", "title": "Developer"}]},
                {"title": "Ops", "rows": [{"id": "ops", "title": "Operator"}]},
            ],
        },
    )
    await run_jobs(runtime)
    [call] = connected.fake.calls_of("sendMessage")
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Developer", "callback_data": "dev"}],
            [{"text": "Operator", "callback_data": "ops"}],
        ]
    }


async def test_an_image_goes_with_sendphoto_and_the_text_as_caption(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    data = image("PNG")
    file_id = await upload(world, inbound.conversation_id, "map.png", data, "image/png")
    sent = await reply(
        world, inbound.conversation_id, body="Here is the map", attachment_ids=[file_id]
    )
    await run_jobs(runtime)
    assert connected.fake.calls_of("sendMessage") == []
    [call] = connected.fake.calls_of("sendPhoto")
    assert call.params == {"chat_id": str(CHAT), "caption": "Here is the map"}
    assert call.files["photo"] == ("map.png", data, "image/png")
    assert (await stored(runtime, sent["id"])).status == "sent"


async def test_a_pdf_goes_with_senddocument_and_a_long_text_goes_first_on_its_own(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    file_id = await upload(world, inbound.conversation_id, "offer.pdf", pdf, "application/pdf")
    text = "Dear candidate, " + "details " * 200  # past the 1,024 characters of a caption
    await reply(
        world,
        inbound.conversation_id,
        body=text,
        attachment_ids=[file_id],
        reply_to_message_id=str(inbound.id),
    )
    await run_jobs(runtime)
    assert [c.method for c in connected.fake.calls] == ["sendMessage", "sendDocument"]
    first, document = connected.fake.calls
    assert first.params["text"] == text.strip()
    assert first.params["reply_parameters"]["message_id"] == 11223
    assert "caption" not in document.params
    assert "reply_parameters" not in document.params
    assert document.files["document"] == ("offer.pdf", pdf, "application/pdf")


async def test_rate_limits_wait_for_retry_after_and_keep_the_order(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    """F8: Telegram's 429 is waited out, and the replies after it do not overtake it."""
    inbound = await customer_wrote(connected, runtime)
    connected.fake.throttle("sendMessage", retry_after=30)
    ids = []
    for text in ("first", "second", "third"):
        ids.append((await reply(world, inbound.conversation_id, body=text))["id"])
        clock.advance(seconds=1)
    await run_jobs(runtime)
    assert [c.params["text"] for c in connected.fake.calls_of("sendMessage")] == ["first"]
    assert connected.fake.sent == []
    assert [(await stored(runtime, i)).status for i in ids] == ["pending"] * 3
    async with runtime.database.read_session() as db:
        first_job = await db.scalar(
            select(Job).where(
                Job.kind == "deliver_message", Job.payload["message_id"].as_string() == ids[0]
            )
        )
    assert first_job is not None
    assert first_job.attempts == 0  # waiting out a rate limit uses up no retry
    assert (first_job.run_at - clock.now()).total_seconds() == pytest.approx(30)

    clock.advance(seconds=20)  # still inside retry_after: nothing goes out
    await run_jobs(runtime)
    assert connected.fake.sent == []

    clock.advance(seconds=15)
    for _ in range(4):  # the later ones wait for the first, then follow it
        await run_jobs(runtime)
        clock.advance(seconds=3)
    assert [m["text"] for m in connected.fake.sent] == ["first", "second", "third"]
    assert [(await stored(runtime, i)).status for i in ids] == ["sent"] * 3


async def test_a_throttled_bot_does_not_hold_up_another_workspace(
    connected: Connected, runtime: Runtime, world: World, telegram: Telegram
) -> None:
    other = await connect_bot(world, telegram, name="oscar")
    inbound = await customer_wrote(connected, runtime)
    update = fixture("message_text")
    update["message"]["chat"]["id"] = update["message"]["from"]["id"] = 5550001
    assert (await other.post(update)).status_code == 200
    [theirs] = await messages_of(runtime, other.channel_id)
    await run_jobs(runtime)
    connected.fake.sent.clear()

    connected.fake.throttle("sendMessage", retry_after=60, times=5, bot=connected.bot)
    await reply(world, inbound.conversation_id, body="to acme's customer")
    async with world.client("oscar") as oscar:
        r = await oscar.post(
            f"/api/v1/conversations/{theirs.conversation_id}/messages",
            json={"body": "to other's customer", "client_message_id": "o-1"},
        )
    assert r.status_code == 201
    await run_jobs(runtime)
    assert [m["text"] for m in connected.fake.sent] == ["to other's customer"]


async def test_server_errors_are_retried_then_sent(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    inbound = await customer_wrote(connected, runtime)
    connected.fake.fail("sendMessage", 502, "Bad Gateway", times=2)
    sent = await reply(world, inbound.conversation_id, body="hello again")
    await run_jobs(runtime)
    assert (await stored(runtime, sent["id"])).status == "pending"
    for _ in range(3):
        clock.advance(minutes=1)
        await run_jobs(runtime)
    assert len(connected.fake.calls_of("sendMessage")) == 3
    message = await stored(runtime, sent["id"])
    assert message.status == "sent"
    assert message.error is None


async def test_an_unreachable_bot_api_is_retried(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    inbound = await customer_wrote(connected, runtime)
    url = runtime.provider_urls["telegram"]
    runtime.provider_urls["telegram"] = "http://127.0.0.1:9"  # nothing listens there
    sent = await reply(world, inbound.conversation_id, body="are you there?")
    await run_jobs(runtime)
    async with runtime.database.read_session() as db:
        job = await db.scalar(select(Job).where(Job.kind == "deliver_message"))
    assert job is not None
    assert job.status == "pending"
    assert job.last_error is not None
    assert "telegram_unreachable" in job.last_error
    runtime.provider_urls["telegram"] = url
    clock.advance(minutes=1)
    await run_jobs(runtime)
    assert (await stored(runtime, sent["id"])).status == "sent"


async def test_a_customer_who_blocked_the_bot_fails_the_reply_with_telegram_s_words(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    connected.fake.block(CHAT)
    sent = await reply(world, inbound.conversation_id, body="still interested?")
    await run_jobs(runtime)
    message = await stored(runtime, sent["id"])
    assert message.status == "failed"
    assert message.error is not None
    assert message.error["code"] == "telegram_403"
    assert message.error["message"].startswith("Forbidden: bot was blocked by the user")
    assert len(connected.fake.calls_of("sendMessage")) == 1  # not retried
    async with runtime.database.read_session() as db:
        assert list(await db.scalars(select(Job).where(Job.kind == "deliver_message"))) == []


async def test_a_bad_request_fails_the_reply_at_once(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    connected.fake.fail("sendMessage", 400, "Bad Request: chat not found")
    sent = await reply(world, inbound.conversation_id, body="hi")
    await run_jobs(runtime)
    message = await stored(runtime, sent["id"])
    assert message.status == "failed"
    assert message.error == {"code": "telegram_400", "message": "Bad Request: chat not found"}


async def test_a_revoked_token_says_to_reconnect(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    inbound = await customer_wrote(connected, runtime)
    connected.fake.bots.pop(connected.bot.token)  # /revoke in BotFather
    sent = await reply(world, inbound.conversation_id, body="hi")
    await run_jobs(runtime)
    message = await stored(runtime, sent["id"])
    assert message.status == "failed"
    assert message.error is not None
    assert message.error["code"] == "telegram_401"
    assert "reconnect the bot" in message.error["message"]


async def test_the_bot_token_never_reaches_the_logs(
    connected: Connected, runtime: Runtime, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    inbound = await customer_wrote(connected, runtime)
    connected.fake.fail("sendMessage", 500, "Internal Server Error")
    await reply(world, inbound.conversation_id, body="logged?")
    await run_jobs(runtime)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/bot<token>/sendMessage" in text  # httpx logged the call, scrubbed
    secret = connected.bot.token.split(":", 1)[1]
    assert secret not in text
    async with runtime.database.read_session() as db:
        errors = [j.last_error or "" for j in await db.scalars(select(Job))]
    assert all(secret not in e for e in errors)


async def test_a_retry_after_the_file_failed_does_not_send_the_text_again(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    inbound = await customer_wrote(connected, runtime)
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    file_id = await upload(world, inbound.conversation_id, "offer.pdf", pdf, "application/pdf")
    text = "Our offer, in full: " + "terms " * 200  # too long for a caption: sent on its own
    connected.fake.fail("sendDocument", 502, "Bad Gateway")
    sent = await reply(world, inbound.conversation_id, body=text, attachment_ids=[file_id])
    await run_jobs(runtime)
    assert (await stored(runtime, sent["id"])).status == "pending"
    for _ in range(3):
        clock.advance(minutes=1)
        await run_jobs(runtime)
    # The text once; the file twice (refused, then sent).
    methods = [c.method for c in connected.fake.calls]
    assert methods == ["sendMessage", "sendDocument", "sendDocument"]
    message = await stored(runtime, sent["id"])
    assert message.status == "sent"
    assert message.provider_message_id == f"{CHAT}:{connected.fake.sent[0]['message_id']}"


async def test_one_chat_gets_at_most_a_short_burst_then_one_message_a_second(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    inbound = await customer_wrote(connected, runtime)
    clock.advance(seconds=10)
    for n in range(5):
        await reply(world, inbound.conversation_id, body=f"part {n}")
    await run_jobs(runtime)
    assert [m["text"] for m in connected.fake.sent] == ["part 0", "part 1", "part 2"]
    assert connected.fake.calls_of("sendMessage")[3:] == []  # waited, not refused by Telegram
    for _ in range(4):
        clock.advance(seconds=1)
        await run_jobs(runtime)
    assert [m["text"] for m in connected.fake.sent] == [f"part {n}" for n in range(5)]
