"""The webhook's guarantees: the secret token before anything else, duplicates recorded once
(F4), malformed input refused without a 5xx and without storing anything (F5)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

from sqlalchemy import func, select, update

from frontdesk.core.channels.models import Channel, QuarantinedPayload
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.routing.ledger import ROUTE_JOB
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from tests.channels.telegram.conftest import (
    Connected,
    Telegram,
    connect_bot,
    fixture,
    fixture_bytes,
    messages_of,
)
from tests.conftest import World
from tests.fakes.telegram import SECRET_HEADER

TABLES = (Message, Conversation, Contact, ContactIdentity, QuarantinedPayload, EventLogEntry, Job)


async def counts(runtime: Runtime) -> dict[str, int]:
    async with runtime.database.read_session() as db:
        return {
            table.__tablename__: int(await db.scalar(select(func.count()).select_from(table)) or 0)
            for table in TABLES
        }


async def events_of_type(runtime: Runtime, kind: str) -> int:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(func.count()).select_from(EventLogEntry).where(EventLogEntry.type == kind)
        )
    return int(found or 0)


async def raw_post(connected: Connected, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with connected.client() as http:
        r = await http.post(connected.bot.webhook_url, content=body, headers=headers)
    return r.status_code, r.text


def signed(connected: Connected) -> dict[str, str]:
    assert connected.bot.secret_token
    return {SECRET_HEADER: connected.bot.secret_token, "Content-Type": "application/json"}


# F4: the same update delivered 2-50 times.


async def test_a_redelivered_update_is_recorded_once(
    connected: Connected, runtime: Runtime
) -> None:
    update = fixture("message_text")
    for _ in range(5):
        assert (await connected.post(update)).status_code == 200
    assert len(await messages_of(runtime, connected.channel_id)) == 1
    assert await events_of_type(runtime, "message.created") == 1
    async with runtime.database.read_session() as db:
        conversations = await db.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(Conversation.channel_id == connected.channel_id)
        )
        routes = await db.scalar(select(func.count()).select_from(Job).where(Job.kind == ROUTE_JOB))
    assert conversations == 1
    assert routes == 1


async def test_concurrent_deliveries_of_one_update_record_one_message(
    connected: Connected, runtime: Runtime
) -> None:
    update = fixture("message_photo")
    responses = await asyncio.gather(*(connected.post(update) for _ in range(20)))
    assert {r.status_code for r in responses} == {200}
    [message] = await messages_of(runtime, connected.channel_id)
    assert await events_of_type(runtime, "message.created") == 1
    async with runtime.database.read_session() as db:
        fetches = await db.scalar(
            select(func.count()).select_from(Job).where(Job.kind == "fetch_inbound_media")
        )
        contacts = await db.scalar(
            select(func.count())
            .select_from(ContactIdentity)
            .where(ContactIdentity.channel_id == connected.channel_id)
        )
    assert fetches == 1
    assert contacts == 1
    assert message.body == "photo description"


async def test_concurrent_button_presses_are_answered_once(
    connected: Connected, runtime: Runtime
) -> None:
    update = fixture("callback_query")
    responses = await asyncio.gather(*(connected.post(update) for _ in range(10)))
    assert {r.status_code for r in responses} == {200}
    assert len(await messages_of(runtime, connected.channel_id)) == 1
    async with runtime.database.read_session() as db:
        answers = await db.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.kind == "telegram.answer_callback_query")
        )
    assert answers == 1


# F5: malformed input, bad or missing secret.


async def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_stored(
    connected: Connected, runtime: Runtime, world: World, telegram: Telegram
) -> None:
    other = await connect_bot(world, telegram, name="oscar")  # another workspace's bot
    before = await counts(runtime)
    body = fixture_bytes("message_text")
    assert other.bot.secret_token
    for headers in (
        {},
        {SECRET_HEADER: ""},
        {SECRET_HEADER: "wrong-secret"},
        {SECRET_HEADER: (connected.bot.secret_token or "")[:-1]},
        {SECRET_HEADER: other.bot.secret_token},
    ):
        status, text = await raw_post(connected, body, headers)
        assert status == 401, text
        assert json.loads(text)["error"]["code"] == "unauthenticated"
    assert await counts(runtime) == before


async def test_the_secret_is_checked_before_the_body_is_read(connected: Connected) -> None:
    huge = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    status, _ = await raw_post(connected, huge, {SECRET_HEADER: "wrong"})
    assert status == 401  # not 413: an unauthenticated body is not even read


async def test_an_unknown_or_inactive_channel_is_not_found(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    before = await counts(runtime)
    body = fixture_bytes("message_text")
    async with connected.client() as http:
        unknown = await http.post(
            f"/webhooks/telegram/{uuid.uuid4()}", content=body, headers=signed(connected)
        )
        not_telegram = await http.post(
            f"/webhooks/telegram/{world.acme.channels['whatsapp'].id}",
            content=body,
            headers=signed(connected),
        )
        bad_id = await http.post("/webhooks/telegram/not-an-id", content=body)
    assert unknown.status_code == 404
    assert not_telegram.status_code == 404
    assert bad_id.status_code == 422
    async with runtime.database.write_session() as db:
        await db.execute(
            update(Channel).where(Channel.id == connected.channel_id).values(is_active=False)
        )
        await db.commit()
    assert (await connected.post(fixture("message_text"))).status_code == 404
    assert await counts(runtime) == before


async def test_malformed_bodies_are_400_and_store_nothing(
    connected: Connected, runtime: Runtime
) -> None:
    before = await counts(runtime)
    text = fixture_bytes("message_text")
    for body in (
        text[: len(text) // 2],  # truncated JSON
        b"",
        b'\xff\xfe{"update_id": 1}',  # not UTF-8
        '{"update_id": 1, "message": {"text": "caf\xe9"}}'.encode("latin-1"),  # latin-1, not UTF-8
        b"[1, 2, 3]",
        b'"update"',
        b'{"message": {}}',  # no update_id
        b'{"update_id": "128526", "message": {}}',  # update_id of the wrong type
        b'{"update_id": true}',
        b"null",
    ):
        status, answer = await raw_post(connected, body, signed(connected))
        assert status == 400, (body, answer)
        assert json.loads(answer)["error"]["code"] == "bad_request"
    assert await counts(runtime) == before


async def test_an_oversize_body_is_413_and_stores_nothing(
    connected: Connected, runtime: Runtime
) -> None:
    before = await counts(runtime)
    update = fixture("message_text")
    update["message"]["text"] = "x" * (1024 * 1024 + 1)
    status, answer = await raw_post(connected, json.dumps(update).encode(), signed(connected))
    assert status == 413
    assert json.loads(answer)["error"]["details"] == {"max_bytes": 1024 * 1024}

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(40):
            yield b" " * 32 * 1024

    async with connected.client() as http:
        streamed = await http.post(
            connected.bot.webhook_url, content=chunks(), headers=signed(connected)
        )
    assert streamed.status_code == 413
    assert await counts(runtime) == before


async def test_unknown_but_authentic_updates_are_200_and_kept_raw(
    connected: Connected, runtime: Runtime
) -> None:
    poll = {"update_id": 42, "poll": {"id": "1", "question": "Start date?", "options": []}}
    business = {"update_id": 43, "business_message": {"message_id": 1, "weird": [1, 2]}}
    bare = {"update_id": 44}
    for body in (poll, business, bare):
        assert (await connected.post(body)).status_code == 200
    async with runtime.database.read_session() as db:
        kept = list(await db.scalars(select(QuarantinedPayload)))
    assert sorted(q.payload["update_id"] for q in kept) == [42, 43, 44]
    assert {q.channel_type for q in kept} == {"telegram"}
    assert await messages_of(runtime, connected.channel_id) == []
