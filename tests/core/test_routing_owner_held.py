"""A contact's own agent is never passed over because another decision holds them a moment.

On PostgreSQL routing decisions run in parallel and skip agent rows another decision has locked
(never waiting for them). For the team's strategy that is right: the next free agent will do.
For a contact's owner (or returning agent) it is not: the contact would land with the team only
because someone else was being assigned to the owner at that instant. Such a conversation waits
and the team is drained again a moment later, when the owner's row is free.

SQLite has one writer, so no decision ever holds a row another is deciding about: there the
owner simply gets it.
"""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.routing import engine
from frontdesk.core.routing.ledger import DRAIN_JOB
from frontdesk.core.routing.models import AgentStatus, Assignment
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from tests.core.test_routing_concurrency import Scene, build_scene
from tests.queue_invariant import queue_invariant  # noqa: F401 - checked after each test


async def route(runtime: Runtime, scene: Scene, index: int) -> engine.Outcome | None:
    async with runtime.uow() as uow:
        outcome = await engine.route_by_id(uow, scene.workspace_id, scene.conversation_ids[index])
        await uow.commit()
    return outcome


async def state(runtime: Runtime, scene: Scene, index: int) -> tuple[Conversation, list[str]]:
    async with runtime.database.read_session() as db:
        conv = await db.get(Conversation, scene.conversation_ids[index])
        assert conv is not None
        rules = list(
            await db.scalars(
                select(Assignment.rule)
                .where(Assignment.conversation_id == conv.id)
                .order_by(Assignment.decided_at)
            )
        )
        return conv, rules


async def drain_jobs(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        return len(list(await db.scalars(select(Job).where(Job.kind == DRAIN_JOB))))


async def test_an_owner_held_by_another_decision_is_waited_for_not_passed_over(
    runtime: Runtime,
) -> None:
    scene = await build_scene(runtime)
    otto = scene.people["otto"]  # owns the contacts of conversations 2, 9 and 16
    if runtime.database.is_sqlite:
        outcome = await route(runtime, scene, 2)
        assert outcome is not None
        assert (outcome.assigned_to, outcome.rule) == (otto, "owner")
        return

    asked = await drain_jobs(runtime)  # the scene's agents came online: one is due already
    # Another decision holds Otto's status row while conversation 2 is routed.
    async with runtime.database.writer.begin() as other:
        held = await other.execute(
            select(AgentStatus.user_id)
            .where(AgentStatus.workspace_id == scene.workspace_id, AgentStatus.user_id == otto)
            .with_for_update()
        )
        assert held.scalar_one() == otto
        outcome = await route(runtime, scene, 2)
        assert outcome is not None
        assert outcome.assigned_to is None  # not handed to the team meanwhile
        conv, rules = await state(runtime, scene, 2)
        assert (conv.assignee_id, conv.queued_at is not None) == (None, True)
        assert await drain_jobs(runtime) == asked + 1  # the team is looked at again soon

    # Otto's row is free again: the drain that was asked for gives it to him.
    async with runtime.uow() as uow:
        assert await engine.drain(uow, scene.workspace_id, scene.team_id) > 0
        await uow.commit()
    conv, rules = await state(runtime, scene, 2)
    assert conv.assignee_id == otto
    assert rules[-1] == "owner"
