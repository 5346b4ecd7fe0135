"""The greeting menu on WhatsApp, end to end through the real webhook and the fake Graph API:
"oi" starts it, the menu goes out, "2" picks the interview, a CPF is asked (a wrong one,
then a right one, saved on the contact), the conversation goes to the Interviews team's agent
and the bot lets go of it; the run's steps tell the whole story."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.core.contacts.models import Contact, CustomFieldDefinition
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.models import RouteOffer, RunStatus
from frontdesk.settings import Settings
from tests.channels.whatsapp.conftest import WhatsApp, connect
from tests.conftest import World
from tests.factories import Factory
from tests.fakes.meta import FakeGraph, serve, text_webhook
from tests.workflows.conftest import definition, dispatch, publish, runs_of, step, steps_of, trail

CPF_OK = "529.982.247-25"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    async with serve(fake):
        yield fake


@pytest.fixture
def settings(settings: Settings, graph: FakeGraph) -> Settings:
    settings.meta_graph_url = graph.graph_url
    return settings


def greeting_menu(interviews_team: str) -> dict[str, Any]:
    options = [
        {"id": "vagas", "title": "Vagas", "keywords": ["vaga", "emprego"]},
        {
            "id": "entrevista",
            "title": "Entrevista",
            "keywords": ["entrevista"],
            "route": {"label": "Entrevista"},
        },
        {"id": "recrutador", "title": "Falar com recrutador"},
    ]
    return definition(
        [
            step(
                "menu",
                "ask_question",
                {
                    "text": "Olá {{contact.name}}! 1 Vagas, 2 Entrevista, 3 Falar com recrutador",
                    "answer_type": "choice",
                    "options": options,
                    "show_options": "list",
                    "list_button": "Escolher",
                },
                vagas="jobs",
                entrevista="cpf",
                recrutador="people",
                reply="people",
                invalid="people",
                timeout="people",
            ),
            step("jobs", "send_message", {"text": "Veja as vagas no site."}, next="bye"),
            step(
                "cpf",
                "ask_question",
                {
                    "text": "Qual é o seu CPF?",
                    "answer_type": "cpf",
                    "save_to": "contact.fields.cpf",
                    "invalid_text": "Esse CPF não é válido, tente de novo.",
                    "max_attempts": 3,
                    "timeout_minutes": 60,
                },
                reply="assign",
                invalid="people",
                timeout="people",
            ),
            step("assign", "assign", {"to": "team", "team_id": interviews_team}, next="thanks"),
            step(
                "thanks", "send_message", {"text": "Obrigado! Já vamos falar com você."}, next="bye"
            ),
            step("people", "handover", {"text": "Um momento."}),
            step("bye", "end"),
        ],
        trigger="message_received",
        match="keyword",
        keywords=["oi", "olá"],
    )


async def say(whatsapp: WhatsApp, text: str) -> None:
    body = text_webhook(whatsapp.number, "5581999990000", "Joana", text)
    response = await whatsapp.post(body)
    assert response.status_code == 200


async def test_a_whatsapp_customer_goes_through_the_greeting_menu_to_the_interviews_team(
    runtime: Runtime, world: World, graph: FakeGraph
) -> None:
    whatsapp = await connect(world, graph)
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        interviews = await f.team(world.acme.workspace, "Interviews", [world.acme.members["carol"]])
        s.add(
            CustomFieldDefinition(
                workspace_id=world.acme.id,
                key="cpf",
                label="CPF",
                field_type="text",
                options=[],
                created_at=runtime.clock.now(),
            )
        )
        await s.commit()
    async with world.client("carol") as carol:
        assert (await carol.put("/api/v1/me/state", json={"state": "online"})).status_code == 200
    workflow = await publish(runtime, world, greeting_menu(str(interviews.id)), name="Menu")

    await say(whatsapp, "Oi")
    await dispatch(runtime)
    [run] = await runs_of(runtime, workflow.id)
    async with runtime.database.read_session() as db:
        conv = await db.scalar(select(Conversation).where(Conversation.id == run.conversation_id))
    assert conv is not None
    assert conv.bot_run_id == run.id  # the bot has it: routing offers it to nobody
    assert conv.assignee_id is None
    assert conv.queued_at is None
    menu = graph.sent[-1]
    assert menu["type"] == "interactive"
    assert menu["interactive"]["type"] == "list"
    rows = menu["interactive"]["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows] == ["Vagas", "Entrevista", "Falar com recrutador"]

    await say(whatsapp, "2")
    await dispatch(runtime)
    assert graph.sent[-1]["text"]["body"] == "Qual é o seu CPF?"

    await say(whatsapp, "123.456")
    await dispatch(runtime)
    assert graph.sent[-1]["text"]["body"] == "Esse CPF não é válido, tente de novo."

    await say(whatsapp, CPF_OK)
    await dispatch(runtime)
    await dispatch(runtime)

    done = (await runs_of(runtime, workflow.id))[0]
    assert done.status == RunStatus.COMPLETED
    assert trail(await steps_of(runtime, run.id)) == [
        ("menu", "done", "entrevista"),
        ("cpf", "done", "reply"),
        ("assign", "done", "next"),
        ("thanks", "done", "next"),
        ("bye", "done", None),
    ]
    cpf_row = (await steps_of(runtime, run.id))[1]
    assert cpf_row.output["attempts"] == 2
    assert cpf_row.output["value"] == "52998224725"
    async with runtime.database.read_session() as db:
        conv = await db.get_one(Conversation, run.conversation_id)
        contact = await db.get_one(Contact, conv.contact_id)
        offer = await db.scalar(select(RouteOffer).where(RouteOffer.run_id == run.id))
        from frontdesk.core.contacts.queries import get_contact

        read = await get_contact(db, world.acme.id, contact.id)
    assert read.fields["cpf"] == "52998224725"
    assert conv.bot_run_id is None
    assert conv.team_id == interviews.id
    assert conv.assignee_id == world.acme.members["carol"].id
    texts = [m["text"]["body"] for m in graph.sent if m["type"] == "text"]
    assert texts[-2:] == [
        "Obrigado! Já vamos falar com você.",
        "Hi Joana! You're now chatting with Carol; we usually reply within 5 minutes.",
    ]
    assert offer is not None
    assert (offer.route_key, offer.team_id) == ("entrevista", interviews.id)
    # A word that is no menu keyword, after the run ended, starts nothing.
    await say(whatsapp, "obrigada")
    await dispatch(runtime)
    assert len(await runs_of(runtime, workflow.id)) == 1
