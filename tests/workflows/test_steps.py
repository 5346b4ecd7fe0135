"""Steps that work on the conversation and the contact, in one run: a branch on the contact's
tags, tags added, a note for the team, another workflow started with the run's variables, the
conversation closed with an outcome; and a bad config named by the publish checks."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from frontdesk.core.workflows.definition import Definition
from frontdesk.core.workflows.models import RunStatus
from frontdesk.core.workflows.steps import config_problems
from tests.conftest import World
from tests.workflows.conftest import (
    conversation,
    definition,
    publish,
    run_jobs,
    runs_of,
    start,
    step,
    steps_of,
    trail,
    webchat,
)


async def test_a_run_branches_tags_notes_starts_another_workflow_and_closes(
    runtime: Runtime, world: World
) -> None:
    chat = await webchat(runtime, world, team="support")
    now = runtime.clock.now()
    async with runtime.database.write_session() as s:
        vip = Tag(workspace_id=world.acme.id, name="vip", color="red", created_at=now)
        seen = Tag(workspace_id=world.acme.id, name="seen", color="blue", created_at=now)
        s.add_all([vip, seen])
        await s.flush()
        s.add(
            ContactTag(
                workspace_id=world.acme.id,
                contact_id=chat.contact_id,
                tag_id=vip.id,
                created_at=now,
            )
        )
        await s.commit()
    child = await publish(
        runtime,
        world,
        definition(
            [
                step("say", "send_message", {"text": "Código {{vars.code}}"}, next="done"),
                step("done", "end"),
            ],
            trigger="workflow",
        ),
        name="Child",
    )
    parent = definition(
        [
            step(
                "is_vip",
                "branch",
                {
                    "cases": [
                        {"id": "vip", "rule": {"in": [str(vip.id), {"var": "contact.tag_ids"}]}}
                    ]
                },
                vip="tag",
                **{"else": "done"},
            ),
            step("tag", "tag", {"target": "conversation", "tag_ids": [str(seen.id)]}, next="note"),
            step(
                "note",
                "note",
                {"text": "VIP {{contact.name}} on {{conversation.channel_type}}"},
                next="child",
            ),
            step(
                "child",
                "start_workflow",
                {"workflow_id": str(child.id), "variables": {"code": "A-{{contact.name}}"}},
                next="close",
            ),
            step("close", "set_status", {"status": "closed", "outcome": "resolved"}, next="done"),
            step("done", "end"),
        ]
    )
    workflow = await publish(runtime, world, parent, name="Parent")
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)

    assert trail(await steps_of(runtime, run.id)) == [
        ("is_vip", "done", "vip"),
        ("tag", "done", "next"),
        ("note", "done", "next"),
        ("child", "done", "next"),
        ("close", "done", "next"),
        ("done", "done", None),
    ]
    [child_run] = await runs_of(runtime, child.id)
    assert child_run.parent_run_id == run.id
    assert child_run.status == RunStatus.COMPLETED
    assert child_run.variables == {"code": "A-Gabi"}
    conv = await conversation(runtime, chat.conversation_id)
    assert (conv.status, conv.outcome) == ("closed", "resolved")
    async with runtime.database.read_session() as db:
        tags = set(
            await db.scalars(
                select(ConversationTag.tag_id).where(
                    ConversationTag.conversation_id == chat.conversation_id
                )
            )
        )
        messages = [
            tuple(row)
            for row in await db.execute(
                select(Message.kind, Message.body)
                .where(
                    Message.conversation_id == chat.conversation_id,
                    Message.sender_user_id.is_(None),
                    Message.direction == "outbound",
                )
                .order_by(Message.created_at, Message.id)
            )
        ]
    assert tags == {seen.id}
    assert ("note", "VIP Gabi on webchat") in messages
    assert ("text", "Código A-Gabi") in messages


def test_the_publish_checks_name_each_step_s_bad_settings() -> None:
    draft = Definition.model_validate(
        definition(
            [
                step(
                    "ask",
                    "ask_question",
                    {"text": "?", "answer_type": "choice"},
                    reply="end",
                    invalid="end",
                    timeout="end",
                ),
                step(
                    "when",
                    "branch",
                    {"cases": [{"id": "x", "rule": {"eval": [1]}}]},
                    x="end",
                    **{"else": "end"},
                ),
                step(
                    "call",
                    "http_request",
                    {"url": "ftp://x.example"},
                    success="end",
                    error="end",
                    timeout="end",
                ),
                step("save", "update_contact", {"field": "vars.x", "value": 1}, next="end"),
                step("end", "end"),
            ],
            trigger="message_received",
            match="regex",
            pattern="(",
        )
    )
    problems = {(p.step_id, p.message) for p in config_problems(draft)}
    assert ("ask", "a choice question needs options") in problems
    assert ("when", "case x: unknown operation 'eval'") in problems
    assert ("call", "the URL must start with https:// or http://") in problems
    assert ("save", "update_contact changes the contact: use contact.<...>") in problems
    assert any(p[0] is None and p[1].startswith("the pattern is invalid") for p in problems)


async def test_a_menu_on_a_channel_without_buttons_lists_its_options_in_the_text(
    runtime: Runtime, world: World
) -> None:
    chat = await webchat(runtime, world)
    menu = definition(
        [
            step(
                "menu",
                "ask_question",
                {
                    "text": "Como posso ajudar?",
                    "answer_type": "choice",
                    "options": [{"id": "a", "title": "Vagas"}, {"id": "b", "title": "Entrevista"}],
                },
                a="done",
                b="done",
                reply="done",
                invalid="done",
                timeout="done",
            ),
            step("done", "end"),
        ]
    )
    workflow = await publish(runtime, world, menu)
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)
    async with runtime.database.read_session() as db:
        sent = (
            await db.execute(
                select(Message.body, Message.payload).where(
                    Message.conversation_id == chat.conversation_id, Message.sender_type == "bot"
                )
            )
        ).one()
    assert sent.body == "Como posso ajudar?\n\n1. Vagas\n2. Entrevista"
    assert not (sent.payload or {}).get("interactive")
