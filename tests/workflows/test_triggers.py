"""Triggers from the event log: a contact's lifecycle change, a conversation opening (the bot
takes it from routing and hands it over when the run ends), and only active workflows of the
event's own workspace start runs."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import func, select

from frontdesk.core.contacts.models import CustomFieldDefinition
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.dispatch import dispatch_events
from frontdesk.core.workflows.models import (
    RunStatus,
    Workflow,
    WorkflowRun,
    WorkflowStatus,
    WorkflowVersion,
)
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import Visitor
from tests.api.test_sla import support_chat
from tests.conftest import QueryCounter, World
from tests.workflows.conftest import (
    definition,
    dispatch,
    publish,
    runs_of,
    step,
    steps_of,
    trail,
)


async def test_a_lifecycle_change_starts_its_workflow_once_and_a_paused_one_nothing(
    runtime: Runtime, world: World
) -> None:
    erin = world.acme.contacts["erin"]
    flow = definition(
        [
            step(
                "note",
                "update_contact",
                {"field": "contact.name", "value": "Erin (lead)"},
                next="done",
            ),
            step("done", "end"),
        ],
        trigger="contact_lifecycle_changed",
        stages=["hot_lead"],
    )
    workflow = await publish(runtime, world, flow)
    paused = await publish(runtime, world, flow, name="Paused")
    async with runtime.database.write_session() as s:
        row = await s.get_one(Workflow, paused.id)
        row.status = WorkflowStatus.PAUSED
        await s.commit()
    async with world.client("alice") as alice:
        r = await alice.patch(f"/api/v1/contacts/{erin.id}", json={"lifecycle_stage": "customer"})
        assert r.status_code == 200, r.text
        r = await alice.patch(f"/api/v1/contacts/{erin.id}", json={"lifecycle_stage": "hot_lead"})
        assert r.status_code == 200, r.text
    await dispatch(runtime)
    await dispatch(runtime)  # read again: nothing starts twice

    [run] = await runs_of(runtime, workflow.id)
    assert run.status == RunStatus.COMPLETED
    assert run.contact_id == erin.id
    assert run.conversation_id is None
    assert trail(await steps_of(runtime, run.id)) == [
        ("note", "done", "next"),
        ("done", "done", None),
    ]
    assert await runs_of(runtime, paused.id) == []
    async with world.client("alice") as alice:
        contact = (await alice.get(f"/api/v1/contacts/{erin.id}")).json()
    assert contact["name"] == "Erin (lead)"


async def test_a_conversation_opening_is_held_for_the_bot_and_handed_over_when_it_ends(
    runtime: Runtime, world: World
) -> None:
    flow = definition(
        [
            step("hi", "send_message", {"text": "Olá!"}, next="pause"),
            step("pause", "wait", {"minutes": 30}, next="done"),
            step("done", "end"),
        ],
        trigger="conversation_opened",
    )
    workflow = await publish(runtime, world, flow)
    # A website visitor opens a conversation on Support's chat.
    channel_id = await support_chat(runtime, world)
    await Visitor(world, channel_id, "Maya").writes("Hello?")
    async with runtime.database.read_session() as db:
        routing_jobs = list(await db.scalars(select(Job).where(Job.kind == "routing_route")))
    assert [j.run_at > runtime.clock.now() for j in routing_jobs] == [True]  # held back
    await dispatch(runtime)
    [run] = await runs_of(runtime, workflow.id)
    async with runtime.database.read_session() as db:
        conv = await db.get_one(Conversation, run.conversation_id)
    assert conv.bot_run_id == run.id
    assert conv.queued_at is None

    runtime.clock.advance(minutes=31)  # type: ignore[attr-defined]
    await dispatch(runtime)
    async with runtime.database.read_session() as db:
        conv = await db.get_one(Conversation, run.conversation_id)
    assert conv.bot_run_id is None
    assert conv.queued_at is not None  # queued for people, as a new conversation would be
    assert (await runs_of(runtime, workflow.id))[0].status == RunStatus.COMPLETED

    # Bob answers five minutes after the handover: the first response is those five minutes,
    # not the thirty-six the customer has waited since writing (the bot held it for thirty).
    runtime.clock.advance(minutes=5)  # type: ignore[attr-defined]
    async with world.client("alice") as alice:
        r = await alice.post(
            f"/api/v1/conversations/{conv.id}/messages",
            json={"body": "Hi Maya, Bob here", "client_message_id": "bob-1"},
        )
        assert r.status_code == 201, r.text
    await update_reports(runtime, {})
    async with runtime.database.read_session() as db:
        first = await db.scalar(
            select(ReportFact.seconds).where(
                ReportFact.conversation_id == conv.id, ReportFact.metric == "first_response"
            )
        )
    assert first == 300


async def test_only_a_first_message_a_keyword_workflow_would_take_is_held_back(
    runtime: Runtime, world: World
) -> None:
    """A menu that answers "menu" must not delay everyone else: a new conversation whose first
    message it would not take is routed at once; one that says "menu" waits for the bot."""
    flow = definition(
        [
            step("hi", "send_message", {"text": "1 Vagas, 2 Entrevista"}, next="done"),
            step("done", "end"),
        ],
        trigger="message_received",
        match="keyword",
        keywords=["menu"],
    )
    await publish(runtime, world, flow)
    channel_id = await support_chat(runtime, world)
    await Visitor(world, channel_id, "Maya").writes("Hello, is the night shift open?")
    await Visitor(world, channel_id, "Rui").writes("Menu, please")
    async with runtime.database.read_session() as db:
        routing_jobs = list(
            await db.scalars(select(Job).where(Job.kind == "routing_route").order_by(Job.id))
        )
    assert [j.run_at > runtime.clock.now() for j in routing_jobs] == [False, True]


async def test_an_event_that_cannot_be_applied_stops_no_other(
    runtime: Runtime, world: World
) -> None:
    flow = definition(
        [step("hi", "send_message", {"text": "Oi!"}, next="done"), step("done", "end")],
        trigger="message_received",
    )
    channel_id = await support_chat(runtime, world)
    ana = Visitor(world, channel_id, "Ana")
    first = await ana.writes("one")
    await dispatch(runtime)  # no workflow yet: nothing starts
    broken = await publish(runtime, world, flow, name="Broken")
    # A run waiting on a reply whose version cannot be read (as a bad row would be).
    async with runtime.database.write_session() as s:
        row = await s.get_one(Workflow, broken.id)
        version = await s.get_one(WorkflowVersion, row.published_version_id)
        version.definition = {"trigger": {"type": "nope"}}
        now = runtime.clock.now()
        s.add(
            WorkflowRun(
                workspace_id=world.acme.id,
                workflow_id=broken.id,
                version_id=version.id,
                conversation_id=uuid.UUID(first),
                status=RunStatus.WAITING,
                wait_kind="reply",
                current_step="hi",
                started_at=now,
                updated_at=now,
            )
        )
        (await s.get_one(Workflow, broken.id)).status = WorkflowStatus.PAUSED
        await s.commit()
    healthy = await publish(runtime, world, flow, name="Healthy")
    await ana.writes("two")  # offered to the broken run: cannot be applied
    second = await Visitor(world, channel_id, "Bia").writes("three")
    await dispatch(runtime)

    started = await runs_of(runtime, healthy.id)
    assert [str(r.conversation_id) for r in started] == [second]


async def test_a_workflow_does_not_start_itself_again_from_its_own_changes(
    runtime: Runtime, world: World
) -> None:
    erin = world.acme.contacts["erin"]
    async with runtime.database.write_session() as s:
        s.add(
            CustomFieldDefinition(
                workspace_id=world.acme.id,
                key="city",
                label="City",
                field_type="text",
                options=[],
                created_at=runtime.clock.now(),
            )
        )
        await s.commit()
    flow = definition(
        [
            step(
                "tidy",
                "update_contact",
                {"field": "contact.fields.city", "value": "Recife"},
                next="done",
            ),
            step("done", "end"),
        ],
        trigger="contact_field_changed",
        field_keys=["city"],
    )
    workflow = await publish(runtime, world, flow)
    async with world.client("alice") as alice:
        r = await alice.put(f"/api/v1/contacts/{erin.id}/fields", json={"city": "recife"})
        assert r.status_code == 200, r.text
    for _ in range(3):
        runtime.clock.advance(seconds=5)  # type: ignore[attr-defined]
        await dispatch(runtime)
    [run] = await runs_of(runtime, workflow.id)
    assert run.status == RunStatus.COMPLETED
    async with world.client("alice") as alice:
        assert (await alice.get(f"/api/v1/contacts/{erin.id}")).json()["fields"] == {
            "city": "Recife"
        }


async def test_an_idle_dispatcher_tick_is_one_read(
    runtime: Runtime, world: World, count_queries: Callable[[], QueryCounter]
) -> None:
    await dispatch(runtime)  # reads whatever the world's setup wrote
    async with runtime.uow() as uow:
        with count_queries() as counter:
            progress = await dispatch_events(uow)
        await uow.commit()
    assert progress.events_read == 0
    assert counter.count == 1


async def test_a_breached_sla_target_and_a_close_start_their_workflows(
    runtime: Runtime, world: World
) -> None:
    conv = world.acme.conversations["erin_support"]
    notes = [step("say", "note", {"text": "{{trigger.type}} {{trigger.target}}"}, next="done")]
    breach = await publish(
        runtime,
        world,
        definition(
            [*notes, step("done", "end")], trigger="sla_breached", targets=["first_response"]
        ),
        name="Breach",
    )
    closed = await publish(
        runtime,
        world,
        definition([*notes, step("done", "end")], trigger="conversation_closed"),
        name="Closed",
    )
    async with runtime.database.write_session() as s:  # as the SLA job announces them
        for target in ("next_response", "first_response"):
            s.add(
                EventLogEntry(
                    workspace_id=world.acme.id,
                    type="conversation.sla_breached",
                    audience=[],
                    payload={"conversation_id": str(conv.id), "target": target},
                    created_at=runtime.clock.now(),
                )
            )
        await s.commit()
    async with world.client("bob") as bob:
        r = await bob.post(f"/api/v1/conversations/{conv.id}/close", json={"outcome": None})
        assert r.status_code == 200, r.text
    await dispatch(runtime)

    [on_breach] = await runs_of(runtime, breach.id)
    [on_close] = await runs_of(runtime, closed.id)
    assert on_breach.trigger["target"] == "first_response"
    assert (on_breach.conversation_id, on_close.conversation_id) == (conv.id, conv.id)
    assert (on_breach.status, on_close.status) == (RunStatus.COMPLETED, RunStatus.COMPLETED)
    [row, _] = await steps_of(runtime, on_breach.id)
    assert row.output["body"] == "sla_breached first_response"


async def test_a_survey_step_after_a_close_asks_and_keeps_the_answer_with_surveys_off(
    runtime: Runtime, world: World
) -> None:
    """CSAT after close as a workflow: the workspace's own survey is off, the workflow asks
    (once per close, in the workspace's question) and the customer's "5" is its answer."""
    flow = definition(
        [step("ask", "send_message", {"survey": "csat"}, next="done"), step("done", "end")],
        trigger="conversation_closed",
    )
    workflow = await publish(runtime, world, flow)
    channel_id = await support_chat(runtime, world)
    maya = Visitor(world, channel_id, "Maya")
    conversation_id = await maya.writes("Hello, is the night shift open?")
    async with world.client("alice") as alice:
        r = await alice.post(
            f"/api/v1/conversations/{conversation_id}/close", json={"outcome": None}
        )
        assert r.status_code == 200, r.text
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(CsatResponse)) == 0
    await dispatch(runtime)
    [run] = await runs_of(runtime, workflow.id)
    [asked, _] = await steps_of(runtime, run.id)
    assert asked.output == {"survey": "csat", "sent": True}
    await maya.writes("5")
    async with runtime.database.read_session() as db:
        [answer] = list(await db.scalars(select(CsatResponse)))
        status = await db.scalar(
            select(Conversation.status).where(Conversation.id == uuid.UUID(conversation_id))
        )
    assert answer.rating == 5
    assert status == "closed"  # the answer reopens nothing
