"""Routing end to end through the API and the real job runner: states, fair assignment,
queueing with automatic messages, draining on capacity, explanations and timeouts."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.routing.models import AgentStateChange
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.conftest import World
from tests.factories import Factory
from tests.queue_invariant import queue_invariant  # noqa: F401 - checked after each test

W = "/api/widget/v1"


async def run_jobs(runtime: Runtime) -> int:
    runner = JobRunner(runtime, build_registry(), worker_id="test")
    ran = 0
    while n := await runner.run_once():
        ran += n
    return ran


async def chat_team(runtime: Runtime, world: World) -> Channel:
    """Bob and Carol both in Support, which owns a website chat."""
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        channel = await f.channel(world.acme.workspace, "webchat", "Site chat")
        channel.team_id = world.acme.teams["support"].id
        await s.commit()
    alice = world.client("alice")
    r = await alice.put(
        f"/api/v1/teams/{world.acme.teams['support'].id}/members",
        json={"user_ids": [str(world.acme.members[n].id) for n in ("bob", "carol")]},
    )
    assert r.status_code == 200, r.text
    r = await alice.put("/api/v1/routing/settings", json={"default_capacity": 2})
    assert r.status_code == 200, r.text
    # Bob and Carol start with no open conversation, and Sales with an empty queue.
    for name in ("erin_support", "erin_sales"):
        erin = world.acme.conversations[name].id
        r = await alice.post(f"/api/v1/conversations/{erin}/close", json={})
        assert r.status_code == 200, r.text
    return channel


async def visitor_writes(world: World, channel: Channel, name: str, text: str) -> str:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as visitor:
        r = await visitor.post(f"{W}/channels/{channel.id}/sessions", json={"name": name})
        assert r.status_code == 200, r.text
        visitor.headers["X-Visitor-Token"] = r.json()["visitor_token"]
        r = await visitor.post(
            f"{W}/messages", json={"body": text, "client_message_id": uuid.uuid4().hex}
        )
        assert r.status_code == 201, r.text
        return str(r.json()["conversation_id"])


async def set_state(client: httpx.AsyncClient, state: str, reason: str | None = None) -> Any:
    r = await client.put("/api/v1/me/state", json={"state": state, "reason": reason})
    assert r.status_code == 200, r.text
    return r.json()


async def conversations(runtime: Runtime, ids: list[str]) -> dict[str, Conversation]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Conversation).where(Conversation.id.in_([uuid.UUID(i) for i in ids]))
        )
        return {str(c.id): c for c in rows}


async def automatic(runtime: Runtime, conversation_id: str) -> list[str]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message.body)
            .where(
                Message.conversation_id == uuid.UUID(conversation_id),
                Message.sender_type == "system",
            )
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)


async def test_a_burst_fills_two_agents_fairly_and_queues_the_rest_with_position_and_wait(
    world: World, runtime: Runtime
) -> None:
    channel = await chat_team(runtime, world)
    bob, carol = world.client("bob"), world.client("carol")
    await set_state(bob, "online")
    await set_state(carol, "online")
    ids = [await visitor_writes(world, channel, f"Visitor {i}", "Hi!") for i in range(10)]
    await run_jobs(runtime)

    convs = await conversations(runtime, ids)
    assigned = Counter(c.assignee_id for c in convs.values() if c.assignee_id)
    assert assigned == {world.acme.members["bob"].id: 2, world.acme.members["carol"].id: 2}
    queued = [i for i in ids if convs[i].assignee_id is None]
    assert len(queued) == 6
    assert all(convs[i].queued_at is not None for i in queued)

    first_assigned = next(i for i in ids if convs[i].assignee_id)
    assert (await automatic(runtime, first_assigned))[0].startswith(
        "Hi Visitor! You're now chatting with"
    )
    for position, conversation_id in enumerate(queued, start=1):
        told = await automatic(runtime, conversation_id)
        assert len(told) == 1
        assert f"number {position} in the queue" in told[0]
        assert "expected wait is about" in told[0]

    r = await world.client("alice").get(f"/api/v1/teams/{world.acme.teams['support'].id}/queue")
    assert r.status_code == 200
    queue = r.json()
    assert [e["conversation_id"] for e in queue["entries"]] == queued
    waits = [e["estimated_wait_seconds"] for e in queue["entries"]]
    assert waits == sorted(waits)
    assert waits[0] > 0

    # Closing one of Bob's hands him the head of the queue at once.
    bobs = next(i for i in ids if convs[i].assignee_id == world.acme.members["bob"].id)
    r = await bob.post(f"/api/v1/conversations/{bobs}/close", json={"outcome": None})
    assert r.status_code == 200, r.text
    await run_jobs(runtime)
    after = await conversations(runtime, ids)
    assert after[queued[0]].assignee_id == world.acme.members["bob"].id
    assert after[queued[1]].assignee_id is None

    # Away: Carol gets nothing more, even when she has room.
    await set_state(carol, "away", "Lunch")
    carols = next(i for i in ids if after[i].assignee_id == world.acme.members["carol"].id)
    r = await carol.post(f"/api/v1/conversations/{carols}/close", json={})
    assert r.status_code == 200, r.text
    await run_jobs(runtime)
    final = await conversations(runtime, ids)
    assert final[queued[1]].assignee_id is None

    # Why was this assigned to me?
    r = await bob.get(f"/api/v1/conversations/{queued[0]}/assignments")
    assert r.status_code == 200
    latest = r.json()[0]
    assert latest["user_id"] == str(world.acme.members["bob"].id)
    assert latest["rule"] == "strategy"
    assert latest["strategy"] == "round_robin"
    reasons = {c["name"]: c["reason"] for c in latest["candidates"]}
    assert reasons == {"Bob": "chosen", "Carol": "at_capacity"}


async def test_states_are_recorded_with_reasons_and_bad_ones_are_refused(
    world: World, runtime: Runtime
) -> None:
    bob = world.client("bob")
    assert (await set_state(bob, "online"))["state"] == "online"
    assert (await set_state(bob, "away", "Lunch"))["reason"] == "Lunch"
    r = await bob.put("/api/v1/me/state", json={"state": "away", "reason": "Napping"})
    assert r.status_code == 422
    r = await bob.put("/api/v1/me/state", json={"state": "asleep"})
    assert r.status_code == 422
    r = await bob.get(f"/api/v1/agents/{world.acme.members['bob'].id}/state-history")
    assert [(h["state"], h["reason"]) for h in r.json()] == [("away", "Lunch"), ("online", None)]
    # Another agent may not read or change Bob's state; a manager may.
    carol = world.client("carol")
    r = await carol.put(
        f"/api/v1/agents/{world.acme.members['bob'].id}/state", json={"state": "offline"}
    )
    assert r.status_code == 403
    r = await world.client("dave").put(
        f"/api/v1/agents/{world.acme.members['bob'].id}/state", json={"state": "offline"}
    )
    assert r.status_code == 200
    async with runtime.database.read_session() as db:
        last = await db.scalar(
            select(AgentStateChange)
            .where(AgentStateChange.user_id == world.acme.members["bob"].id)
            .order_by(AgentStateChange.at.desc(), AgentStateChange.id.desc())
        )
    assert last is not None
    assert last.source == "supervisor"


async def test_returning_contact_goes_back_to_the_previous_agent(
    world: World, runtime: Runtime
) -> None:
    channel = await chat_team(runtime, world)
    # Every message after the close opens a new conversation (no reopening).
    r = await world.client("alice").patch(
        "/api/v1/workspaces/current", json={"reopen_within_hours": 0}
    )
    assert r.status_code == 200, r.text
    bob, carol = world.client("bob"), world.client("carol")
    await set_state(bob, "online")
    await set_state(carol, "online")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as visitor:
        r = await visitor.post(f"{W}/channels/{channel.id}/sessions", json={"name": "Rita"})
        visitor.headers["X-Visitor-Token"] = r.json()["visitor_token"]
        first = (
            await visitor.post(f"{W}/messages", json={"body": "Hello", "client_message_id": "r-1"})
        ).json()
        await run_jobs(runtime)
        conv = (await conversations(runtime, [first["conversation_id"]]))[first["conversation_id"]]
        had_it = conv.assignee_id
        assert had_it is not None
        agent = bob if had_it == world.acme.members["bob"].id else carol
        r = await agent.post(f"/api/v1/conversations/{conv.id}/close", json={})
        assert r.status_code == 200
        # Make the other agent the longest idle, so round robin alone would pick them.
        second = (
            await visitor.post(
                f"{W}/messages", json={"body": "Me again", "client_message_id": "r-2"}
            )
        ).json()
        await run_jobs(runtime)
    again = (await conversations(runtime, [second["conversation_id"]]))[second["conversation_id"]]
    assert again.id != conv.id
    assert again.assignee_id == had_it
    r = await agent.get(f"/api/v1/conversations/{again.id}/assignments")
    assert r.json()[0]["rule"] == "returning"


async def test_an_offline_assignee_loses_the_conversation_after_the_grace_period(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    channel = await chat_team(runtime, world)
    bob, carol = world.client("bob"), world.client("carol")
    await set_state(bob, "online")
    conversation_id = await visitor_writes(world, channel, "Ola", "Hi")
    await run_jobs(runtime)
    conv = (await conversations(runtime, [conversation_id]))[conversation_id]
    assert conv.assignee_id == world.acme.members["bob"].id
    await set_state(bob, "offline")
    await set_state(carol, "online")
    clock.advance(minutes=6)
    from frontdesk.core.routing.sweep import sweep_workspace

    async with runtime.uow() as uow:
        report = await sweep_workspace(uow, world.acme.workspace.id)
        await uow.commit()
    assert report.released == [(conv.id, "offline")]
    conv = (await conversations(runtime, [conversation_id]))[conversation_id]
    assert conv.assignee_id == world.acme.members["carol"].id
    r = await carol.get(f"/api/v1/conversations/{conversation_id}/assignments")
    history = r.json()
    assert history[1]["end_reason"] == "offline"
    assert history[1]["user_id"] == str(world.acme.members["bob"].id)


@pytest.mark.parametrize("body", [{"strategy": "random"}, {"returning_minutes": 0}, {"x": 1}])
async def test_bad_team_routing_is_refused_and_changes_nothing(
    world: World, body: dict[str, Any]
) -> None:
    alice = world.client("alice")
    team = world.acme.teams["support"].id
    r = await alice.put(f"/api/v1/teams/{team}/routing", json=body)
    assert r.status_code == 422
    r = await alice.get(f"/api/v1/teams/{team}/routing")
    assert r.json()["settings"]["strategy"] == "round_robin"


async def test_only_managers_change_routing(world: World) -> None:
    team = world.acme.teams["support"].id
    r = await world.client("bob").put(
        f"/api/v1/teams/{team}/routing", json={"strategy": "least_open"}
    )
    assert r.status_code == 403
    r = await world.client("dave").put(
        f"/api/v1/teams/{team}/routing", json={"strategy": "least_open"}
    )
    assert r.status_code == 200
    assert r.json()["settings"]["strategy"] == "least_open"


async def test_outside_business_hours_the_customer_gets_the_away_message_with_next_opening(
    world: World, runtime: Runtime
) -> None:
    """The test clock reads Monday 2026-01-05 09:00 UTC: 06:00 in São Paulo, before opening."""
    channel = await chat_team(runtime, world)
    await set_state(world.client("bob"), "online")
    r = await world.client("alice").put(
        "/api/v1/business-hours",
        json={
            "timezone": "America/Sao_Paulo",
            "periods": [
                {"weekday": day, "start": "08:00", "end": "18:00"}
                for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
            ],
        },
    )
    assert r.status_code == 200, r.text
    conversation_id = await visitor_writes(world, channel, "Night owl", "Are you there?")
    await run_jobs(runtime)
    conv = (await conversations(runtime, [conversation_id]))[conversation_id]
    assert conv.assignee_id is None
    assert conv.queued_at is not None
    told = await automatic(runtime, conversation_id)
    assert told == [
        "Thanks for your message! We're closed right now and will reply when we open "
        "(Monday 08:00)."
    ]
    # The queue view counts the wait from the opening (08:00 São Paulo is 11:00 UTC; now 09:00).
    r = await world.client("alice").get(f"/api/v1/teams/{world.acme.teams['support'].id}/queue")
    entry = r.json()["entries"][0]
    assert entry["estimated_wait_seconds"] >= 2 * 3600


async def test_an_unanswered_conversation_goes_to_another_agent_after_the_reply_time(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    channel = await chat_team(runtime, world)
    alice, bob, carol = world.client("alice"), world.client("bob"), world.client("carol")
    team = world.acme.teams["support"].id
    r = await alice.put(f"/api/v1/teams/{team}/routing", json={"reply_timeout_minutes": 3})
    assert r.status_code == 200
    await set_state(bob, "online")
    conversation_id = await visitor_writes(world, channel, "Impatient", "Hello?")
    await run_jobs(runtime)
    await set_state(carol, "online")
    clock.advance(minutes=2)
    from frontdesk.core.routing.sweep import sweep_workspace

    async with runtime.uow() as uow:
        assert (await sweep_workspace(uow, world.acme.workspace.id)).released == []
        await uow.commit()
    clock.advance(minutes=2)
    async with runtime.uow() as uow:
        report = await sweep_workspace(uow, world.acme.workspace.id)
        await uow.commit()
    assert [reason for _, reason in report.released] == ["no_reply"]
    conv = (await conversations(runtime, [conversation_id]))[conversation_id]
    assert conv.assignee_id == world.acme.members["carol"].id


async def test_a_contact_with_an_owner_goes_to_the_owner_before_the_team(
    world: World, runtime: Runtime
) -> None:
    channel = await chat_team(runtime, world)
    dave = world.acme.members["dave"]  # a manager, not in Support
    await set_state(world.client("bob"), "online")
    await set_state(world.client("dave"), "online")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as visitor:
        r = await visitor.post(f"{W}/channels/{channel.id}/sessions", json={"name": "Vip"})
        visitor.headers["X-Visitor-Token"] = r.json()["visitor_token"]
        contact_id = r.json()["contact_id"]
        r = await world.client("alice").patch(
            f"/api/v1/contacts/{contact_id}", json={"owner_id": str(dave.id)}
        )
        assert r.status_code == 200, r.text
        sent = await visitor.post(f"{W}/messages", json={"body": "Hi", "client_message_id": "v"})
    await run_jobs(runtime)
    conversation_id = sent.json()["conversation_id"]
    conv = (await conversations(runtime, [conversation_id]))[conversation_id]
    assert conv.assignee_id == dave.id
    r = await world.client("dave").get(f"/api/v1/conversations/{conversation_id}/assignments")
    assert r.json()[0]["rule"] == "owner"


async def test_raising_a_limit_drains_the_queue_at_once(world: World, runtime: Runtime) -> None:
    channel = await chat_team(runtime, world)
    await set_state(world.client("bob"), "online")
    ids = [await visitor_writes(world, channel, f"V{i}", "Hi") for i in range(3)]
    await run_jobs(runtime)
    convs = await conversations(runtime, ids)
    assert sum(c.assignee_id is not None for c in convs.values()) == 2
    bob_id = world.acme.members["bob"].id
    r = await world.client("alice").put(f"/api/v1/agents/{bob_id}/capacity", json={"capacity": 3})
    assert r.status_code == 200, r.text
    assert r.json()["open_conversations"] == 3
    convs = await conversations(runtime, ids)
    assert all(c.assignee_id == bob_id for c in convs.values())


async def test_a_manual_team_only_queues(world: World, runtime: Runtime) -> None:
    channel = await chat_team(runtime, world)
    team = world.acme.teams["support"].id
    r = await world.client("alice").put(
        f"/api/v1/teams/{team}/routing", json={"strategy": "manual"}
    )
    assert r.status_code == 200
    await set_state(world.client("bob"), "online")
    conversation_id = await visitor_writes(world, channel, "Manual", "Hi")
    await run_jobs(runtime)
    conv = (await conversations(runtime, [conversation_id]))[conversation_id]
    assert conv.assignee_id is None
    assert conv.queued_at is not None
    r = await world.client("alice").get(f"/api/v1/conversations/{conversation_id}/assignments")
    reasons = {c["name"]: c["reason"] for c in r.json()[0]["candidates"]}
    assert reasons["Bob"] == "manual_strategy"


async def test_with_nobody_online_the_customer_hears_so_and_it_is_not_a_response(
    world: World, runtime: Runtime
) -> None:
    channel = await chat_team(runtime, world)
    conversation_id = await visitor_writes(world, channel, "Early bird", "Hello?")
    await run_jobs(runtime)
    told = await automatic(runtime, conversation_id)
    assert told == [
        "No agent is available right now. Your message is saved and we'll reply as soon as "
        "someone is back."
    ]
    conv = (await conversations(runtime, [conversation_id]))[conversation_id]
    # An automatic message is not a reply: the customer is still waiting for a person.
    assert conv.first_response_at is None
    assert conv.waiting_since is not None


async def test_agents_go_offline_when_inactive_or_gone_and_it_is_recorded(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    from frontdesk.core.routing.presence import touch
    from frontdesk.core.routing.sweep import sweep_workspace

    alice = world.client("alice")
    r = await alice.put(
        "/api/v1/routing/settings",
        json={"inactivity_minutes": 30, "disconnect_grace_seconds": 120},
    )
    assert r.status_code == 200, r.text
    await set_state(world.client("bob"), "online")
    await set_state(world.client("carol"), "online")
    bob_id, carol_id = world.acme.members["bob"].id, world.acme.members["carol"].id
    ws = world.acme.workspace.id
    # Carol's app is connected (seen) and she is active; Bob's app was seen, then closed.
    async with runtime.database.write_session() as db:
        await touch(db, ws, bob_id, clock.now(), seen=True)
        await touch(db, ws, carol_id, clock.now(), seen=True, active=True)
        await db.commit()
    clock.advance(minutes=3)
    async with runtime.database.write_session() as db:
        await touch(db, ws, carol_id, clock.now(), seen=True)
        await db.commit()
    async with runtime.uow() as uow:
        report = await sweep_workspace(uow, ws)
        await uow.commit()
    assert report.offline == [bob_id]
    # Carol stays connected but does nothing for half an hour: offline for inactivity.
    for _ in range(11):
        clock.advance(minutes=3)
        async with runtime.database.write_session() as db:
            await touch(db, ws, carol_id, clock.now(), seen=True)
            await db.commit()
    async with runtime.uow() as uow:
        report = await sweep_workspace(uow, ws)
        await uow.commit()
    assert report.offline == [carol_id]
    history = {}
    for name, uid in (("bob", bob_id), ("carol", carol_id)):
        r = await alice.get(f"/api/v1/agents/{uid}/state-history")
        history[name] = [(h["state"], h["source"]) for h in r.json()][:2]
    assert history == {
        "bob": [("offline", "disconnected"), ("online", "manual")],
        "carol": [("offline", "inactivity"), ("online", "manual")],
    }


async def test_a_waiting_customer_is_told_again_when_the_wait_grows_a_lot(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    from frontdesk.core.routing.sweep import sweep_workspace

    channel = await chat_team(runtime, world)
    alice = world.client("alice")
    await set_state(world.client("bob"), "online")
    ids = [await visitor_writes(world, channel, f"V{i}", "Hi") for i in range(3)]
    await run_jobs(runtime)
    last = ids[-1]
    assert len(await automatic(runtime, last)) == 1  # queued at position 1
    async with runtime.uow() as uow:
        report = await sweep_workspace(uow, world.acme.workspace.id)
        await uow.commit()
    assert report.told == 0  # nothing changed: nobody is told twice
    # The team now expects replies within an hour: with no closed conversation measured yet the
    # estimate follows it, and the expected wait grows from 5 minutes to an hour.
    r = await alice.put(
        f"/api/v1/teams/{world.acme.teams['support'].id}/routing",
        json={"expected_reply_minutes": 60},
    )
    assert r.status_code == 200
    async with runtime.uow() as uow:
        report = await sweep_workspace(uow, world.acme.workspace.id)
        await uow.commit()
    assert report.told == 1
    told = await automatic(runtime, last)
    assert len(told) == 2
    assert "number 1 in the queue" in told[1]
