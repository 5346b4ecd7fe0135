"""A test run of a draft against a sample contact: every step is taken and logged, and
nothing leaves — no message, no contact change, no HTTP call."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.models import RunStatus, Workflow
from frontdesk.core.workflows.runs import start_definition_test
from tests.conftest import World
from tests.workflows.conftest import definition, publish, run_jobs, step, steps_of, trail


async def test_a_draft_runs_against_a_sample_contact_without_sending_anything(
    runtime: Runtime, world: World
) -> None:
    erin = world.acme.contacts["erin"]
    draft = definition(
        [
            step(
                "ask",
                "ask_question",
                {"text": "Seu CPF, {{contact.name}}?", "answer_type": "cpf", "save_to": "vars.cpf"},
                reply="call",
                invalid="end",
                timeout="end",
            ),
            step(
                "call",
                "http_request",
                {"url": "https://crm.example.com/x", "body": {"cpf": "{{vars.cpf}}"}},
                success="name",
                error="end",
                timeout="end",
            ),
            step(
                "name",
                "update_contact",
                {"field": "contact.name", "value": "Changed"},
                next="pause",
            ),
            step("pause", "wait", {"minutes": 600}, next="bye"),
            step("bye", "send_message", {"text": "Tchau {{vars.cpf}}"}, next="end"),
            step("end", "end"),
        ]
    )
    workflow = await publish(runtime, world, definition([step("end", "end")]))
    async with runtime.uow() as uow:
        row = await uow.session.get_one(Workflow, workflow.id)
        run = await start_definition_test(
            uow,
            workflow=row,
            definition=draft,
            contact_id=erin.id,
            variables={"answers": {"ask": "529.982.247-25"}},
        )
        await uow.commit()
    await run_jobs(runtime)

    rows = await steps_of(runtime, run.id)
    assert trail(rows) == [
        ("ask", "done", "reply"),
        ("call", "done", "success"),
        ("name", "done", "next"),
        ("pause", "done", "next"),
        ("bye", "done", "next"),
        ("end", "done", None),
    ]
    assert rows[0].output["body"] == "Seu CPF, Erin?"
    assert rows[1].output["request"]["body"] == {"cpf": "52998224725"}
    assert rows[4].output == {"body": "Tchau 52998224725", "sent": False, "test": True}
    async with runtime.database.read_session() as db:
        finished = await db.get_one(type(run), run.id)
        sent = await db.scalar(
            select(func.count()).select_from(Message).where(Message.sender_type == "bot")
        )
        contact = await db.get_one(Contact, erin.id)
    assert finished.status == RunStatus.COMPLETED
    assert finished.is_test
    assert sent == 0
    assert contact.name == "Erin"
