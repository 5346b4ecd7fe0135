"""The shared send budget: processes charging the same provider limit through Redis never
exceed it together, and a Redis outage does not stop sending."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator

import pytest
import redis

from frontdesk.channels.redis_budget import RedisSendBudget
from frontdesk.core.sendbudget import Allowance

REDIS_URL = os.environ.get("FRONTDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_up() -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is needed at {REDIS_URL} (make test starts it): {exc}")


@pytest.fixture
async def budgets(redis_up: None) -> AsyncIterator[tuple[RedisSendBudget, RedisSendBudget]]:
    first, second = RedisSendBudget(REDIS_URL), RedisSendBudget(REDIS_URL)
    yield first, second
    await first.close()
    await second.close()


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


async def test_two_budgets_share_one_bucket(
    budgets: tuple[RedisSendBudget, RedisSendBudget],
) -> None:
    first, second = budgets
    number = [Allowance(_key(), per_second=0.5, burst=4)]
    answers = await asyncio.gather(*(b.take(number) for b in (first, second) * 4))
    assert sorted(a == 0 for a in answers).count(True) == 4  # the burst, once, between both
    waits = [a for a in answers if a > 0]
    assert len(waits) == 4
    assert all(0 < w <= 2.0 for w in waits)


async def test_a_refusal_charges_no_bucket(
    budgets: tuple[RedisSendBudget, RedisSendBudget],
) -> None:
    first, second = budgets
    page, chat = Allowance(_key(), 0.1, 2), Allowance(_key(), 0.01, 1)
    assert await first.take([page, chat]) == 0
    assert await second.take([page, chat]) > 50  # the chat has no room for about 100 s
    assert await second.take([page]) == 0  # the Page still had its second token
    assert await first.take([page]) > 0


def test_processes_together_stay_within_the_limit(redis_up: None) -> None:
    """Three OS processes send as fast as the budget lets them for 1.5 s: the total is the
    burst plus the rate over the time taken, whatever the share of each."""
    key, rate, burst = _key(), 20.0, 5.0
    script = (
        "import asyncio, sys, time\n"
        "from frontdesk.channels.redis_budget import RedisSendBudget\n"
        "from frontdesk.core.sendbudget import Allowance\n"
        "async def main():\n"
        f"    b = RedisSendBudget({REDIS_URL!r}); limit = [Allowance({key!r}, {rate}, {burst})]\n"
        "    sent, end = 0, time.monotonic() + 1.5\n"
        "    while time.monotonic() < end:\n"
        "        wait = await b.take(limit)\n"
        "        if wait == 0: sent += 1\n"
        "        else: await asyncio.sleep(min(wait, 0.02))\n"
        "    await b.close(); print(sent)\n"
        "asyncio.run(main())\n"
    )
    started = time.monotonic()
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    counts = [int(p.communicate(timeout=60)[0].strip()) for p in procs]
    elapsed = time.monotonic() - started
    assert sum(counts) <= burst + rate * elapsed
    assert sum(counts) > burst  # and the budget refilled and was used, not starved


async def test_without_redis_each_process_still_limits_itself() -> None:
    down = RedisSendBudget("redis://127.0.0.1:9/0")  # nothing listens there
    limit = [Allowance(_key(), per_second=1, burst=2)]
    assert [await down.take(limit) for _ in range(3)][:2] == [0, 0]
    assert await down.take(limit) > 0
    await down.close()
