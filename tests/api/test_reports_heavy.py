"""Heavy reports take turns per process: while the turns are taken and the queue is full, a
report is refused at once with 503 and Retry-After (and writes nothing); once a turn frees, it
is answered again."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from frontdesk.core.reports.heavy import HeavyReportLimit, ReportsBusy, off_loop
from tests.conftest import World

HEAVY = (
    "overview",
    "agents",
    "staffing",
    "teams",
    "channels",
    "responses",
    "service-level",
    "routing",
)


async def test_a_report_waits_for_its_turn_and_is_refused_when_the_queue_is_full() -> None:
    limit = HeavyReportLimit(slots=1, queue=1, wait=30, rest=0)
    order: list[str] = []
    async with limit.slot():
        waiter_started = asyncio.Event()

        async def second() -> None:
            waiter_started.set()
            async with limit.slot():
                order.append("second")

        task = asyncio.create_task(second())
        await waiter_started.wait()
        assert limit.waiting == 1  # the second took its place in the queue before yielding
        with pytest.raises(ReportsBusy):  # one waiting already: the third is refused at once
            async with limit.slot():
                order.append("third")
        order.append("first done")
    await task
    assert order == ["first done", "second"]
    assert limit.waiting == 0
    async with limit.slot():  # every turn was given back
        pass


async def test_a_wait_past_the_limit_is_refused() -> None:
    limit = HeavyReportLimit(slots=1, queue=5, wait=0.01, rest=0)
    async with limit.slot():
        with pytest.raises(ReportsBusy):
            async with limit.slot():
                pass
    assert limit.waiting == 0
    async with limit.slot():
        pass


async def test_large_work_runs_in_another_thread() -> None:
    here = threading.get_ident()
    assert await off_loop(10, threading.get_ident) == here
    assert await off_loop(10**6, threading.get_ident) != here


async def test_reports_answer_503_while_the_turns_are_taken(world: World) -> None:
    app: Any = world.app
    app.state.heavy_reports = limit = HeavyReportLimit(slots=1, queue=0, wait=30, rest=0)
    alice = world.client("alice")
    async with limit.slot():
        for name in HEAVY:
            r = await alice.get(f"/api/v1/reports/{name}", params={"period": "last_7_days"})
            assert r.status_code == 503, (name, r.text)
            assert r.headers["Retry-After"] == "5"
            assert r.json()["error"]["code"] == "service_unavailable"
    for name in HEAVY:
        r = await alice.get(f"/api/v1/reports/{name}", params={"period": "last_7_days"})
        assert r.status_code == 200, (name, r.text)
    assert limit.waiting == 0
