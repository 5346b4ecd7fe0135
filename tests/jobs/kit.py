"""Job kinds for the runner tests: real handlers that record what they were given."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from frontdesk.jobs.registry import JobRegistry, PermanentJobError, RetryJobLater

RECORD = "test.record"
FLAKY = "test.flaky"
DOOMED = "test.doomed"
DEFERRING = "test.deferring"
CHAIN = "test.chain"


@dataclass
class Kit:
    """A registry of test job kinds and the calls they received, in order."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    registry: JobRegistry = field(default_factory=JobRegistry)

    def __post_init__(self) -> None:
        self.registry.handlers.update(
            {
                RECORD: self.record,
                FLAKY: self.flaky,
                DOOMED: self.doomed,
                DEFERRING: self.deferring,
                CHAIN: self.chain,
            }
        )

    def payloads(self, kind: str) -> list[dict[str, Any]]:
        return [payload for k, payload in self.calls if k == kind]

    async def record(self, _runtime: Runtime, payload: dict[str, Any]) -> None:
        self.calls.append((RECORD, payload))

    async def flaky(self, _runtime: Runtime, payload: dict[str, Any]) -> None:
        """Fails `fail_times` times (RuntimeError "boom <n>"), then succeeds."""
        self.calls.append((FLAKY, payload))
        tries = self.payloads(FLAKY).count(payload)
        if tries <= payload["fail_times"]:
            raise RuntimeError(f"boom {tries}")

    async def doomed(self, _runtime: Runtime, payload: dict[str, Any]) -> None:
        self.calls.append((DOOMED, payload))
        raise PermanentJobError(payload.get("reason", "the contact no longer exists"))

    async def deferring(self, _runtime: Runtime, payload: dict[str, Any]) -> None:
        """Asks to be retried after `delay` seconds `times` times, then succeeds."""
        self.calls.append((DEFERRING, payload))
        if self.payloads(DEFERRING).count(payload) <= payload["times"]:
            raise RetryJobLater(payload["delay"], "provider rate limit")

    async def chain(self, runtime: Runtime, payload: dict[str, Any]) -> None:
        """Writes through its own unit of work: enqueues a follow-up job a minute later."""
        self.calls.append((CHAIN, payload))
        async with runtime.uow() as uow:
            uow.enqueue(RECORD, {"after": payload["n"]}, delay=timedelta(minutes=1))
            await uow.commit()


async def enqueue(runtime: Runtime, kind: str, payload: dict[str, Any], **options: Any) -> int:
    """Enqueue one job the way product code does, and return its id."""
    async with runtime.uow() as uow:
        uow.enqueue(kind, payload, **options)
        await uow.commit()
    rows = await all_jobs(runtime)
    return rows[-1].id


async def all_jobs(runtime: Runtime) -> list[Job]:
    async with runtime.database.read_session() as session:
        return list((await session.scalars(select(Job).order_by(Job.id))).all())


async def get_job(runtime: Runtime, job_id: int) -> Job | None:
    async with runtime.database.read_session() as session:
        return await session.get(Job, job_id)


async def wait_until(condition: Callable[[], Awaitable[bool]], *, within: float = 5.0) -> None:
    """Poll `condition` (often a database read, which nothing can signal) until it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition():
        if loop.time() > deadline:
            raise TimeoutError(f"condition still false after {within}s")
        await asyncio.sleep(0.01)
