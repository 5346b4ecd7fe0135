"""The durable job runner: claims due jobs from the job table, runs them, records the outcome.

A job is claimed in one short transaction (status `running`, a lease, `attempts + 1`), run
outside any runner transaction (its handler opens its own unit of work), and finished in a
second short transaction: deleted on success, rescheduled with backoff on failure, or kept as
`dead` with its error. A worker that dies leaves its jobs `running` with a lease that expires;
any runner then claims them again. See docs/subsystems/events.md for the invariants.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job, JobStatus
from frontdesk.jobs.registry import JobRegistry, PermanentJobError, RetryJobLater

log = logging.getLogger("frontdesk.jobs")

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 3600.0
BACKOFF_JITTER = 0.2
MAX_DEFER_SECONDS = 86400.0
ERROR_LIMIT = 2000
MAX_IDLE_BACKOFF_SECONDS = 60.0


def backoff_seconds(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempts`-th failed run: 2s, 4s, 8s ... capped at an hour.

    A ±20% jitter spreads retries of jobs that failed together (a provider outage) so they
    do not all come back at the same instant; the cap holds after the jitter.
    """
    exponent = min(max(attempts - 1, 0), 30)  # 2s * 2**30 is far past the cap already
    base = min(BACKOFF_BASE_SECONDS * 2.0**exponent, BACKOFF_CAP_SECONDS)
    jitter = (rng or random).uniform(1 - BACKOFF_JITTER, 1 + BACKOFF_JITTER)
    return min(base * jitter, BACKOFF_CAP_SECONDS)


def describe_error(exc: BaseException) -> str:
    """The error kept on the job row: exception type and message, truncated."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 3] + "..."


def default_worker_id() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class ClaimedJob:
    """What a runner holds of a job it claimed; `attempts` doubles as the claim's fencing token."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


@dataclass
class RunnerStats:
    """Counts since the runner started (completed jobs are deleted, so this is their record)."""

    completed: int = 0
    retried: int = 0
    deferred: int = 0
    dead: int = 0
    lost: int = 0


class JobRunner:
    """Runs due jobs of the registry's kinds; any number of runners may share one database."""

    def __init__(
        self,
        runtime: Runtime,
        registry: JobRegistry,
        *,
        poll_seconds: float = 1.0,
        worker_id: str | None = None,
        lease_seconds: float = 60,
        batch_size: int = 10,
        heartbeat_seconds: float | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.runtime = runtime
        self.registry = registry
        self.poll_seconds = poll_seconds
        self.worker_id = (worker_id or default_worker_id())[:120]
        self.lease_seconds = lease_seconds
        self.batch_size = batch_size
        self.heartbeat_seconds = heartbeat_seconds or lease_seconds / 3
        self.stats = RunnerStats()
        self._rng = rng or random.Random()
        self._stop = asyncio.Event()

    def stop(self) -> None:
        """Ask `run_forever` to return after the job in hand; unstarted claims are released."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def run_forever(self) -> None:
        """Run jobs until `stop()`; a database error is logged and retried after a pause."""
        log.info("job runner %s started", self.worker_id)
        failures = 0
        while not self._stop.is_set():
            try:
                ran = await self.run_once()
            except Exception:
                failures += 1
                pause = min(self.poll_seconds * 2**failures, MAX_IDLE_BACKOFF_SECONDS)
                log.exception("job runner %s failed a round; next in %.1fs", self.worker_id, pause)
                await self._pause(pause)
                continue
            failures = 0
            if ran == 0:
                await self._pause(self.poll_seconds)
        log.info("job runner %s stopped: %s", self.worker_id, self.stats)

    async def run_once(self) -> int:
        """Claim up to `batch_size` due jobs and run them in order; return how many ran."""
        claimed = await self.claim()
        if not claimed:
            return 0
        held = {job.id: job for job in claimed}
        heartbeat = asyncio.create_task(self._heartbeat(held))
        ran = 0
        try:
            for job in claimed:
                if self._stop.is_set():
                    break
                await self._run(job)
                del held[job.id]
                ran += 1
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        if held:
            await self._release(list(held.values()))
        return ran

    async def claim(self) -> list[ClaimedJob]:
        """Take due jobs (and jobs whose worker's lease expired) in one short transaction."""
        now = self.runtime.clock.now()
        due = or_(
            and_(Job.status == JobStatus.PENDING, Job.run_at <= now),
            and_(Job.status == JobStatus.RUNNING, Job.lease_until < now),
        )
        query = select(Job).where(due).order_by(Job.run_at, Job.id).limit(self.batch_size)
        if not self.runtime.database.is_sqlite:
            # SQLite has one writer (BEGIN IMMEDIATE) so the select is already exclusive.
            query = query.with_for_update(skip_locked=True)
        claimed: list[ClaimedJob] = []
        async with self._session() as session, session.begin():
            for job in (await session.scalars(query)).all():
                if job.status == JobStatus.RUNNING and job.attempts >= job.max_attempts:
                    self._bury_lost(job, now)
                    continue
                job.status, job.locked_by = JobStatus.RUNNING, self.worker_id
                job.lease_until = now + timedelta(seconds=self.lease_seconds)
                job.attempts += 1
                job.updated_at = now
                claimed.append(
                    ClaimedJob(job.id, job.kind, dict(job.payload), job.attempts, job.max_attempts)
                )
        return claimed

    def _bury_lost(self, job: Job, now: datetime) -> None:
        # A job whose worker keeps dying (a crash, an OOM kill) must not crash-loop for ever.
        log.error(
            "job %s (%s) lost its worker %s on its last attempt", job.id, job.kind, job.locked_by
        )
        job.status, job.lease_until, job.updated_at = JobStatus.DEAD, None, now
        job.last_error = (
            f"WorkerLost: the worker {job.locked_by} stopped while running attempt "
            f"{job.attempts} of {job.max_attempts}"
        )[:ERROR_LIMIT]
        job.locked_by = None
        self.stats.dead += 1

    async def _run(self, job: ClaimedJob) -> None:
        handler = self.registry.get(job.kind)
        if handler is None:
            await self._finish_dead(
                job, f"UnknownJobKind: no handler is registered for {job.kind!r}"
            )
            return
        try:
            await handler(self.runtime, job.payload)
        except PermanentJobError as exc:
            await self._finish_dead(job, describe_error(exc))
        except RetryJobLater as exc:
            await self._defer(job, exc)
        except Exception as exc:
            if job.attempts >= job.max_attempts:
                log.error("job %s (%s) failed for good", job.id, job.kind, exc_info=exc)
                await self._finish_dead(job, describe_error(exc))
            else:
                await self._retry(job, exc)
        else:
            await self._finish_done(job)

    async def _finish_done(self, job: ClaimedJob) -> None:
        async with self._session() as session, session.begin():
            gone = await session.scalar(delete(Job).where(self._still_ours(job)).returning(Job.id))
        if self._kept(job, gone):
            self.stats.completed += 1
            log.info("job %s (%s) done after %d attempt(s)", job.id, job.kind, job.attempts)

    async def _finish_dead(self, job: ClaimedJob, error: str) -> None:
        if await self._update(job, status=JobStatus.DEAD, last_error=error):
            self.stats.dead += 1
            log.error("job %s (%s) is dead: %s", job.id, job.kind, error)
            on_dead = self.registry.dead_handlers.get(job.kind)
            if on_dead is not None:
                try:
                    await on_dead(self.runtime, job.payload, error)
                except Exception:
                    log.exception("the dead-job handler of %s failed", job.kind)

    async def _retry(self, job: ClaimedJob, exc: Exception) -> None:
        delay = backoff_seconds(job.attempts, self._rng)
        run_at = self.runtime.clock.now() + timedelta(seconds=delay)
        if await self._update(
            job, status=JobStatus.PENDING, run_at=run_at, last_error=describe_error(exc)
        ):
            self.stats.retried += 1
            log.warning(
                "job %s (%s) failed attempt %d of %d; retry in %.1fs",
                job.id,
                job.kind,
                job.attempts,
                job.max_attempts,
                delay,
                exc_info=exc,
            )

    async def _defer(self, job: ClaimedJob, exc: RetryJobLater) -> None:
        # Being asked to wait (a provider's retry_after) is not a failure: the attempt is given
        # back so rate limits never use up the job's retries.
        delay = min(max(float(exc.delay_seconds), 0.0), MAX_DEFER_SECONDS)
        run_at = self.runtime.clock.now() + timedelta(seconds=delay)
        if await self._update(
            job,
            status=JobStatus.PENDING,
            run_at=run_at,
            attempts=job.attempts - 1,
            last_error=describe_error(exc),
        ):
            self.stats.deferred += 1
            log.info("job %s (%s) deferred %.1fs: %s", job.id, job.kind, delay, exc)

    async def _release(self, jobs: list[ClaimedJob]) -> None:
        """Hand back claimed jobs that were never started (the runner is stopping)."""
        for job in jobs:
            await self._update(job, status=JobStatus.PENDING, attempts=job.attempts - 1)
        log.info("job runner %s released %d unstarted job(s)", self.worker_id, len(jobs))

    async def _update(self, job: ClaimedJob, **values: Any) -> bool:
        """Apply an outcome only while the claim is still ours; clears the lease either way."""
        values.update(locked_by=None, lease_until=None, updated_at=self.runtime.clock.now())
        async with self._session() as session, session.begin():
            changed = await session.scalar(
                update(Job)
                .where(self._still_ours(job))
                .values(**values)
                .returning(Job.id)
                .execution_options(synchronize_session=False)
            )
        return self._kept(job, changed)

    def _still_ours(self, job: ClaimedJob) -> Any:
        # Another runner that reclaimed the job after our lease expired bumped `attempts`.
        return and_(
            Job.id == job.id,
            Job.status == JobStatus.RUNNING,
            Job.locked_by == self.worker_id,
            Job.attempts == job.attempts,
        )

    def _kept(self, job: ClaimedJob, changed: int | None) -> bool:
        if changed is None:
            self.stats.lost += 1
            log.warning(
                "job %s (%s): lease lost before it finished; its outcome is dropped",
                job.id,
                job.kind,
            )
            return False
        return True

    async def _heartbeat(self, held: dict[int, ClaimedJob]) -> None:
        """Extend the lease of the jobs still held, so a long batch is not claimed twice."""
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                await self._extend(list(held.values()))
            except Exception:
                log.warning(
                    "job runner %s could not extend its leases", self.worker_id, exc_info=True
                )

    async def _extend(self, jobs: list[ClaimedJob]) -> None:
        if not jobs:
            return
        now = self.runtime.clock.now()
        until = now + timedelta(seconds=self.lease_seconds)
        async with self._session() as session, session.begin():
            for job in jobs:
                await session.execute(
                    update(Job)
                    .where(self._still_ours(job))
                    .values(lease_until=until, updated_at=now)
                    .execution_options(synchronize_session=False)
                )

    def _session(self) -> AsyncSession:
        return self.runtime.database.write_session()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
