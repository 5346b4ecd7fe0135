"""F2: Redis goes away under two app processes: webhooks keep being acknowledged, and when
Redis is back every agent socket catches up from the event log, each message exactly once.

The outage here lasts a few seconds; `python -m benchmarks.faults` runs the 60-second one."""

from __future__ import annotations

from frontdesk.db.engine import Database
from frontdesk.settings import Settings
from tests.faults.scenarios import redis_outage
from tests.faults.stage import stage


async def test_webhooks_go_on_and_sockets_catch_up_across_a_redis_outage(
    settings: Settings, clean_database: Database
) -> None:
    async with stage(settings, clean_database) as world:
        outcome = await redis_outage(world, outage=2.5)
    print(outcome.figures)
    assert outcome.problems == [], outcome.figures
    assert outcome.figures["posted_during_outage"] > 0
