"""A send put back for room under a provider's rate limit is counted for the metrics."""

from __future__ import annotations

from prometheus_client import REGISTRY

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from tests.channels.telegram.conftest import Connected, run_jobs
from tests.channels.telegram.test_outbound import customer_wrote, reply
from tests.conftest import World

WAITS = "frontdesk_send_budget_waits_total"


async def test_a_burst_over_the_chat_s_limit_counts_send_budget_waits(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    inbound = await customer_wrote(connected, runtime)
    clock.advance(seconds=10)
    before = REGISTRY.get_sample_value(WAITS, {"channel": "telegram"}) or 0.0
    for n in range(5):
        await reply(world, inbound.conversation_id, body=f"part {n}")
    await run_jobs(runtime)
    assert len(connected.fake.sent) == 3  # the chat's burst; the others wait for room
    after = REGISTRY.get_sample_value(WAITS, {"channel": "telegram"}) or 0.0
    assert after - before >= 1
