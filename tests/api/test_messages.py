"""Messages: history with a cursor, idempotent replies with delivery, and internal notes."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from frontdesk.jobs.delivery import deliver_message
from tests.conftest import Published, QueryCounter, World

API = "/api/v1/conversations"


def url(world: World, name: str, tail: str = "messages") -> str:
    return f"{API}/{world.acme.conversations[name].id}/{tail}"


async def count_messages(runtime: Runtime, conversation_id: uuid.UUID) -> int:
    async with runtime.database.read_session() as db:
        n = await db.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id == conversation_id)
        )
    return int(n or 0)


async def test_reply_is_stored_pending_with_a_delivery_job(
    world: World, runtime: Runtime, published: Published, clock: FrozenClock
) -> None:
    conversation = world.acme.conversations["erin_support"]
    clock.advance(minutes=3)
    async with world.client("bob") as bob:
        r = await bob.post(
            url(world, "erin_support"),
            json={"body": "Hi Erin, the interview is on Monday", "client_message_id": "m-1"},
        )
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "pending"
    assert body["direction"] == "outbound"
    assert body["sender"]["id"] == str(world.persona("bob").id)
    async with runtime.database.read_session() as db:
        job = await db.scalar(select(Job).where(Job.kind == "deliver_message"))
        conv = await db.get_one(Conversation, conversation.id)
    assert job is not None
    assert job.payload == {"message_id": body["id"]}
    assert conv.waiting_since is None
    assert conv.first_response_at == clock.now()
    assert conv.last_message_preview == "Hi Erin, the interview is on Monday"
    assert published.types() == ["conversation.updated", "message.created"]
    assert published.events[1].payload["message"]["id"] == body["id"]


async def test_the_same_client_message_id_never_duplicates(world: World, runtime: Runtime) -> None:
    conversation_id = world.acme.conversations["erin_support"].id
    payload = {"body": "Sent twice by a flaky network", "client_message_id": "retry-7"}
    async with world.client("bob") as bob:
        first = await bob.post(url(world, "erin_support"), json=payload)
        second = await bob.post(url(world, "erin_support"), json=payload)
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert await count_messages(runtime, conversation_id) == 2  # the inbound one and this reply
    async with runtime.database.read_session() as db:
        jobs = await db.scalar(select(func.count()).select_from(Job))
    assert jobs == 1


async def test_concurrent_retries_of_one_send_store_one_message(
    world: World, runtime: Runtime
) -> None:
    conversation_id = world.acme.conversations["erin_support"].id
    payload = {"body": "Racing", "client_message_id": "race-1"}
    clients = [world.client("bob") for _ in range(5)]
    try:
        results = await asyncio.gather(
            *(c.post(url(world, "erin_support"), json=payload) for c in clients)
        )
    finally:
        for c in clients:
            await c.aclose()
    assert sorted(r.status_code for r in results) == [200, 200, 200, 200, 201]
    assert len({r.json()["id"] for r in results}) == 1
    assert await count_messages(runtime, conversation_id) == 2


async def test_a_bad_reply_is_refused_and_writes_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    conversation_id = world.acme.conversations["erin_support"].id
    async with world.client("bob") as bob:
        no_id = await bob.post(url(world, "erin_support"), json={"body": "hello"})
        empty = await bob.post(
            url(world, "erin_support"), json={"body": "   ", "client_message_id": "e1"}
        )
        too_long = await bob.post(
            url(world, "erin_support"), json={"body": "x" * 5000, "client_message_id": "e2"}
        )
    assert [r.status_code for r in (no_id, empty, too_long)] == [422, 422, 422]
    assert no_id.json()["error"]["details"]["field"] == "client_message_id"
    assert empty.json()["error"]["details"]["field"] == "body"
    assert too_long.json()["error"]["details"]["field"] == "body"
    assert await count_messages(runtime, conversation_id) == 1
    assert published.events == []


async def test_delivery_on_an_unconnected_channel_fails_with_a_reason(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("bob") as bob:
        sent = (
            await bob.post(
                url(world, "erin_support"), json={"body": "hi", "client_message_id": "d1"}
            )
        ).json()
    await deliver_message(runtime, {"message_id": sent["id"]})
    async with runtime.database.read_session() as db:
        message = await db.get_one(Message, uuid.UUID(sent["id"]))
    assert message.status == "failed"
    assert message.error is not None
    assert message.error["code"] == "channel_not_connected"
    assert published.types()[-1] == "message.updated"
    # Running the job again (a retry after a crash) changes nothing.
    before = len(published.events)
    await deliver_message(runtime, {"message_id": sent["id"]})
    assert len(published.events) == before


async def test_history_pages_back_in_time(
    world: World, clock: FrozenClock, count_queries: Any
) -> None:
    async with world.client("bob") as bob:
        for i in range(12):
            clock.advance(seconds=10)
            await bob.post(
                url(world, "erin_support"), json={"body": f"line {i}", "client_message_id": f"h{i}"}
            )
        bodies: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 5}
            if cursor:
                params["cursor"] = cursor
            page = (await bob.get(url(world, "erin_support"), params=params)).json()
            bodies.extend(m["body"] for m in page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        counter: QueryCounter
        with count_queries() as counter:
            await bob.get(url(world, "erin_support"), params={"limit": 2})
        small = counter.count
        with count_queries() as counter:
            await bob.get(url(world, "erin_support"), params={"limit": 13})
        large = counter.count
    assert bodies == [f"line {i}" for i in reversed(range(12))] + ["Hello, I saw your job ad"]
    assert small == large


async def test_note_with_a_mention_tells_the_mentioned_member(
    world: World, runtime: Runtime, published: Published
) -> None:
    dave = world.persona("dave")
    async with world.client("bob") as bob:
        r = await bob.post(
            url(world, "erin_support", "notes"),
            json={"body": "@Dave can you approve?", "mention_user_ids": [str(dave.id)]},
        )
    assert r.status_code == 201
    note = r.json()
    assert note["kind"] == "note"
    assert note["status"] is None
    assert note["mentions"] == [str(dave.id)]
    created = next(e for e in published.events if e.type == "message.created")
    assert f"user:{dave.id}" in created.audience
    async with runtime.database.read_session() as db:
        jobs = await db.scalar(select(func.count()).select_from(Job))
        conv = await db.get_one(Conversation, world.acme.conversations["erin_support"].id)
    assert jobs == 0  # a note is never sent to the customer
    assert conv.waiting_since is not None  # and does not answer them
    assert conv.first_response_at is None


async def test_mentioning_a_stranger_is_refused(world: World, runtime: Runtime) -> None:
    async with world.client("bob") as bob:
        r = await bob.post(
            url(world, "erin_support", "notes"),
            json={"body": "hey", "mention_user_ids": [str(world.persona("oscar").id)]},
        )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "mention_user_ids"
    assert await count_messages(runtime, world.acme.conversations["erin_support"].id) == 1


async def test_replying_wakes_a_snoozed_conversation(world: World, clock: FrozenClock) -> None:
    until = (clock.now() + timedelta(days=1)).isoformat()
    async with world.client("bob") as bob:
        await bob.post(
            f"{API}/{world.acme.conversations['erin_support'].id}/snooze", json={"until": until}
        )
        await bob.post(
            url(world, "erin_support"), json={"body": "update", "client_message_id": "s1"}
        )
        conv = (await bob.get(f"{API}/{world.acme.conversations['erin_support'].id}")).json()
    assert conv["status"] == "open"
    assert conv["snoozed_until"] is None


async def test_a_reply_with_a_file_uploaded_for_the_conversation(
    world: World, runtime: Runtime
) -> None:
    conversation = world.acme.conversations["erin_support"]
    other = world.acme.conversations["frank_unassigned"]
    async with world.client("bob") as bob:
        up = await bob.post(
            "/api/v1/attachments",
            files={"file": ("offer.pdf", b"%PDF-1.4\n%offer\n", "application/pdf")},
            data={"conversation_id": str(conversation.id)},
        )
        assert up.status_code == 201, up.text
        sent = await bob.post(
            url(world, "erin_support"),
            json={"body": "", "client_message_id": "f1", "attachment_ids": [up.json()["id"]]},
        )
        elsewhere = await bob.post(
            f"{API}/{other.id}/messages",
            json={"body": "x", "client_message_id": "f2", "attachment_ids": [up.json()["id"]]},
        )
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert body["kind"] == "media"
    assert body["attachments"][0]["name"] == "offer.pdf"
    assert body["attachments"][0]["url"].startswith("http://testserver/api/v1/attachments/")
    assert elsewhere.status_code == 422
    assert elsewhere.json()["error"]["details"]["field"] == "attachment_ids"
