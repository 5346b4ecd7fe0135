"""The durable job runner against a real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.actions import WAKE_JOB
from frontdesk.core.conversations.messages import DELIVER_JOB
from frontdesk.core.runtime import Runtime
from frontdesk.db.engine import create_database
from frontdesk.db.outbox import Job, JobStatus
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.registry import JobRegistry
from frontdesk.jobs.runner import BACKOFF_CAP_SECONDS, JobRunner, backoff_seconds
from tests.jobs.kit import (
    CHAIN,
    DEFERRING,
    DOOMED,
    FLAKY,
    RECORD,
    Kit,
    all_jobs,
    enqueue,
    get_job,
    wait_until,
)

WORKER_SCRIPT = Path(__file__).with_name("claiming_worker.py")
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kit() -> Kit:
    return Kit()


def runner_for(runtime: Runtime, registry: JobRegistry, name: str = "w1", **kw: Any) -> JobRunner:
    return JobRunner(runtime, registry, worker_id=name, rng=random.Random(7), **kw)


async def must_get(runtime: Runtime, job_id: int) -> Job:
    job = await get_job(runtime, job_id)
    assert job is not None
    return job


async def test_a_job_runs_once_and_leaves_the_queue(runtime: Runtime, kit: Kit) -> None:
    await enqueue(runtime, RECORD, {"n": 1})
    runner = runner_for(runtime, kit.registry)

    assert await runner.run_once() == 1
    assert kit.payloads(RECORD) == [{"n": 1}]
    assert await all_jobs(runtime) == []
    assert runner.stats.completed == 1

    assert await runner.run_once() == 0
    assert len(kit.calls) == 1


async def test_a_handler_writes_through_its_own_unit_of_work(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    chain_id = await enqueue(runtime, CHAIN, {"n": 5})
    runner = runner_for(runtime, kit.registry)

    assert await runner.run_once() == 1
    [follow_up] = await all_jobs(runtime)
    assert follow_up.id != chain_id
    assert (follow_up.kind, follow_up.status) == (RECORD, JobStatus.PENDING)
    assert follow_up.run_at == clock.now() + timedelta(minutes=1)

    clock.advance(minutes=1)
    assert await runner.run_once() == 1
    assert kit.payloads(RECORD) == [{"after": 5}]


async def test_jobs_not_yet_due_are_left_alone(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    job_id = await enqueue(runtime, RECORD, {"n": 1}, delay=timedelta(minutes=10))
    runner = runner_for(runtime, kit.registry)

    assert await runner.run_once() == 0
    clock.advance(minutes=9, seconds=59)
    assert await runner.run_once() == 0
    job = await must_get(runtime, job_id)
    assert (job.status, job.attempts) == (JobStatus.PENDING, 0)

    clock.advance(seconds=1)
    assert await runner.run_once() == 1
    assert kit.payloads(RECORD) == [{"n": 1}]


async def test_due_jobs_run_oldest_first(runtime: Runtime, clock: FrozenClock, kit: Kit) -> None:
    await enqueue(runtime, RECORD, {"n": "later"}, delay=timedelta(seconds=30))
    await enqueue(runtime, RECORD, {"n": "sooner"}, delay=timedelta(seconds=10))
    await enqueue(runtime, RECORD, {"n": "now"})
    clock.advance(minutes=1)

    assert await runner_for(runtime, kit.registry).run_once() == 3
    assert [p["n"] for p in kit.payloads(RECORD)] == ["now", "sooner", "later"]


async def test_a_failing_job_is_retried_with_growing_backoff_then_dead(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    job_id = await enqueue(runtime, FLAKY, {"fail_times": 99}, max_attempts=4)
    runner = runner_for(runtime, kit.registry)
    delays: list[float] = []

    for attempt in (1, 2, 3):
        assert await runner.run_once() == 1
        job = await must_get(runtime, job_id)
        assert (job.status, job.attempts) == (JobStatus.PENDING, attempt)
        assert (job.locked_by, job.lease_until) == (None, None)
        assert job.last_error == f"RuntimeError: boom {attempt}"
        delay = (job.run_at - clock.now()).total_seconds()
        nominal = 2.0 * 2 ** (attempt - 1)
        assert nominal * 0.8 <= delay <= nominal * 1.2
        delays.append(delay)
        assert await runner.run_once() == 0  # not due before its backoff
        clock.set(job.run_at)

    assert delays == sorted(delays)
    assert len(set(delays)) == 3
    assert await runner.run_once() == 1
    job = await must_get(runtime, job_id)
    assert (job.status, job.attempts) == (JobStatus.DEAD, 4)
    assert job.last_error == "RuntimeError: boom 4"
    assert (job.locked_by, job.lease_until) == (None, None)
    assert runner.stats.retried == 3
    assert runner.stats.dead == 1

    clock.advance(days=30)
    assert await runner.run_once() == 0
    assert len(kit.payloads(FLAKY)) == 4


async def test_a_job_that_recovers_completes(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    await enqueue(runtime, FLAKY, {"fail_times": 2})
    runner = runner_for(runtime, kit.registry)

    for _ in range(3):
        assert await runner.run_once() == 1
        clock.advance(minutes=5)

    assert len(kit.payloads(FLAKY)) == 3
    assert await all_jobs(runtime) == []
    assert (runner.stats.retried, runner.stats.completed) == (2, 1)


async def test_permanent_error_makes_the_job_dead_at_once(runtime: Runtime, kit: Kit) -> None:
    job_id = await enqueue(runtime, DOOMED, {"reason": "x" * 5000}, max_attempts=8)
    runner = runner_for(runtime, kit.registry)

    assert await runner.run_once() == 1
    job = await must_get(runtime, job_id)
    assert (job.status, job.attempts, job.lease_until) == (JobStatus.DEAD, 1, None)
    assert job.last_error is not None
    assert job.last_error.startswith("PermanentJobError: xxx")
    assert len(job.last_error) == 2000


async def test_retry_later_honours_the_delay_without_using_up_attempts(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    job_id = await enqueue(runtime, DEFERRING, {"delay": 30, "times": 2}, max_attempts=1)
    runner = runner_for(runtime, kit.registry)

    for _ in range(2):
        assert await runner.run_once() == 1
        job = await must_get(runtime, job_id)
        assert (job.status, job.attempts) == (JobStatus.PENDING, 0)
        assert job.run_at == clock.now() + timedelta(seconds=30)
        assert job.last_error == "RetryJobLater: provider rate limit"
        clock.advance(seconds=29)
        assert await runner.run_once() == 0
        clock.advance(seconds=1)

    assert await runner.run_once() == 1
    assert await all_jobs(runtime) == []
    assert len(kit.payloads(DEFERRING)) == 3
    assert (runner.stats.deferred, runner.stats.completed) == (2, 1)


async def test_a_job_of_an_unknown_kind_is_dead(runtime: Runtime, kit: Kit) -> None:
    job_id = await enqueue(runtime, "test.nobody", {"n": 1})

    assert await runner_for(runtime, kit.registry).run_once() == 1
    job = await must_get(runtime, job_id)
    assert (job.status, job.attempts) == (JobStatus.DEAD, 1)
    assert job.last_error == "UnknownJobKind: no handler is registered for 'test.nobody'"
    assert kit.calls == []


def test_every_kind_the_product_enqueues_has_a_handler() -> None:
    assert {DELIVER_JOB, WAKE_JOB} <= set(build_registry().handlers)


def test_backoff_doubles_and_is_capped() -> None:
    rng = random.Random(1)
    for attempts in range(1, 60):
        nominal = min(2.0 * 2 ** (attempts - 1), BACKOFF_CAP_SECONDS)
        delay = backoff_seconds(attempts, rng)
        assert nominal * 0.8 <= delay <= min(nominal * 1.2, BACKOFF_CAP_SECONDS)


async def test_a_killed_worker_s_job_is_claimed_again_after_its_lease(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    job_id = await enqueue(runtime, RECORD, {"n": 1})
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER_SCRIPT),
        runtime.database.url,
        clock.now().isoformat(),
        "doomed-worker",
        stdout=asyncio.subprocess.PIPE,
        cwd=REPO_ROOT,
    )
    try:
        assert worker.stdout is not None
        line = await asyncio.wait_for(worker.stdout.readline(), timeout=20)
        assert line == b"started 1\n"
        job = await must_get(runtime, job_id)
        assert (job.status, job.locked_by, job.attempts) == (JobStatus.RUNNING, "doomed-worker", 1)
        assert job.lease_until == clock.now() + timedelta(seconds=60)
    finally:
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
    assert worker.returncode == -signal.SIGKILL

    rescuer = runner_for(runtime, kit.registry, "rescuer")
    assert await rescuer.run_once() == 0  # the lease still holds
    clock.advance(seconds=60)
    assert await rescuer.run_once() == 0  # it expires strictly after lease_until
    clock.advance(seconds=1)
    assert await rescuer.run_once() == 1
    assert kit.payloads(RECORD) == [{"n": 1}]
    assert await all_jobs(runtime) == []


async def test_a_worker_lost_on_the_last_attempt_makes_the_job_dead(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    job_id = await enqueue(runtime, RECORD, {"n": 1}, max_attempts=1)
    crashed = runner_for(runtime, kit.registry, "crashed", lease_seconds=60)
    assert [job.id for job in await crashed.claim()] == [job_id]  # then it "dies"

    clock.advance(seconds=61)
    assert await runner_for(runtime, kit.registry, "w2").run_once() == 0
    job = await must_get(runtime, job_id)
    assert (job.status, job.attempts, job.locked_by) == (JobStatus.DEAD, 1, None)
    assert job.last_error == ("WorkerLost: the worker crashed stopped while running attempt 1 of 1")
    assert kit.calls == []


async def test_a_long_handler_keeps_its_lease_alive(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    job_id = await enqueue(runtime, "test.long", {})
    other = runner_for(runtime, kit.registry, "other")
    other_claims: list[int] = []

    async def long_job(_runtime: Runtime, _payload: dict[str, Any]) -> None:
        clock.advance(seconds=45)  # past the 30 s lease taken at the claim

        async def renewed() -> bool:
            job = await must_get(runtime, job_id)
            assert job.lease_until is not None
            return job.lease_until > clock.now()

        await wait_until(renewed)
        other_claims.append(await other.run_once())

    registry = JobRegistry(handlers={"test.long": long_job})
    owner = runner_for(runtime, registry, "owner", lease_seconds=30, heartbeat_seconds=0.02)

    assert await owner.run_once() == 1
    assert other_claims == [0]
    assert await all_jobs(runtime) == []
    assert owner.stats.completed == 1


async def test_a_runner_that_lost_its_lease_cannot_overwrite_the_new_owner(
    runtime: Runtime, clock: FrozenClock, kit: Kit
) -> None:
    job_id = await enqueue(runtime, "test.slow", {"fail_times": 5})
    rescuer_registry = JobRegistry(handlers={"test.slow": kit.flaky})
    rescuer = runner_for(runtime, rescuer_registry, "rescuer", lease_seconds=30)

    async def stalled(_runtime: Runtime, _payload: dict[str, Any]) -> None:
        clock.advance(seconds=31)
        assert await rescuer.run_once() == 1  # claims again and fails: a retry is scheduled

    slow = runner_for(
        runtime, JobRegistry(handlers={"test.slow": stalled}), "slow", lease_seconds=30
    )
    assert await slow.run_once() == 1  # its success arrives too late

    job = await must_get(runtime, job_id)
    assert (job.status, job.attempts) == (JobStatus.PENDING, 2)
    assert job.last_error == "RuntimeError: boom 1"
    assert (slow.stats.lost, slow.stats.completed) == (1, 0)
    assert rescuer.stats.retried == 1


async def test_concurrent_runners_run_each_job_exactly_once(runtime: Runtime) -> None:
    ran: list[int] = []
    both_running = asyncio.Event()

    async def count(_runtime: Runtime, payload: dict[str, Any]) -> None:
        ran.append(payload["n"])
        if len(ran) == 1:  # hold the first batch until the other runner has claimed its own
            await asyncio.wait_for(both_running.wait(), timeout=5)
        else:
            both_running.set()

    async with runtime.uow() as uow:
        for n in range(50):
            uow.enqueue("test.count", {"n": n})
        await uow.commit()
    registry = JobRegistry(handlers={"test.count": count})
    runners = [runner_for(runtime, registry, name, batch_size=5) for name in ("a", "b")]

    async def drain(runner: JobRunner) -> int:
        total = 0
        while ran_now := await runner.run_once():
            total += ran_now
        return total

    totals = await asyncio.gather(*(drain(r) for r in runners))
    assert sorted(ran) == list(range(50))
    assert sum(totals) == 50
    assert min(totals) >= 1
    assert [r.stats.completed for r in runners] == totals
    assert await all_jobs(runtime) == []


async def test_stopping_releases_claimed_jobs_not_yet_started(runtime: Runtime, kit: Kit) -> None:
    ids = [await enqueue(runtime, "test.stopper", {"n": n}) for n in range(3)]

    async def stopper(_runtime: Runtime, payload: dict[str, Any]) -> None:
        kit.calls.append(("test.stopper", payload))
        runner.stop()

    runner = runner_for(runtime, JobRegistry(handlers={"test.stopper": stopper}), batch_size=3)
    assert await runner.run_once() == 1
    rest = [await must_get(runtime, job_id) for job_id in ids[1:]]
    assert [(j.status, j.attempts, j.locked_by) for j in rest] == [(JobStatus.PENDING, 0, None)] * 2
    assert [job.id for job in await all_jobs(runtime)] == ids[1:]


async def test_run_forever_runs_jobs_and_stops_promptly(runtime: Runtime, kit: Kit) -> None:
    for n in range(3):
        await enqueue(runtime, RECORD, {"n": n})
    runner = runner_for(runtime, kit.registry, poll_seconds=30)
    found_empty = asyncio.Event()
    run_once = runner.run_once

    async def run_once_noting_empty() -> int:
        ran = await run_once()
        if ran == 0:
            found_empty.set()  # run_forever goes straight on into its 30 s idle wait
        return ran

    runner.run_once = run_once_noting_empty  # type: ignore[method-assign]
    task = asyncio.create_task(runner.run_forever())
    await asyncio.wait_for(found_empty.wait(), timeout=5)
    assert len(kit.calls) == 3
    runner.stop()
    await asyncio.wait_for(task, timeout=2)  # stop() cuts the idle wait short
    assert [p["n"] for p in kit.payloads(RECORD)] == [0, 1, 2]
    assert await all_jobs(runtime) == []


async def test_run_forever_survives_database_errors(
    runtime: Runtime, kit: Kit, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A database without the job table: every round fails until the table appears.
    database = create_database(f"sqlite+aiosqlite:///{tmp_path / 'not-migrated.db'}")
    broken = dataclasses.replace(runtime, database=database)
    runner = runner_for(broken, kit.registry, poll_seconds=0.005)
    caplog.set_level(logging.ERROR, logger="frontdesk.jobs")
    task = asyncio.create_task(runner.run_forever())
    try:

        async def failed_thrice() -> bool:
            return sum("failed a round" in r.getMessage() for r in caplog.records) >= 3

        await wait_until(failed_thrice)
        assert not task.done()
        async with database.writer.begin() as conn:
            await conn.run_sync(Job.metadata.tables["job"].create)
        # Not `enqueue`, which reads the job back: the running runner may have done it by then.
        async with broken.uow() as uow:
            uow.enqueue(RECORD, {"n": 1})
            await uow.commit()

        async def ran() -> bool:
            return kit.payloads(RECORD) == [{"n": 1}]

        await wait_until(ran)
    finally:
        runner.stop()
        await asyncio.wait_for(task, timeout=5)
        await database.dispose()
