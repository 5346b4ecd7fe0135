"""Stopping background tasks that loop: a cancellation the task swallows is not the end."""

from __future__ import annotations

import asyncio

from frontdesk.aio import cancel_and_wait


async def test_a_task_that_swallows_a_cancellation_is_still_stopped() -> None:
    swallowed = 0
    rounds = 0

    async def stubborn() -> None:
        # What `asyncio.wait_for` does on Python 3.11 when the cancellation and the awaited
        # result arrive together: the cancellation is lost and the loop goes on.
        nonlocal swallowed, rounds
        while True:
            rounds += 1
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed += 1

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0.05)
    await asyncio.wait_for(cancel_and_wait(task), 5)
    assert task.cancelled()
    assert swallowed == 1


async def test_a_task_that_fails_as_it_stops_is_not_an_error_of_the_caller() -> None:
    async def failing_on_the_way_out() -> None:
        try:
            await asyncio.sleep(10)
        finally:
            raise RuntimeError("closing failed")

    task = asyncio.create_task(failing_on_the_way_out())
    await asyncio.sleep(0)
    await cancel_and_wait(task)
    assert task.done()
    await cancel_and_wait(None)
