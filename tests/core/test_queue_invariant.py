"""The queue invariant on every path that can leave a team's conversation without an agent.

Each test takes the path through the API (or the inbound action every channel uses), checks
that the conversation is in its team's queue the moment the change commits, then runs the
jobs and checks that routing drained it where someone could take it. The autouse fixture
checks the whole invariant after each test (tests/queue_invariant.py).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.inbound import Inbound, record_inbound_message
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.routing.sweep import sweep_workspace
from frontdesk.core.runtime import Runtime
from tests.api.test_routing import run_jobs, set_state
from tests.conftest import World
from tests.queue_invariant import assert_queue_invariant, queue_invariant  # noqa: F401

API = "/api/v1/conversations"


async def stored(runtime: Runtime, conversation_id: uuid.UUID) -> Conversation:
    async with runtime.database.read_session() as db:
        return (
            await db.scalars(select(Conversation).where(Conversation.id == conversation_id))
        ).one()


async def queue_of(client: httpx.AsyncClient, team_id: uuid.UUID) -> dict[str, str]:
    r = await client.get(f"/api/v1/teams/{team_id}/queue")
    assert r.status_code == 200, r.text
    return {e["conversation_id"]: e["reason"] for e in r.json()["entries"]}


async def test_an_unassigned_conversation_joins_its_teams_queue_and_is_drained(
    world: World, runtime: Runtime
) -> None:
    conv = world.acme.conversations["erin_support"]  # Bob's, in Support
    alice = world.client("alice")

    r = await alice.post(f"{API}/{conv.id}/unassign")
    assert r.status_code == 200, r.text

    after = await stored(runtime, conv.id)
    assert after.queued_at is not None
    assert after.queue_reason == "routing"
    await assert_queue_invariant(runtime)
    await run_jobs(runtime)
    support = world.acme.teams["support"].id
    assert await queue_of(alice, support) == {str(conv.id): "no_agent"}  # nobody is online
    await set_state(world.client("bob"), "online")
    after = await stored(runtime, conv.id)
    assert after.assignee_id == world.acme.members["bob"].id
    assert after.queued_at is None
    assert after.queue_reason is None
    assert await queue_of(alice, support) == {}


async def test_a_transfer_to_a_team_puts_it_at_the_back_of_that_teams_queue(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    conv = world.acme.conversations["erin_support"]
    sales = world.acme.teams["sales"].id
    clock.advance(minutes=5)

    r = await world.client("alice").post(f"{API}/{conv.id}/transfer", json={"team_id": str(sales)})
    assert r.status_code == 200, r.text

    after = await stored(runtime, conv.id)
    assert (after.team_id, after.assignee_id) == (sales, None)
    assert after.queued_at == clock.now()
    await run_jobs(runtime)
    queue = await queue_of(world.client("alice"), sales)
    assert list(queue) == [str(world.acme.conversations["erin_sales"].id), str(conv.id)]


async def test_a_reopened_conversation_without_agent_waits_in_the_queue(
    world: World, runtime: Runtime
) -> None:
    conv = world.acme.conversations["erin_sales"]  # in Sales, nobody on it
    alice = world.client("alice")
    assert (await alice.post(f"{API}/{conv.id}/close", json={})).status_code == 200
    assert (await stored(runtime, conv.id)).queued_at is None

    r = await alice.post(f"{API}/{conv.id}/reopen")
    assert r.status_code == 200, r.text

    assert (await stored(runtime, conv.id)).queue_reason == "routing"
    await set_state(world.client("carol"), "online")
    await run_jobs(runtime)
    assert (await stored(runtime, conv.id)).assignee_id == world.acme.members["carol"].id


async def test_a_snoozed_conversation_leaves_the_queue_and_comes_back_when_it_wakes(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    conv = world.acme.conversations["erin_sales"]
    alice = world.client("alice")
    until = clock.now() + timedelta(hours=1)

    r = await alice.post(f"{API}/{conv.id}/snooze", json={"until": until.isoformat()})
    assert r.status_code == 200, r.text
    assert (await stored(runtime, conv.id)).queued_at is None
    assert await queue_of(alice, world.acme.teams["sales"].id) == {}

    clock.set(until)
    await run_jobs(runtime)
    woken = await stored(runtime, conv.id)
    assert woken.status == "open"
    assert woken.queued_at is not None
    assert woken.queue_reason == "no_agent"


async def test_a_customer_reply_to_a_pending_conversation_keeps_it_queued(
    world: World, runtime: Runtime
) -> None:
    conv = world.acme.conversations["erin_sales"]
    alice = world.client("alice")
    r = await alice.post(f"{API}/{conv.id}/status", json={"status": "pending"})
    assert r.status_code == 200, r.text
    assert (await stored(runtime, conv.id)).queued_at is not None

    channel = world.acme.channels["email"]
    async with runtime.uow() as uow:
        await record_inbound_message(
            uow,
            Inbound(
                channel=channel,
                contact_id=world.acme.contacts["erin"].id,
                provider_message_id="reply-1",
                body="Any news?",
                attachments=[],
            ),
        )
        await uow.commit()

    after = await stored(runtime, conv.id)
    assert after.status == "open"
    assert after.queued_at is not None
    await set_state(world.client("carol"), "online")
    assert (await stored(runtime, conv.id)).assignee_id == world.acme.members["carol"].id


async def test_a_manual_team_shows_why_its_queue_is_not_drained(
    world: World, runtime: Runtime
) -> None:
    alice = world.client("alice")
    sales = world.acme.teams["sales"].id
    r = await alice.put(f"/api/v1/teams/{sales}/routing", json={"strategy": "manual"})
    assert r.status_code == 200, r.text
    conv = world.acme.conversations["erin_sales"]
    carol = str(world.persona("carol").id)
    assert (await alice.post(f"{API}/{conv.id}/assign", json={"assignee_id": carol})).is_success
    assert (await alice.post(f"{API}/{conv.id}/unassign")).status_code == 200

    await set_state(world.client("carol"), "online")
    await run_jobs(runtime)

    assert await queue_of(alice, sales) == {str(conv.id): "manual"}
    assert (await stored(runtime, conv.id)).assignee_id is None


async def test_the_sweep_puts_a_stray_waiting_conversation_in_its_queue_and_drains_it(
    world: World, runtime: Runtime
) -> None:
    """A conversation left outside the queue (as the demo and older versions wrote them)."""
    conv = world.acme.conversations["erin_sales"]
    async with runtime.database.write_session() as s:
        row = await s.get_one(Conversation, conv.id)
        row.queued_at = row.queue_reason = None
        await s.commit()
    await set_state(world.client("carol"), "online")  # drains the queue: it is not there
    assert (await stored(runtime, conv.id)).assignee_id is None

    async with runtime.uow() as uow:
        report = await sweep_workspace(uow, world.acme.workspace.id)
        await uow.commit()

    assert report.requeued == [conv.id]
    assert (await stored(runtime, conv.id)).assignee_id == world.acme.members["carol"].id
    await run_jobs(runtime)


async def test_a_team_going_manual_or_closing_says_so_in_its_queue(
    world: World, runtime: Runtime
) -> None:
    alice = world.client("alice")
    sales = world.acme.teams["sales"].id
    conv = str(world.acme.conversations["erin_sales"].id)
    assert await queue_of(alice, sales) == {conv: "no_agent"}

    r = await alice.put(f"/api/v1/teams/{sales}/routing", json={"strategy": "manual"})
    assert r.status_code == 200, r.text
    assert await queue_of(alice, sales) == {conv: "manual"}

    hours = {
        "timezone": "UTC",
        "periods": [{"weekday": "sunday", "start": "08:00", "end": "09:00"}],
    }
    r = await alice.put(f"/api/v1/teams/{sales}/business-hours", json=hours)
    assert r.status_code == 200, r.text
    r = await alice.put(f"/api/v1/teams/{sales}/routing", json={"strategy": "round_robin"})
    assert r.status_code == 200, r.text
    assert await queue_of(alice, sales) == {conv: "closed"}  # Monday 09:00 UTC: closed

    r = await alice.delete(f"/api/v1/teams/{sales}/business-hours")
    assert r.is_success, r.text
    await set_state(world.client("carol"), "online")  # capacity appears: drained
    assert await queue_of(alice, sales) == {}
