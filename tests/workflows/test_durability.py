"""A run survives what a process does to it: killed during a wait, a job run twice, a
workflow republished mid-run, two starts at once, an endless loop, a failed step retried."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import CustomFieldDefinition
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows import advance
from frontdesk.core.workflows.models import RunStatus, StepRunStatus, WorkflowVersion
from frontdesk.core.workflows.runs import bot_actor, retry_run
from frontdesk.db.outbox import Job
from frontdesk.settings import Settings
from frontdesk.wiring import build_runtime
from tests.conftest import Published, World
from tests.workflows.conftest import (
    bot_messages,
    definition,
    jobs_of,
    later,
    publish,
    run_jobs,
    start,
    step,
    steps_of,
    the_run,
    trail,
    webchat,
)

WAITING_FLOW = definition(
    [
        step("hello", "send_message", {"text": "Hi {{contact.name}}"}, next="pause"),
        step("pause", "wait", {"minutes": 60}, next="again"),
        step("again", "send_message", {"text": "Still there?"}, next="done"),
        step("done", "end"),
    ]
)


async def test_a_process_killed_during_a_wait_resumes_once(
    runtime: Runtime, world: World, settings: Settings, clock: FrozenClock, published: Published
) -> None:
    chat = await webchat(runtime, world)
    workflow = await publish(runtime, world, WAITING_FLOW)
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)
    waiting = await the_run(runtime, run.id)
    assert (waiting.status, waiting.current_step, waiting.wait_kind) == ("waiting", "pause", "time")
    assert [m.body for m in await bot_messages(runtime, chat.conversation_id)] == ["Hi Gabi"]

    # The process dies; another starts on the same database and finds the wake-up job, twice
    # (a copy, as a lost lease would leave).
    [wake] = await jobs_of(runtime, "workflow_advance")
    async with runtime.database.write_session() as s:
        s.add(
            Job(
                workspace_id=wake.workspace_id,
                kind=wake.kind,
                payload=dict(wake.payload),
                status="pending",
                run_at=wake.run_at,
                attempts=0,
                max_attempts=8,
                created_at=wake.created_at,
                updated_at=wake.updated_at,
            )
        )
        await s.commit()
    await runtime.database.dispose()
    again = build_runtime(settings, clock=clock, mailer=runtime.mailer, publisher=runtime.publisher)
    try:
        assert await run_jobs(again) == 0  # not due yet
        later(clock, 61)
        await run_jobs(again)
        await run_jobs(again)
    finally:
        await again.database.dispose()

    done = await the_run(runtime, run.id)
    assert done.status == RunStatus.COMPLETED
    assert done.active_key is None
    rows = await steps_of(runtime, run.id)
    assert trail(rows) == [
        ("hello", "done", "next"),
        ("pause", "done", "next"),
        ("again", "done", "next"),
        ("done", "done", None),
    ]
    assert [m.body for m in await bot_messages(runtime, chat.conversation_id)] == [
        "Hi Gabi",
        "Still there?",
    ]
    assert rows[0].idempotency_key == f"{run.id}:1"
    types = [e.type for e in published.events if e.type.startswith("workflow.")]
    assert types[0] == "workflow.run_started"
    assert "workflow.run_waiting" in types
    assert types[-1] == "workflow.run_completed"


async def test_a_run_keeps_its_version_when_the_workflow_is_republished(
    runtime: Runtime, world: World
) -> None:
    chat = await webchat(runtime, world)
    first = definition(
        [
            step(
                "ask",
                "ask_question",
                {"text": "Your city?", "save_to": "vars.city"},
                reply="say",
                invalid="done",
                timeout="done",
            ),
            step("say", "send_message", {"text": "v1: {{vars.city}}"}, next="done"),
            step("done", "end"),
        ]
    )
    workflow = await publish(runtime, world, first)
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)
    assert (await the_run(runtime, run.id)).wait_kind == "reply"

    second = definition(
        [
            step(
                "ask",
                "ask_question",
                {"text": "Where?", "save_to": "vars.city"},
                reply="say",
                invalid="done",
                timeout="done",
            ),
            step("say", "send_message", {"text": "v2: {{vars.city}}"}, next="done"),
            step("done", "end"),
        ]
    )
    workflow = await publish(runtime, world, second, workflow_id=workflow.id)
    from frontdesk.core.workflows.replies import deliver_reply

    async with runtime.uow() as uow:
        assert await deliver_reply(uow, run.id, {"body": "Recife"})
        await uow.commit()
    await run_jobs(runtime)

    bodies = [m.body for m in await bot_messages(runtime, chat.conversation_id)]
    assert bodies == ["Your city?", "v1: Recife"]
    finished = await the_run(runtime, run.id)
    assert finished.status == RunStatus.COMPLETED
    assert finished.variables["city"] == "Recife"
    # A new run takes the new version.
    newer = await start(runtime, workflow, chat.conversation_id)
    assert newer is not None
    assert newer.version_id != run.version_id
    await run_jobs(runtime)
    assert (await bot_messages(runtime, chat.conversation_id))[-1].body == "Where?"


async def test_two_concurrent_starts_make_one_active_run(runtime: Runtime, world: World) -> None:
    chat = await webchat(runtime, world)
    flow = definition([step("pause", "wait", {"minutes": 5}, next="done"), step("done", "end")])
    workflow = await publish(runtime, world, flow)
    started = await asyncio.gather(
        start(runtime, workflow, chat.conversation_id),
        start(runtime, workflow, chat.conversation_id),
    )
    assert sorted(r is None for r in started) == [False, True]
    await run_jobs(runtime)
    # Once it ended, the workflow may run on the conversation again.
    later(runtime.clock, 6)  # type: ignore[arg-type]
    await run_jobs(runtime)
    assert await start(runtime, workflow, chat.conversation_id) is not None


async def test_the_step_budget_stops_an_endless_loop_with_a_clear_error(
    runtime: Runtime, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(advance, "STEP_BUDGET", 12)
    chat = await webchat(runtime, world)
    flow = definition(
        [
            step(
                "check",
                "branch",
                {"cases": [{"id": "never", "rule": False}]},
                never="back",
                **{"else": "back"},
            ),
            step("back", "jump", {"target": "check"}),
        ]
    )
    workflow = await publish(runtime, world, flow)
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)
    failed = await the_run(runtime, run.id)
    assert failed.status == RunStatus.FAILED
    assert failed.error is not None
    assert "step budget" in failed.error
    assert failed.steps_taken == 12
    assert failed.active_key is None


async def test_retry_continues_a_failed_run_from_its_failed_step(
    runtime: Runtime, world: World
) -> None:
    chat = await webchat(runtime, world)
    flow = definition(
        [
            step("hello", "send_message", {"text": "Hi"}, next="save"),
            step(
                "save",
                "update_contact",
                {"field": "contact.fields.cpf", "value": "{{vars.cpf}}"},
                next="bye",
            ),
            step("bye", "send_message", {"text": "Saved"}, next="done"),
            step("done", "end"),
        ]
    )
    workflow = await publish(runtime, world, flow)
    async with runtime.uow() as uow:
        from frontdesk.core.workflows.runs import start_run

        run = await start_run(
            uow,
            workflow=workflow,
            trigger={"type": "shortcut"},
            conversation_id=chat.conversation_id,
            variables={"cpf": "52998224725"},
        )
        await uow.commit()
    assert run is not None
    await run_jobs(runtime)
    failed = await the_run(runtime, run.id)
    assert failed.status == RunStatus.FAILED
    assert failed.error is not None
    assert "no custom field 'cpf'" in failed.error
    rows = await steps_of(runtime, run.id)
    assert trail(rows) == [("hello", "done", "next"), ("save", StepRunStatus.FAILED, None)]

    async with runtime.database.write_session() as s:  # an owner adds the missing field
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
    async with runtime.uow() as uow:
        again = await uow.session.get_one(type(failed), run.id)
        await retry_run(uow, again, bot_actor(world.acme.id))
        await uow.commit()
    await run_jobs(runtime)

    done = await the_run(runtime, run.id)
    assert done.status == RunStatus.COMPLETED
    rows = await steps_of(runtime, run.id)
    assert trail(rows) == [
        ("hello", "done", "next"),
        ("save", "done", "next"),
        ("bye", "done", "next"),
        ("done", "done", None),
    ]
    assert rows[1].attempts == 2  # the same step row, the same key, a second attempt
    assert [m.body for m in await bot_messages(runtime, chat.conversation_id)] == ["Hi", "Saved"]
    async with runtime.database.read_session() as db:
        stored = await db.scalar(
            select(CustomFieldDefinition.key).where(
                CustomFieldDefinition.workspace_id == world.acme.id
            )
        )
    assert stored == "cpf"


async def test_a_run_whose_job_is_given_up_fails_where_it_stood(
    runtime: Runtime, world: World
) -> None:
    chat = await webchat(runtime, world)
    workflow = await publish(runtime, world, WAITING_FLOW)
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    async with runtime.database.write_session() as s:  # a version row damaged by hand
        version = await s.get_one(WorkflowVersion, run.version_id)
        version.definition = {"steps": "?"}
        [job] = (await s.scalars(select(Job).where(Job.kind == "workflow_advance"))).all()
        job.max_attempts = 1
        await s.commit()
    await run_jobs(runtime)
    failed = await the_run(runtime, run.id)
    assert failed.status == RunStatus.FAILED
    assert failed.error is not None
    assert failed.error.startswith("the engine gave up on this step")
    assert failed.active_key is None


async def test_an_unanswered_question_times_out_and_a_late_answer_is_not_taken(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    from frontdesk.core.workflows.replies import deliver_reply

    chat = await webchat(runtime, world)
    flow = definition(
        [
            step(
                "ask",
                "ask_question",
                {"text": "Still there?", "timeout_minutes": 5},
                reply="yes",
                invalid="yes",
                timeout="gone",
            ),
            step("yes", "send_message", {"text": "Great"}, next="done"),
            step("gone", "send_message", {"text": "Talk later"}, next="done"),
            step("done", "end"),
        ]
    )
    workflow = await publish(runtime, world, flow)
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)
    later(clock, 4)
    await run_jobs(runtime)
    assert (await the_run(runtime, run.id)).status == RunStatus.WAITING
    later(clock, 2)
    await run_jobs(runtime)
    async with runtime.uow() as uow:
        assert not await deliver_reply(uow, run.id, {"body": "yes!"})
    assert trail(await steps_of(runtime, run.id)) == [
        ("ask", "done", "timeout"),
        ("gone", "done", "next"),
        ("done", "done", None),
    ]
    bodies = [m.body for m in await bot_messages(runtime, chat.conversation_id)]
    assert bodies == ["Still there?", "Talk later"]


async def test_a_file_question_takes_a_message_with_a_file_and_keeps_its_id(
    runtime: Runtime, world: World
) -> None:
    from frontdesk.core.workflows.replies import deliver_reply

    chat = await webchat(runtime, world)
    flow = definition(
        [
            step(
                "ask",
                "ask_question",
                {
                    "text": "Your CV, please",
                    "answer_type": "file",
                    "invalid_text": "A file, please",
                    "max_attempts": 2,
                    "save_to": "vars.cv_message_id",
                },
                reply="thanks",
                invalid="none",
                timeout="none",
            ),
            step("thanks", "send_message", {"text": "Got it"}, next="done"),
            step("none", "send_message", {"text": "No CV then"}, next="done"),
            step("done", "end"),
        ]
    )
    workflow = await publish(runtime, world, flow)
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)
    file_message = str(uuid.uuid4())
    async with runtime.uow() as uow:
        # Words alone are not a file: asked again.
        assert await deliver_reply(
            uow, run.id, {"id": str(uuid.uuid4()), "kind": "text", "body": "cv.pdf"}
        )
        await uow.commit()
    async with runtime.uow() as uow:
        assert await deliver_reply(uow, run.id, {"id": file_message, "kind": "media", "body": ""})
        await uow.commit()
    await run_jobs(runtime)
    done = await the_run(runtime, run.id)
    assert done.status == RunStatus.COMPLETED
    assert done.variables["cv_message_id"] == file_message
    assert trail(await steps_of(runtime, run.id)) == [
        ("ask", "done", "reply"),
        ("thanks", "done", "next"),
        ("done", "done", None),
    ]
    bodies = [m.body for m in await bot_messages(runtime, chat.conversation_id)]
    assert bodies == ["Your CV, please", "A file, please", "Got it"]
