"""CSAT on WhatsApp: a member's close sends the 1-5 question once, in the customer's language,
as a list menu (reply buttons hold only three); the customer's tap, or a message that is just a
number, is stored as the answer without reopening the conversation; nothing is sent when the
survey is off, the team is not chosen, the close is an API token's, or the 24-hour window has
closed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.runtime import Runtime
from tests.channels.whatsapp import conftest as whatsapp_tests
from tests.channels.whatsapp.conftest import WhatsApp, run_jobs
from tests.conftest import Published, World
from tests.fakes.meta import message_webhook, text_webhook

graph, settings, whatsapp = whatsapp_tests.graph, whatsapp_tests.settings, whatsapp_tests.whatsapp

CUSTOMER = "5511912345678"
PT_QUESTION = "Quão satisfeito você está com o atendimento que recebeu?"


async def turn_on(world: World, **extra: Any) -> dict[str, Any]:
    async with world.client("alice") as alice:
        r = await alice.put("/api/v1/csat/settings", json={"enabled": True, **extra})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def writes(whatsapp: WhatsApp, text: str) -> None:
    r = await whatsapp.post(text_webhook(whatsapp.number, CUSTOMER, "Rita Souza", text))
    assert r.status_code == 200, r.text


async def taps(whatsapp: WhatsApp, choice_id: str, title: str) -> None:
    reply = {"type": "list_reply", "list_reply": {"id": choice_id, "title": title}}
    r = await whatsapp.post(
        message_webhook(
            whatsapp.number,
            CUSTOMER,
            "Rita Souza",
            {"type": "interactive", "interactive": reply},
        )
    )
    assert r.status_code == 200, r.text


async def conversations(runtime: Runtime, channel_id: uuid.UUID) -> list[Conversation]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Conversation)
            .where(Conversation.channel_id == channel_id)
            .order_by(Conversation.created_at)
        )
        return list(rows)


async def surveys(runtime: Runtime) -> list[CsatResponse]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(CsatResponse).order_by(CsatResponse.sent_at)))


async def survey_messages(runtime: Runtime, conversation_id: uuid.UUID) -> list[Message]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.client_message_id.like("auto:csat:%"),
            )
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)


async def conversation_closed_by_bob(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> uuid.UUID:
    async with world.client("bob") as bob:
        assert (await bob.put("/api/v1/me/state", json={"state": "online"})).status_code == 200
    await writes(
        whatsapp, "Olá, bom dia! Eu gostaria de saber se a vaga de motorista ainda está aberta"
    )
    await run_jobs(runtime)
    [conv] = await conversations(runtime, whatsapp.channel_id)
    assert conv.assignee_id == world.persona("bob").id
    async with world.client("bob") as bob:
        r = await bob.post(f"/api/v1/conversations/{conv.id}/close", json={"outcome": "hired"})
    assert r.status_code == 200, r.text
    return conv.id


async def test_the_survey_goes_once_as_a_list_in_portuguese_and_a_tap_answers_it(
    whatsapp: WhatsApp, world: World, runtime: Runtime, published: Published
) -> None:
    await turn_on(world)
    conv_id = await conversation_closed_by_bob(whatsapp, world, runtime)
    [survey] = await survey_messages(runtime, conv_id)
    assert (survey.kind, survey.sender_type, survey.body) == ("interactive", "system", PT_QUESTION)
    assert survey.payload is not None
    rows = survey.payload["interactive"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["csat:5", "csat:4", "csat:3", "csat:2", "csat:1"]
    assert rows[0]["title"] == "5 - Excelente"
    assert "csat.sent" in published.types()
    await run_jobs(runtime)
    [sent] = [m for m in whatsapp.graph.sent if m.get("type") == "interactive"]
    assert sent["interactive"]["type"] == "list"
    assert sent["interactive"]["body"]["text"] == PT_QUESTION
    assert sent["interactive"]["action"]["button"] == "Avaliar"

    published.events.clear()
    await taps(whatsapp, "csat:4", "4 - Bom")
    [conv] = await conversations(runtime, whatsapp.channel_id)
    assert (conv.id, conv.status) == (conv_id, "closed")  # not reopened, no new conversation
    [answer] = await surveys(runtime)
    assert (answer.rating, answer.agent_id) == (4, world.persona("bob").id)
    assert "csat.answered" in published.types()
    assert "conversation.status_changed" not in published.types()
    async with world.client("bob") as bob:
        r = await bob.get(f"/api/v1/conversations/{conv_id}/csat")
    assert r.status_code == 200
    assert [(s["rating"], s["segment"]) for s in r.json()] == [(4, 1)]

    # A second answer is no answer: it goes the usual way and reopens the conversation.
    await writes(whatsapp, "5")
    [conv] = await conversations(runtime, whatsapp.channel_id)
    assert conv.status == "open"
    [answer] = await surveys(runtime)
    assert answer.rating == 4


async def test_a_message_that_is_just_a_number_answers_and_reopens_nothing(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    await turn_on(world)
    conv_id = await conversation_closed_by_bob(whatsapp, world, runtime)
    await writes(whatsapp, " 2 ")
    [conv] = await conversations(runtime, whatsapp.channel_id)
    assert (conv.id, conv.status) == (conv_id, "closed")
    [answer] = await surveys(runtime)
    assert answer.rating == 2
    async with runtime.database.read_session() as db:
        stored = await db.scalar(select(Message).where(Message.id == answer.answer_message_id))
    assert stored is not None
    assert (stored.conversation_id, stored.body) == (conv_id, " 2 ")


async def test_words_are_no_answer_and_reopen_as_usual(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    await turn_on(world)
    conv_id = await conversation_closed_by_bob(whatsapp, world, runtime)
    await writes(whatsapp, "2 perguntas: e o salário?")
    [conv] = await conversations(runtime, whatsapp.channel_id)
    assert (conv.id, conv.status) == (conv_id, "open")
    [survey] = await surveys(runtime)
    assert survey.rating is None


async def test_no_survey_when_off_or_for_another_team(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    conv_id = await conversation_closed_by_bob(whatsapp, world, runtime)  # off by default
    assert await survey_messages(runtime, conv_id) == []
    await turn_on(world, team_ids=[str(world.acme.teams["sales"].id)])
    async with world.client("bob") as bob:
        assert (await bob.post(f"/api/v1/conversations/{conv_id}/reopen")).status_code == 200
        r = await bob.post(f"/api/v1/conversations/{conv_id}/close", json={})
    assert r.status_code == 200, r.text
    assert await survey_messages(runtime, conv_id) == []
    assert await surveys(runtime) == []


async def test_no_survey_once_the_window_has_closed(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    await turn_on(world, team_ids=[str(world.acme.teams["support"].id)])
    async with world.client("bob") as bob:
        assert (await bob.put("/api/v1/me/state", json={"state": "online"})).status_code == 200
    await writes(whatsapp, "Olá, bom dia! A vaga de motorista ainda está aberta?")
    await run_jobs(runtime)
    [conv] = await conversations(runtime, whatsapp.channel_id)
    clock.advance(hours=24, seconds=1)
    async with world.client("bob") as bob:
        r = await bob.post(f"/api/v1/conversations/{conv.id}/close", json={})
    assert r.status_code == 200, r.text
    assert await survey_messages(runtime, conv.id) == []


async def test_an_api_token_close_sends_no_survey(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    await turn_on(world)
    async with world.client("alice") as alice:
        r = await alice.post("/api/v1/api-tokens", json={"name": "closer", "role": "manager"})
    assert r.status_code == 201, r.text
    await writes(whatsapp, "Olá, bom dia! A vaga de motorista ainda está aberta?")
    [conv] = await conversations(runtime, whatsapp.channel_id)
    async with world.bearer(r.json()["token"]) as token:
        closed = await token.post(f"/api/v1/conversations/{conv.id}/close", json={})
    assert closed.status_code == 200, closed.text
    assert await survey_messages(runtime, conv.id) == []
