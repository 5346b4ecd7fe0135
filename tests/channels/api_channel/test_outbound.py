"""Agents' replies as signed callbacks to the fake integrator: Standard Webhooks signatures,
retries with backoff on 503, a receiver that keeps failing, and "retry now" from the log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import datetime
from typing import Any

from frontdesk.channels.api_channel.signature import sign, verify
from frontdesk.core.channels.api_callbacks import MAX_ATTEMPTS, backoff_seconds
from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from tests.channels.api_channel.conftest import Connected, messages_of, run_jobs
from tests.conftest import World

# The example published with the Standard Webhooks specification.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_signatures_match_the_specifications_example() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    headers = {
        "webhook-id": SPEC_ID,
        "webhook-timestamp": str(SPEC_TIMESTAMP),
        "webhook-signature": f"v1,bm90LXRoaXMtb25l {SPEC_SIGNATURE}",
    }
    assert verify(SPEC_SECRET, headers, SPEC_BODY, SPEC_TIMESTAMP + 10)
    assert not verify(SPEC_SECRET, headers, SPEC_BODY + b" ", SPEC_TIMESTAMP)
    assert not verify(SPEC_SECRET, headers, SPEC_BODY, SPEC_TIMESTAMP + 600)  # too old
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert backoff_seconds(30) == 3600


def spec_check(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check written from the spec alone, not with the product's code."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return f"v1,{expected}" in headers["webhook-signature"].split()


async def customer_wrote(connected: Connected, runtime: Runtime) -> Message:
    r = await connected.post(
        {"customer": {"external_id": "cand-7", "name": "Linh Tran"}, "text": "Xin chào"}, "k-1"
    )
    assert r.status_code == 201, r.text
    await run_jobs(runtime)
    connected.fake.received.clear()
    [message] = await messages_of(runtime, connected.channel_id)
    return message


async def reply(
    world: World, conversation_id: uuid.UUID, body: str, files: list[str] | None = None
) -> str:
    async with world.client("alice") as alice:
        r = await alice.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={
                "body": body,
                "client_message_id": uuid.uuid4().hex,
                "attachment_ids": files or [],
            },
        )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def log_of(world: World, connected: Connected) -> list[dict[str, Any]]:
    async with world.client("alice") as alice:
        r = await alice.get(f"/api/v1/channels/{connected.channel_id}/api/deliveries")
    assert r.status_code == 200, r.text
    entries: list[dict[str, Any]] = r.json()
    return entries


async def stored(runtime: Runtime, message_id: str) -> Message:
    async with runtime.database.read_session() as db:
        return await db.get_one(Message, uuid.UUID(message_id))


async def test_a_reply_is_signed_retried_after_a_503_with_backoff_and_logged(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    inbound = await customer_wrote(connected, runtime)
    async with world.client("alice") as alice:
        uploaded = await alice.post(
            "/api/v1/attachments",
            files={"file": ("endereco.pdf", PDF, "application/pdf")},
            data={"conversation_id": str(inbound.conversation_id)},
        )
    assert uploaded.status_code == 201, uploaded.text
    file_id = uploaded.json()["id"]
    connected.fake.script = [503]
    message_id = await reply(world, inbound.conversation_id, "Olá Linh! Pode sim.", [file_id])
    await run_jobs(runtime)

    [first] = connected.fake.received
    assert first.answered == 503
    assert (await stored(runtime, message_id)).status == "pending"
    [entry] = [e for e in await log_of(world, connected) if e["message_id"] == message_id]
    assert entry["status"] == "retrying"
    assert entry["attempts"] == 1
    assert entry["last_status_code"] == 503
    due = clock.now().timestamp() + backoff_seconds(1)
    assert datetime.fromisoformat(entry["next_attempt_at"]).timestamp() == due
    # Not before its time: nothing more is sent until the backoff has passed.
    clock.advance(seconds=backoff_seconds(1) - 1)
    await run_jobs(runtime)
    assert len(connected.fake.received) == 1
    clock.advance(seconds=1)
    assert clock.now().timestamp() == due
    await run_jobs(runtime)

    first, second = await connected.fake.wait_for(2)
    assert second.answered == 200
    for callback in (first, second):
        assert callback.verified
        assert spec_check(connected.fake.secret, callback.headers, callback.body)
        assert callback.headers["content-type"] == "application/json"
    # One message, one webhook-id and the same bytes on every attempt (integrators dedupe).
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    assert int(second.headers["webhook-timestamp"]) == int(clock.now().timestamp())
    payload = second.payload
    assert payload["type"] == "message.created"
    assert payload["data"]["message_id"] == message_id
    assert payload["data"]["conversation_id"] == str(inbound.conversation_id)
    assert payload["data"]["customer"] == {"external_id": "cand-7"}
    assert payload["data"]["text"] == "Olá Linh! Pode sim."
    [file] = payload["data"]["attachments"]
    assert (file["id"], file["name"], file["content_type"]) == (
        file_id,
        "endereco.pdf",
        "application/pdf",
    )
    # The integrator downloads the file with the signed link alone, no session.
    async with connected.client() as anonymous:
        download = await anonymous.get(file["url"])
    assert download.status_code == 200, download.text
    assert download.content == PDF

    sent = await stored(runtime, message_id)
    assert sent.status == "sent"
    assert sent.provider_message_id == first.headers["webhook-id"]
    [entry] = [e for e in await log_of(world, connected) if e["message_id"] == message_id]
    assert entry["status"] == "delivered"
    assert entry["webhook_id"] == first.headers["webhook-id"]
    assert [(h["attempt"], h["status_code"]) for h in entry["history"]] == [(1, 503), (2, 200)]
    assert entry["next_attempt_at"] is None
    # A delivered callback cannot be retried.
    async with world.client("alice") as alice:
        again = await alice.post(
            f"/api/v1/channels/{connected.channel_id}/api/deliveries/{entry['id']}/retry"
        )
    assert again.status_code == 409


async def test_a_receiver_that_keeps_failing_fails_the_reply_and_retry_now_sends_it(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    inbound = await customer_wrote(connected, runtime)
    connected.fake.always = 503
    message_id = await reply(world, inbound.conversation_id, "Sua entrevista é sexta.")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        await run_jobs(runtime)
        assert len(connected.fake.received) == attempt
        clock.advance(seconds=backoff_seconds(attempt))
    await run_jobs(runtime)
    assert len(connected.fake.received) == MAX_ATTEMPTS  # no attempt past the last

    failed = await stored(runtime, message_id)
    assert failed.status == "failed"
    assert (failed.error or {})["code"] == "api_callback_failed"
    assert "503" in (failed.error or {})["message"]
    [entry] = [e for e in await log_of(world, connected) if e["message_id"] == message_id]
    assert entry["status"] == "failed"
    assert entry["attempts"] == MAX_ATTEMPTS
    assert entry["next_attempt_at"] is None
    assert {h["status_code"] for h in entry["history"]} == {503}

    # Agents cannot retry; an owner can, and the receiver is back.
    url = f"/api/v1/channels/{connected.channel_id}/api/deliveries/{entry['id']}/retry"
    async with world.client("bob") as bob:
        assert (await bob.post(url)).status_code == 403
    connected.fake.always = None
    async with world.client("alice") as alice:
        r = await alice.post(url)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "retrying"
    assert r.json()["max_attempts"] == 2 * MAX_ATTEMPTS
    assert (await stored(runtime, message_id)).status == "pending"
    await run_jobs(runtime)
    assert connected.fake.received[-1].answered == 200
    assert (await stored(runtime, message_id)).status == "sent"
    [entry] = [e for e in await log_of(world, connected) if e["message_id"] == message_id]
    assert entry["status"] == "delivered"
    assert entry["attempts"] == MAX_ATTEMPTS + 1


async def test_a_4xx_fails_at_once_without_retrying(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    status = 410
    inbound = await customer_wrote(connected, runtime)
    connected.fake.always = status
    message_id = await reply(world, inbound.conversation_id, "Oi")
    await run_jobs(runtime)
    assert len(connected.fake.received) == 1
    failed = await stored(runtime, message_id)
    assert failed.status == "failed"
    [entry] = [e for e in await log_of(world, connected) if e["message_id"] == message_id]
    assert (entry["status"], entry["attempts"], entry["last_status_code"]) == ("failed", 1, status)
