"""The per-team routing snapshot: held between decisions, and dropped as soon as a change to a
team's settings, its members or the workspace's routing settings commits, so the very next
decision uses the change (docs/subsystems/routing.md, "Team snapshots")."""

from __future__ import annotations

import uuid

from sqlalchemy import delete

from frontdesk.core.routing import snapshot
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import TeamMember
from tests.api.test_routing import chat_team, conversations, run_jobs, set_state, visitor_writes
from tests.conftest import World
from tests.queue_invariant import queue_invariant  # noqa: F401 - checked after each test


async def test_a_decision_after_a_change_of_settings_or_members_uses_the_change(
    world: World, runtime: Runtime
) -> None:
    channel = await chat_team(runtime, world)  # Bob and Carol in Support, capacity 2
    alice, bob, carol = world.client("alice"), world.client("bob"), world.client("carol")
    team = world.acme.teams["support"].id
    ws = world.acme.workspace.id
    await set_state(bob, "online")
    await set_state(carol, "online")

    async def routed(name: str) -> tuple[str, uuid.UUID | None, str | None]:
        conversation_id = await visitor_writes(world, channel, name, "Hello")
        await run_jobs(runtime)
        conv = (await conversations(runtime, [conversation_id]))[conversation_id]
        return conversation_id, conv.assignee_id, conv.queue_reason

    async def assignee(conversation_id: str) -> uuid.UUID | None:
        return (await conversations(runtime, [conversation_id]))[conversation_id].assignee_id

    # Round robin hands the first two out one each; the second decision reads no team data:
    # the snapshot the first one read is held.
    _, first, _ = await routed("First")
    assert first is not None
    reads = snapshot.CACHE.reads
    _, second, _ = await routed("Second")
    assert second is not None
    assert {first, second} == {
        world.acme.members["bob"].id,
        world.acme.members["carol"].id,
    }
    assert snapshot.CACHE.reads == reads
    assert (ws, team) in snapshot.CACHE.snapshots

    # The team goes manual: the next decision queues for people to assign, though both agents
    # have room.
    r = await alice.put(f"/api/v1/teams/{team}/routing", json={"strategy": "manual"})
    assert r.status_code == 200, r.text
    third_id, third, reason = await routed("Third")
    assert (third, reason) == (None, "manual")

    # `first` leaves the team; back to round robin, the drain that comes with the change hands
    # the waiting conversation to `second`, though `first` has waited longer since theirs.
    remaining = [world.acme.members["bob"].id, world.acme.members["carol"].id]
    remaining.remove(first)
    r = await alice.put(
        f"/api/v1/teams/{team}/members", json={"user_ids": [str(u) for u in remaining]}
    )
    assert r.status_code == 200, r.text
    r = await alice.put(f"/api/v1/teams/{team}/routing", json={"strategy": "round_robin"})
    assert r.status_code == 200, r.text
    assert await assignee(third_id) == second

    # `second` is full (2 of 2) and alone in the team: the next one waits for an agent...
    fourth_id, fourth, reason = await routed("Fourth")
    assert (fourth, reason) == (None, "no_agent")
    # ...until the workspace's default capacity goes up, which drains the queue at once.
    r = await alice.put("/api/v1/routing/settings", json={"default_capacity": 3})
    assert r.status_code == 200, r.text
    assert await assignee(fourth_id) == second

    clock_now = runtime.clock.now()
    # A change written straight to the database by this process (no API, no event) counts
    # too: `first` is back in the team and gets the next conversation (`second` is full).
    async with runtime.database.write_session() as s:
        s.add(TeamMember(workspace_id=ws, team_id=team, user_id=first, created_at=clock_now))
        await s.commit()
    _, fifth, _ = await routed("Fifth")
    assert fifth == first

    # And a bulk statement that takes them out again.
    async with runtime.database.write_session() as s:
        await s.execute(
            delete(TeamMember).where(TeamMember.team_id == team, TeamMember.user_id == first)
        )
        await s.commit()
    _, sixth, reason = await routed("Sixth")
    assert (sixth, reason) == (None, "no_agent")
