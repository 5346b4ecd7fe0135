"""An agent's app saying that it is connected never costs the agent a conversation.

On PostgreSQL a decision claims the best agent whose status row no other transaction holds
(`SKIP LOCKED`, core/routing/claim.py). Every open app records every half minute that it is
connected, and that the agent did something: were that written on the status row, a decision
meeting the write would pass the best agent over (the customer's language speaker, the one
longest idle) for the next. So it is written apart (`agent_presence`). SQLite has one writer:
no write is ever in flight during a decision there, so this runs on PostgreSQL
(tests/conftest.py, ONE_DATABASE).
"""

from __future__ import annotations

from frontdesk.core.routing import engine
from frontdesk.core.routing.presence import touch
from frontdesk.core.runtime import Runtime
from tests.core.test_routing_concurrency import build_scene
from tests.queue_invariant import queue_invariant  # noqa: F401 - checked after each test


async def test_a_heartbeat_in_flight_never_passes_the_best_agent_over(runtime: Runtime) -> None:
    scene = await build_scene(runtime)
    conversation = scene.conversation_ids[0]
    async with runtime.uow() as undone:  # the decision as it would be, not kept
        foreseen = await engine.route_by_id(undone, scene.workspace_id, conversation)
    assert foreseen is not None
    best = foreseen.assigned_to
    assert best is not None

    async with runtime.database.write_session() as app:
        # The best agent's app says it is connected and that they typed, not committed yet.
        await touch(app, scene.workspace_id, best, runtime.clock.now(), seen=True, active=True)
        async with runtime.uow() as uow:
            decided = await engine.route_by_id(uow, scene.workspace_id, conversation)
            await uow.commit()
        await app.commit()
    assert decided is not None
    assert scene.name(decided.assigned_to) == scene.name(best)
