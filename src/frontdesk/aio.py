"""Small asyncio helpers every layer may use."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

# How long to wait for a cancelled task before cancelling it again.
RECANCEL_SECONDS = 0.5


async def cancel_and_wait(task: asyncio.Task[Any] | None) -> None:
    """Cancel `task` and return once it has ended, whatever it raised.

    One `cancel()` is not always enough on Python 3.11: `asyncio.wait_for` returns the awaited
    result, swallowing the cancellation, when both arrive in the same turn of the loop (fixed in
    3.12). A task that loops around such a wait then carries on, and a caller awaiting it after
    a single cancel waits for ever. So the cancel is repeated until the task has ended.
    """
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=RECANCEL_SECONDS)
    if not task.cancelled():
        with contextlib.suppress(BaseException):
            task.exception()  # retrieved: a task that failed as it stopped is not reported
