"""Heavy reports take turns, so they cannot starve the requests that must answer quickly.

A report over a month merges thousands of digests and can turn hundreds of thousands of exact
values into numbers; it runs in the same process, on the same event loop and the same cores, as
the webhooks that must be acknowledged within the provider's deadline. Each process lets only
`SLOTS` heavy reports compute at once, and a turn is given back only after a rest as long as
it took (`REST`), so reports reloaded back to back use at most about half of the process's time
(and of the database's work for it) and the inbound path keeps the rest. The next reports wait
their turn; past `QUEUE` waiting (or `WAIT_SECONDS` of wait) they are refused at once with "try
again in a few seconds" rather than pile up. The number-crunching itself runs in a worker
thread (`off_loop`), so the event loop keeps answering between its slices of the GIL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

SLOTS = 1
# After a turn, the next one opens after this many times the turn's length: heavy reports take
# at most about half of the process's time, however many are asked for back to back.
REST = 1.0
QUEUE = 8
WAIT_SECONDS = 20.0
RETRY_AFTER_SECONDS = 5
# Work smaller than this (values' text length, in characters) stays on the loop: a thread hop
# costs more than it saves.
OFF_LOOP_FROM = 20_000

T = TypeVar("T")


class ReportsBusy(Exception):
    """Too many heavy reports are running or waiting in this process."""

    retry_after = RETRY_AFTER_SECONDS


class HeavyReportLimit:
    """At most `slots` heavy reports at once, at most `queue` waiting, each for `wait` s; a
    turn is given back `rest` times its length after it ends."""

    def __init__(
        self,
        slots: int = SLOTS,
        queue: int = QUEUE,
        wait: float = WAIT_SECONDS,
        rest: float = REST,
    ) -> None:
        self._semaphore = asyncio.Semaphore(slots)
        self._rest = rest
        self._queue = queue
        self._wait = wait
        self._waiting = 0

    @property
    def waiting(self) -> int:
        return self._waiting

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._semaphore.locked() and self._waiting >= self._queue:
            raise ReportsBusy
        self._waiting += 1
        try:
            async with asyncio.timeout(self._wait):
                await self._semaphore.acquire()
        except TimeoutError:
            raise ReportsBusy from None
        finally:
            self._waiting -= 1
        started = asyncio.get_running_loop().time()
        try:
            yield
        finally:
            if self._rest:
                loop = asyncio.get_running_loop()
                loop.call_later((loop.time() - started) * self._rest, self._semaphore.release)
            else:
                self._semaphore.release()


async def off_loop(size: int, work: Callable[[], T]) -> T:
    """`work()` in a worker thread when `size` says it is large, else here."""
    if size < OFF_LOOP_FROM:
        return work()
    return await asyncio.to_thread(work)
