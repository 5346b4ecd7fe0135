"""How long the event loop went without running, while some work goes on beside it.

A ticker sleeps 2 ms at a time and records the longest time between two of its turns. CPU
work done on the loop shows as a stall as long as the work; work done in a worker thread
leaves the ticker running. The garbage collector is held off meanwhile: its pauses are not
what the tests measure.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass
class Stall:
    longest: float = 0.0


@contextlib.asynccontextmanager
async def longest_stall() -> AsyncIterator[Stall]:
    stall = Stall()
    running = True

    async def tick() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.002)
            now = time.perf_counter()
            stall.longest = max(stall.longest, now - last)
            last = now

    collecting = gc.isenabled()
    gc.disable()
    ticker = asyncio.create_task(tick())
    try:
        await asyncio.sleep(0)  # the ticker's first turn
        yield stall
    finally:
        running = False
        await ticker
        if collecting:
            gc.enable()
