"""Advancing a run, one step per transaction, from the `workflow_advance` job.

Each job names the run and a fence: the run's `steps_taken` when the job was enqueued (and,
for a wake-up, the wait it ends). A job whose fence no longer matches the run (a duplicate, a
job from before a restart, a wake-up for a wait already over) does nothing, so a step is taken
once however often its job runs. A step is written with its effects in one transaction; the
HTTP request step, whose effect is outside, is written as STARTED with its idempotency key and
committed before the call, and finished in a second transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.workflows.definition import STEP_BUDGET, Definition, Step
from frontdesk.core.workflows.events import RunStep, RunWaiting, emit_run
from frontdesk.core.workflows.models import (
    RunStatus,
    StepRunStatus,
    WorkflowRun,
    WorkflowStepRun,
    WorkflowVersion,
)
from frontdesk.core.workflows.runs import bot_actor, enqueue_advance, finish_run
from frontdesk.core.workflows.steps import STEP_HANDLERS, parse_config
from frontdesk.core.workflows.steps.base import Outcome, StepContext, StepFailed
from frontdesk.core.workflows.steps.http import (
    HttpAnswer,
    HttpCaller,
    HttpRequestConfig,
    build_call,
    call_input,
    read_answer,
)
from frontdesk.core.workflows.variables import contact_data, conversation_data
from frontdesk.db.uow import UnitOfWork

STEPS_PER_JOB = 25
# Steps whose effect leaves the database: their rows carry the idempotency key.
EFFECT_TYPES = frozenset({"send_message", "ask_question", "note", "handover", "http_request"})

Uows = Callable[[], UnitOfWork]


async def lock_run(uow: UnitOfWork, run_id: uuid.UUID) -> WorkflowRun | None:
    query = (
        select(WorkflowRun)
        .where(WorkflowRun.id == run_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return await uow.session.scalar(query)


async def definition_of(uow: UnitOfWork, run: WorkflowRun) -> Definition:
    """The run's own definition: its version's (a test run carries its draft's)."""
    if run.is_test and isinstance(run.trigger.get("definition"), dict):
        return Definition.model_validate(run.trigger["definition"])
    version = await uow.session.get(WorkflowVersion, run.version_id)
    if version is None:  # pragma: no cover - versions are never deleted while runs name them
        raise RuntimeError("the run's version is gone")
    return Definition.model_validate(version.definition)


async def context_for(
    uow: UnitOfWork, run: WorkflowRun, definition: Definition, step: Step, seq: int
) -> StepContext:
    conv = None
    if run.conversation_id is not None:
        conv = await uow.session.scalar(
            select(Conversation).where(
                Conversation.id == run.conversation_id,
                Conversation.workspace_id == run.workspace_id,
            )
        )
    session = uow.session
    variables = {k: v for k, v in run.variables.items() if not k.startswith("_")}
    data: dict[str, Any] = {
        "contact": await contact_data(session, run.workspace_id, run.contact_id),
        "conversation": await conversation_data(session, conv),
        "message": {"text": str(run.variables.get("_message") or "")},
        "vars": variables,
        "trigger": {k: v for k, v in run.trigger.items() if k != "definition"},
    }
    return StepContext(
        uow=uow,
        run=run,
        definition=definition,
        step=step,
        seq=seq,
        data=data,
        conversation=conv,
        actor=bot_actor(run.workspace_id),
    )


def _step(definition: Definition, step_id: str | None) -> Step | None:
    return next((s for s in definition.steps if s.id == step_id), None)


async def _row(uow: UnitOfWork, run: WorkflowRun, seq: int) -> WorkflowStepRun | None:
    return await uow.session.scalar(
        select(WorkflowStepRun).where(WorkflowStepRun.run_id == run.id, WorkflowStepRun.seq == seq)
    )


async def _open_row(uow: UnitOfWork, ctx: StepContext) -> WorkflowStepRun:
    """The step's row at its seq: a new one, or the one an earlier attempt left (a retry
    after a failure, or after a process died mid-call): same key, one more attempt."""
    row = await _row(uow, ctx.run, ctx.seq)
    now = uow.now()
    if row is None:
        row = WorkflowStepRun(
            workspace_id=ctx.run.workspace_id,
            run_id=ctx.run.id,
            seq=ctx.seq,
            step_id=ctx.step.id,
            step_type=ctx.step.type,
            status=StepRunStatus.STARTED,
            input={},
            output={},
            idempotency_key=ctx.key if ctx.step.type in EFFECT_TYPES else None,
            attempts=1,
            started_at=now,
        )
        uow.session.add(row)
    else:
        row.attempts += 1
        row.status, row.error, row.started_at = StepRunStatus.STARTED, None, now
        row.step_id, row.step_type = ctx.step.id, ctx.step.type
    try:
        row.input = ctx.render_value(ctx.step.config)
    except Exception:  # pragma: no cover - a config the renderer cannot walk
        row.input = dict(ctx.step.config)
    return row


async def apply_outcome(
    uow: UnitOfWork,
    ctx: StepContext,
    row: WorkflowStepRun,
    outcome: Outcome,
) -> None:
    """Write what the step did into its row and move the run on (or make it wait, or end)."""
    run, now = ctx.run, uow.now()
    row.output, row.outlet, row.ended_at = outcome.output, outcome.outlet, now
    run.steps_taken = ctx.seq
    run.updated_at = now
    if outcome.wait is not None:
        row.status = StepRunStatus.WAITING
        run.status, run.wait_kind, run.wait_until = (
            RunStatus.WAITING,
            outcome.wait.kind,
            outcome.wait.until,
        )
        run.current_step = ctx.step.id
        if outcome.wait.until is not None:
            wake = "time" if outcome.wait.kind == "time" else "timeout"
            enqueue_advance(uow, run, wake=wake, run_at=outcome.wait.until)
        emit_run(uow, RunWaiting, run, row)
        return
    row.status = StepRunStatus.DONE
    emit_run(uow, RunStep, run, row)
    if outcome.end is not None:
        await finish_run(uow, run, RunStatus.COMPLETED, why=outcome.end)
        return
    target = outcome.goto or (ctx.step.next.get(outcome.outlet) if outcome.outlet else None)
    if target is None or _step(ctx.definition, target) is None:
        await fail(uow, run, f"step {ctx.step.id!r}: its {outcome.outlet!r} branch leads nowhere")
        return
    run.current_step = target


async def fail(uow: UnitOfWork, run: WorkflowRun, error: str) -> None:
    await finish_run(uow, run, RunStatus.FAILED, error=error[:2000], why="failed")


async def take_step(uow: UnitOfWork, run: WorkflowRun) -> str | None:
    """Take the run's current step in this transaction. Returns "http" when the step is an
    HTTP request to be made outside it (see `begin_http` and `finish_http`)."""
    definition = await definition_of(uow, run)
    step = _step(definition, run.current_step)
    if step is None:
        await fail(uow, run, f"the step {run.current_step!r} does not exist in this version")
        return None
    if run.steps_taken >= STEP_BUDGET:
        await fail(
            uow,
            run,
            f"the run took {STEP_BUDGET} steps (the step budget): the workflow seems to loop",
        )
        return None
    if step.type == "http_request" and not run.is_test:
        return "http"
    ctx = await context_for(uow, run, definition, step, run.steps_taken + 1)
    row = await _open_row(uow, ctx)
    try:
        config = parse_config(step)
        outcome = await STEP_HANDLERS[step.type].run(ctx, config)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"]
        raise StepFailed(f"step {step.id!r}: its settings are invalid: {message}") from None
    await apply_outcome(uow, ctx, row, outcome)
    return None


async def record_failure(uow: UnitOfWork, run_id: uuid.UUID, fence: int, error: str) -> None:
    """After a step failed (its transaction rolled back): the failed row and the run's end,
    so the run log tells why and `retry_run` can take the step again."""
    run = await lock_run(uow, run_id)
    if run is None or run.status != RunStatus.RUNNING or run.steps_taken != fence:
        return
    definition = await definition_of(uow, run)
    step = _step(definition, run.current_step)
    if step is not None:
        ctx = await context_for(uow, run, definition, step, run.steps_taken + 1)
        row = await _open_row(uow, ctx)
        row.status, row.error, row.ended_at = StepRunStatus.FAILED, error[:2000], uow.now()
        emit_run(uow, RunStep, run, row)
    await fail(uow, run, error)


async def begin_http(uow: UnitOfWork, run: WorkflowRun) -> tuple[Any, HttpRequestConfig] | None:
    """Write the HTTP step as STARTED with its key (committed by the caller before calling)."""
    definition = await definition_of(uow, run)
    step = _step(definition, run.current_step)
    if step is None:  # pragma: no cover - checked by take_step
        return None
    ctx = await context_for(uow, run, definition, step, run.steps_taken + 1)
    row = await _open_row(uow, ctx)
    try:
        config = HttpRequestConfig.model_validate(step.config)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"]
        raise StepFailed(f"step {step.id!r}: its settings are invalid: {message}") from None
    call = build_call(ctx, config)
    row.input = call_input(call)
    return call, config


async def finish_http(
    uow: UnitOfWork, run_id: uuid.UUID, fence: int, answer: HttpAnswer, attempts: int
) -> WorkflowRun | None:
    """The HTTP step's answer, written if the run is still where the call left it."""
    run = await lock_run(uow, run_id)
    if run is None or run.status != RunStatus.RUNNING or run.steps_taken != fence:
        return None
    definition = await definition_of(uow, run)
    step = _step(definition, run.current_step)
    row = await _row(uow, run, fence + 1)
    if step is None or row is None or row.status != StepRunStatus.STARTED:
        return None
    ctx = await context_for(uow, run, definition, step, fence + 1)
    config = HttpRequestConfig.model_validate(step.config)
    outcome = read_answer(ctx, config, answer)
    outcome.output["calls"] = attempts
    await apply_outcome(uow, ctx, row, outcome)
    return run


async def call_with_retries(http: HttpCaller, call: Any, config: HttpRequestConfig) -> Any:
    """The call, again with the same key after a timeout or a lost connection."""
    answer = HttpAnswer(failure="error")
    tries = 0
    for _ in range(config.retries + 1):
        tries += 1
        answer = await http(call)
        if answer.failure not in ("timeout", "error") or answer.status is not None:
            break
    return answer, tries


async def wake(uow: UnitOfWork, run: WorkflowRun, fence: int, kind: str) -> bool:
    """End the run's wait (a `wait` step's time came, or a question timed out); False when
    the wake-up is stale (the run moved on, or was answered, or ended)."""
    wanted = "time" if kind == "time" else "reply"
    if run.status != RunStatus.WAITING or run.steps_taken != fence or run.wait_kind != wanted:
        return False
    if run.wait_until is not None and run.wait_until > uow.now():
        return False
    definition = await definition_of(uow, run)
    step = _step(definition, run.current_step)
    row = await _row(uow, run, fence)
    if step is None or row is None:
        await fail(uow, run, "the step the run waited on is gone")
        return True
    run.status, run.wait_kind, run.wait_until = RunStatus.RUNNING, None, None
    ctx = await context_for(uow, run, definition, step, fence)
    outlet = "next" if kind == "time" else "timeout"
    await apply_outcome(uow, ctx, row, Outcome(outlet=outlet, output=row.output))
    return True


async def _call(
    uows: Uows, run_id: uuid.UUID, fence: int, prepared: Any, http: HttpCaller
) -> tuple[int, bool] | None:
    """Make the HTTP step's call (no transaction open), then write its answer."""
    if prepared is None:
        return None
    call, config = prepared
    answer, tries = await call_with_retries(http, call, config)
    async with uows() as uow:
        moved = await finish_http(uow, run_id, fence, answer, tries)
        if moved is None:
            return None
        result = moved.steps_taken, moved.status == RunStatus.RUNNING
        await uow.commit()
    return result


async def _wake_up(uows: Uows, run_id: uuid.UUID, fence: int, kind: str) -> int | None:
    """End the wait in its own transaction; the fence to go on from, or None to stop."""
    async with uows() as uow:
        run = await lock_run(uow, run_id)
        if run is None or not await wake(uow, run, fence, kind):
            return None
        fence, running = run.steps_taken, run.status == RunStatus.RUNNING
        await uow.commit()
    return fence if running else None


async def _one_step(uows: Uows, run_id: uuid.UUID, fence: int, http: HttpCaller) -> int | None:
    """Take one step; the fence to go on from, or None when the run waits, ended or moved."""
    async with uows() as uow:
        run = await lock_run(uow, run_id)
        if run is None or run.status != RunStatus.RUNNING or run.steps_taken != fence:
            return None
        prepared = None
        try:
            pending = await take_step(uow, run)
            if pending == "http":
                prepared = await begin_http(uow, run)
        except StepFailed as exc:
            await uow.rollback()
            await record_failure(uow, run_id, fence, str(exc))
            await uow.commit()
            return None
        if pending != "http":
            fence, running = run.steps_taken, run.status == RunStatus.RUNNING
            await uow.commit()
            return fence if running else None
        await uow.commit()  # the step's key is stored before the call
    moved = await _call(uows, run_id, fence, prepared, http)
    if moved is None or not moved[1]:
        return None
    return moved[0]


async def advance_run(
    uows: Uows,
    run_id: uuid.UUID,
    fence: int,
    *,
    http: HttpCaller,
    wake_kind: str | None = None,
) -> None:
    """Take the run's steps until it waits or ends (or this job's share is done: the next
    job is enqueued). Each step is its own transaction."""
    current: int | None = fence
    if wake_kind is not None:
        current = await _wake_up(uows, run_id, fence, wake_kind)
    for _ in range(STEPS_PER_JOB):
        if current is None:
            return
        current = await _one_step(uows, run_id, current, http)
    if current is None:
        return
    async with uows() as uow:
        run = await lock_run(uow, run_id)
        if run is not None and run.status == RunStatus.RUNNING and run.steps_taken == current:
            enqueue_advance(uow, run)
            await uow.commit()
