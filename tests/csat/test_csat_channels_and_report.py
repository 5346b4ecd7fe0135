"""CSAT on the website chat (text, in Vietnamese) and Telegram (an inline keyboard, answered by
a button), and the CSAT report computed by hand: answers, the share of 4-5, the distribution,
per agent (the assignee at the close), by day, the period before, filters and the drill-down."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import Visitor, at, ok
from tests.channels.telegram.conftest import Connected, connect_bot, run_jobs
from tests.channels.telegram.conftest import settings as telegram_settings
from tests.channels.telegram.conftest import telegram as telegram_fixture
from tests.conftest import World
from tests.factories import Factory

settings, telegram = telegram_settings, telegram_fixture

VI_QUESTION = "Bạn hài lòng thế nào với sự hỗ trợ vừa nhận được?"
VI_HOW = "Vui lòng trả lời bằng một số từ 1 (rất không hài lòng) đến 5 (rất hài lòng)."


async def turn_on(world: World) -> None:
    async with world.client("alice") as alice:
        r = await alice.put("/api/v1/csat/settings", json={"enabled": True})
    assert r.status_code == 200, r.text


async def site_chat(runtime: Runtime, world: World, clock: FrozenClock) -> uuid.UUID:
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(world.acme.workspace, "webchat", "Site")
        channel.team_id = world.acme.teams["support"].id
        await s.commit()
        return channel.id


async def assign_and_close(world: World, conv: str, agent: str) -> None:
    alice = world.client("alice")
    member = world.acme.members[agent].id
    await ok(alice.post(f"/api/v1/conversations/{conv}/assign", json={"assignee_id": str(member)}))
    await ok(world.client(agent).post(f"/api/v1/conversations/{conv}/close", json={}))


async def messages(runtime: Runtime, conv: str) -> list[Message]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message)
            .where(Message.conversation_id == uuid.UUID(conv))
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)


async def status_of(runtime: Runtime, conv: str) -> str:
    async with runtime.database.read_session() as db:
        status = await db.scalar(
            select(Conversation.status).where(Conversation.id == uuid.UUID(conv))
        )
    return str(status)


async def test_the_website_chat_asks_in_vietnamese_text_and_takes_a_number(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await turn_on(world)
    channel_id = await site_chat(runtime, world, clock)
    lan = Visitor(world, channel_id, "Trần Thị Lan")
    conv = await lan.writes("Xin chào, tôi muốn hỏi về công việc lái xe ở công ty")
    await assign_and_close(world, conv, "bob")
    survey = (await messages(runtime, conv))[-1]
    assert (survey.kind, survey.sender_type, survey.status) == ("text", "system", "sent")
    assert survey.body == f"{VI_QUESTION}\n{VI_HOW}"
    # The visitor sees it in the widget's history.
    history = await lan.client.get("/api/widget/v1/messages")
    assert history.status_code == 200, history.text
    assert history.json()["items"][0]["body"] == survey.body

    assert await lan.writes("5") == conv
    assert await status_of(runtime, conv) == "closed"
    async with runtime.database.read_session() as db:
        [answer] = list(await db.scalars(select(CsatResponse)))
    assert (answer.rating, answer.language) == (5, "vi")


async def test_telegram_asks_with_an_inline_keyboard_and_a_button_answers(
    runtime: Runtime, world: World, telegram: Any
) -> None:
    await turn_on(world)
    connected: Connected = await connect_bot(world, telegram)
    update = connected.fake.text_update(4242, "Hello, is the driver job still open?", "Maria")
    assert (await connected.post(update)).status_code == 200
    async with runtime.database.read_session() as db:
        conv = str(
            await db.scalar(
                select(Conversation.id).where(Conversation.channel_id == connected.channel_id)
            )
        )
    await assign_and_close(world, conv, "bob")
    await run_jobs(runtime)
    [sent] = [m for m in connected.fake.sent if m.get("reply_markup")]
    assert sent["text"] == "How satisfied are you with the help you received?"
    keyboard = sent["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == [f"csat:{n}" for n in (5, 4, 3, 2, 1)]
    assert keyboard[0][0]["text"] == "5 - Excellent"

    press = {
        "update_id": connected.fake.next_update_id(),
        "callback_query": {
            "id": "csat-press-1",
            "from": {"id": 4242, "is_bot": False, "first_name": "Maria"},
            "message": {
                "message_id": sent["message_id"],
                "chat": {"id": 4242, "type": "private", "first_name": "Maria"},
                "date": sent["date"],
                "text": sent["text"],
            },
            "chat_instance": "1",
            "data": "csat:3",
        },
    }
    assert (await connected.post(press)).status_code == 200
    assert (await connected.post(press)).status_code == 200  # redelivered: once
    assert await status_of(runtime, conv) == "closed"
    async with runtime.database.read_session() as db:
        [answer] = list(await db.scalars(select(CsatResponse)))
        count = len(
            list(
                await db.scalars(
                    select(Conversation.id).where(Conversation.channel_id == connected.channel_id)
                )
            )
        )
    assert (answer.rating, count) == (3, 1)


async def test_the_report_counts_answers_by_hand(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    """Five answers on 5 January (UTC): Bob 5, 4, 2; Carol 5; and one for Bob the day before
    (4, the previous period). Today: 4 answers... computed below."""
    await turn_on(world)
    channel_id = await site_chat(runtime, world, clock)
    plan = [  # (day hour, visitor, agent, answer)
        ((4, 15), "Ana", "bob", "4"),
        ((5, 9), "Bao", "bob", "5"),
        ((5, 10), "Chi", "bob", "4"),
        ((5, 11), "Duc", "bob", "2"),
        ((5, 12), "Em", "carol", "5"),
        ((5, 13), "Gia", "carol", None),  # never answers
    ]
    convs = {}
    for (day, hour), name, agent, answer in plan:
        clock.set(at(hour).replace(day=day))
        visitor = Visitor(world, channel_id, name)
        conv = await visitor.writes("Hello, I would like to ask about the open positions")
        await assign_and_close(world, conv, agent)
        if answer:
            clock.advance(minutes=5)
            await visitor.writes(answer)
        convs[name] = conv
    clock.set(at(18))
    await update_reports(runtime, {})
    alice = world.client("alice")
    params: dict[str, Any] = {"period": "today", "tz": "UTC"}
    body = await ok(alice.get("/api/v1/reports/csat", params=params))
    # Today: 5, 4, 2, 5 -> four answers, three of 4-5.
    assert body["current"] == {
        "answers": 4,
        "satisfied": 3,
        "share_satisfied": 0.75,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 2},
    }
    assert body["previous"]["answers"] == 1
    assert body["previous"]["share_satisfied"] == 1.0
    rows = {r["name"]: r["figures"] for r in body["agents"]}
    assert (rows["Bob"]["answers"], rows["Bob"]["satisfied"]) == (3, 2)
    assert (rows["Carol"]["answers"], rows["Carol"]["share_satisfied"]) == (1, 1.0)
    assert [(p["answers"], p["satisfied"]) for p in body["series"]] == [(4, 3)]

    bob_id = str(world.acme.members["bob"].id)
    only_bob = await ok(alice.get("/api/v1/reports/csat", params=params | {"agent_id": bob_id}))
    assert only_bob["current"]["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    elsewhere = params | {"channel_id": str(uuid.uuid4())}
    assert (await ok(alice.get("/api/v1/reports/csat", params=elsewhere)))["current"][
        "answers"
    ] == 0

    drill = await ok(
        alice.get(
            "/api/v1/reports/conversations", params=params | {"metric": "csat", "detail": "5"}
        )
    )
    assert sorted(i["contact_name"] for i in drill["items"]) == ["Bao", "Em"]

    # An agent sees only their own answers.
    carol = await ok(world.client("carol").get("/api/v1/reports/csat", params=params))
    assert carol["current"]["answers"] == 1
    assert [r["name"] for r in carol["agents"]] == ["Carol"]


async def test_settings_are_for_owners_and_managers_and_checked(world: World) -> None:
    bob, alice = world.client("bob"), world.client("alice")
    assert (await bob.put("/api/v1/csat/settings", json={"enabled": True})).status_code == 403
    r = await alice.put(
        "/api/v1/csat/settings", json={"enabled": True, "team_ids": [str(uuid.uuid4())]}
    )
    assert r.status_code == 422
    r = await alice.put("/api/v1/csat/settings", json={"enabled": True, "questions": {"fr": "?"}})
    assert r.status_code == 422
    assert (await ok(alice.get("/api/v1/csat/settings")))["enabled"] is False  # nothing written
    body = await ok(
        alice.put("/api/v1/csat/settings", json={"enabled": True, "questions": {"en": "Rate us?"}})
    )
    assert body["questions"] == {"en": "Rate us?"}
    assert body["default_questions"]["vi"] == VI_QUESTION
    audit = await ok(alice.get("/api/v1/audit-log"))
    assert any(e["action"] == "csat.updated" for e in audit["items"])
