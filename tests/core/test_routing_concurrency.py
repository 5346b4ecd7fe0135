"""Routing under contention: many route and drain calls at once on one team's queue.

On PostgreSQL several OS processes (tests/core/routing_worker.py) each fire concurrent
`engine.route_by_id` and `engine.drain` calls, every one its own transaction, at the same
queued conversations; conversation and agent rows locked with SKIP LOCKED (never waited for)
keep them apart, and status rows are created under the workspace routing lock. On SQLite
the same load runs as concurrent asyncio tasks in this process, and the single writer must
give the same result.

Afterwards, whatever the interleaving:
- the assignment ledger has at most one assignment per conversation and at most one open row,
  matching the conversation's assignee; the customer was told "assigned" at most once and the
  agents were sent one `conversation.assigned` event;
- nobody holds more open conversations than their capacity (nor of one channel than their
  channel limit), and nobody busy, away, offline or read-only got any;
- every conversation is either assigned or queued, and only when every slot is taken (after
  the drain that contended decisions ask for, as its job would run it);
- no call failed: a deadlock would surface here as an error.

The team is built to make locking matter: some contacts are owned by a manager outside the
team who has no status row yet, so deciding for them first creates that row; and in the second
variant two agents come online part-way, which locks their own row and then drains their team.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from frontdesk.core.conversations.models import Conversation, ConversationStatus, Message
from frontdesk.core.routing import engine
from frontdesk.core.routing.ledger import DRAIN_JOB
from frontdesk.core.routing.models import AgentState, AgentStatus, Assignment
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from tests.core.routing_worker import TickingClock, hammer
from tests.factories import Factory, Persona
from tests.queue_invariant import queue_invariant  # noqa: F401 - checked after each test

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("routing_worker.py")
CONVERSATIONS = 40
OLGA_OWNS = (4, 11, 18, 25, 32, 39)  # spread through the queue
OTTO_OWNS = (2, 9, 16)
PROCESSES, TASKS_PER_PROCESS, OPS_PER_TASK = 3, 5, 10
SQLITE_TASKS, SQLITE_OPS = 16, 20
DEFAULT_CAPACITY = 2

# name: (role, in the team, state or None for no status row, capacity, webchat limit)
PEOPLE: dict[str, tuple[str, bool, str | None, int | None, int | None]] = {
    "olga": ("manager", False, None, None, None),  # owns contacts; never signed in
    "otto": ("agent", False, AgentState.ONLINE, 2, None),  # owns contacts, another team
    "ana": ("agent", True, AgentState.ONLINE, 1, None),
    "bao": ("agent", True, AgentState.ONLINE, 2, None),  # already holds one conversation
    "caio": ("agent", True, AgentState.ONLINE, None, None),  # the workspace default
    "duc": ("agent", True, AgentState.ONLINE, 3, None),
    "eva": ("agent", True, AgentState.ONLINE, 3, 1),  # one chat at a time
    "fabio": ("agent", True, AgentState.BUSY, 5, None),
    "gabi": ("agent", True, AgentState.AWAY, 5, None),
    "hana": ("agent", True, AgentState.OFFLINE, 2, None),  # comes online in variant 2
    "ivo": ("agent", True, None, None, None),  # never signed in; comes online in variant 2
    "vera": ("viewer", True, AgentState.ONLINE, 5, None),  # read-only: never assigned
}
LATECOMERS = ("hana", "ivo")


def final_load(latecomers: bool) -> dict[str, int]:
    """Open conversations each person must end with: full where they may take work."""
    load = dict.fromkeys(PEOPLE, 0)
    load.update(otto=2, ana=1, bao=2, caio=DEFAULT_CAPACITY, duc=3, eva=1)
    if latecomers:
        load.update(hana=2, ivo=DEFAULT_CAPACITY)
    return load


@dataclass
class Scene:
    workspace_id: uuid.UUID
    team_id: uuid.UUID
    people: dict[str, uuid.UUID]
    conversation_ids: list[uuid.UUID] = field(default_factory=list)

    def name(self, user_id: uuid.UUID | None) -> str:
        return next((n for n, uid in self.people.items() if uid == user_id), str(user_id))


async def build_scene(runtime: Runtime) -> Scene:
    at = runtime.clock.now()
    async with runtime.database.write_session() as s:
        f = Factory(s, at)
        org = await f.organisation("Contention Ltd")
        ws = await f.workspace(org, "Contention", "contention")
        ws.settings = {"routing": {"default_capacity": DEFAULT_CAPACITY}}
        chat = await f.channel(ws, "webchat", "Site chat")
        people: dict[str, Persona] = {}
        for name, (role, _, _, _, _) in PEOPLE.items():
            people[name] = await f.persona(ws, f"{name}@contention.test", name.title(), role)
        ids = {n: p.id for n, p in people.items()}
        team = await f.team(ws, "Support", [p for n, p in people.items() if PEOPLE[n][1]])
        await f.team(ws, "Accounts", [people["otto"]])
        for name, (_, _, state, capacity, webchat) in PEOPLE.items():
            if state is not None:
                s.add(
                    AgentStatus(
                        workspace_id=ws.id,
                        user_id=ids[name],
                        state=state,
                        state_since=at,
                        capacity=capacity,
                        channel_capacity={"webchat": webchat} if webchat else {},
                        version=1,
                    )
                )
        # Bao's conversation from earlier (no team) counts against his capacity and chat limit.
        earlier = await f.contact(ws, "Earlier")
        await f.conversation(ws, chat, earlier, assignee=people["bao"], at=at - timedelta(hours=1))
        conversation_ids = []
        for i in range(CONVERSATIONS):
            contact = await f.contact(ws, f"Visitor {i}")
            if i in OLGA_OWNS:
                contact.owner_id = ids["olga"]
            elif i in OTTO_OWNS:
                contact.owner_id = ids["otto"]
            conv = await f.conversation(ws, chat, contact, team=team, body=f"Hello {i}")
            conv.queued_at = at + timedelta(seconds=i)  # waiting, as routing left them
            conversation_ids.append(conv.id)
        # Agents came online with room (written directly above): a drain of the team is due.
        s.add(
            Job(
                workspace_id=ws.id,
                kind=DRAIN_JOB,
                payload={"workspace_id": str(ws.id), "team_ids": [str(team.id)]},
                run_at=at,
                created_at=at,
                updated_at=at,
            )
        )
        await s.commit()
    return Scene(ws.id, team.id, ids, conversation_ids)


async def run_processes(
    runtime: Runtime, scene: Scene, latecomers: list[uuid.UUID]
) -> list[dict[str, Any]]:
    """Start the workers, let them all connect, then release them at once."""
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(WORKER),
            runtime.database.url,
            runtime.clock.now().isoformat(),
            str(scene.workspace_id),
            str(scene.team_id),
            str(seed),
            str(TASKS_PER_PROCESS),
            str(OPS_PER_TASK),
            *map(str, latecomers),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=REPO_ROOT,
        )
        for seed in range(1, PROCESSES + 1)
    ]
    try:
        for w in workers:
            assert w.stdout is not None
            assert await asyncio.wait_for(w.stdout.readline(), timeout=30) == b"ready\n"
        for w in workers:
            assert w.stdin is not None
            w.stdin.write(b"go\n")
            await w.stdin.drain()
        outputs = await asyncio.wait_for(
            asyncio.gather(*(w.communicate() for w in workers)), timeout=150
        )
    finally:
        for w in workers:
            if w.returncode is None:
                w.kill()
                await w.wait()
    assert [w.returncode for w in workers] == [0] * PROCESSES
    return [json.loads(out.decode().strip().splitlines()[-1]) for out, _ in outputs]


async def run_in_process(
    runtime: Runtime, scene: Scene, latecomers: list[uuid.UUID]
) -> list[dict[str, Any]]:
    ticking = dataclasses.replace(runtime, clock=TickingClock(runtime.clock.now()))
    report = await hammer(
        ticking,
        scene.workspace_id,
        scene.team_id,
        seed=1,
        tasks=SQLITE_TASKS,
        ops=SQLITE_OPS,
        latecomers=latecomers,
    )
    return [dataclasses.asdict(report)]


async def check(runtime: Runtime, scene: Scene, latecomers: bool) -> None:
    async with runtime.database.read_session() as db:
        convs = {
            c.id: c
            for c in await db.scalars(
                select(Conversation).where(Conversation.workspace_id == scene.workspace_id)
            )
        }
        ledger = list(
            await db.scalars(
                select(Assignment).where(Assignment.workspace_id == scene.workspace_id)
            )
        )
        statuses = {
            s.user_id: s
            for s in await db.scalars(
                select(AgentStatus).where(AgentStatus.workspace_id == scene.workspace_id)
            )
        }
        notices = Counter(
            cid
            for cid, client_id in await db.execute(
                select(Message.conversation_id, Message.client_message_id).where(
                    Message.workspace_id == scene.workspace_id, Message.sender_type == "system"
                )
            )
            if (client_id or "").startswith("auto:assigned:")
        )
        events = Counter(
            uuid.UUID(payload["conversation"]["id"])
            for payload in await db.scalars(
                select(EventLogEntry.payload).where(
                    EventLogEntry.workspace_id == scene.workspace_id,
                    EventLogEntry.type == "conversation.assigned",
                )
            )
        )

    # The ledger: one assignment per conversation at most, one open row at most, and the open
    # row is the conversation's assignee.
    by_conv: dict[uuid.UUID, list[Assignment]] = {}
    for row in ledger:
        by_conv.setdefault(row.conversation_id, []).append(row)
    for cid in scene.conversation_ids:
        conv, rows = convs[cid], by_conv.get(cid, [])
        to_someone = [r for r in rows if r.user_id is not None]
        still_open = [r for r in rows if r.ended_at is None]
        assert len(to_someone) <= 1, f"{cid} assigned {len(to_someone)} times: " + str(
            [(scene.name(r.user_id), r.rule, r.end_reason, r.decided_at) for r in rows]
        )
        assert len(still_open) <= 1, f"{cid} has {len(still_open)} open assignments"
        # Assigned or queued, never both, never neither.
        assert (conv.assignee_id is None) != (conv.queued_at is None), cid
        if conv.assignee_id is not None:
            assert [r.user_id for r in still_open] == [conv.assignee_id]
            assert still_open[0].rule in ("strategy", "owner")
            assert notices[cid] == 1
            assert events[cid] == 1
        else:
            assert to_someone == []
            assert notices[cid] == 0
            assert events[cid] == 0

    # Capacity: count what everyone holds now, including conversations from before.
    load = Counter(
        c.assignee_id
        for c in convs.values()
        if c.assignee_id is not None and c.status in (ConversationStatus.OPEN, "pending")
    )
    for name, (_, _, _, _, webchat) in PEOPLE.items():
        uid = scene.people[name]
        status = statuses.get(uid)
        limit = (status.capacity if status else None) or DEFAULT_CAPACITY
        assert load[uid] <= limit, f"{name} holds {load[uid]} of {limit}"
        if webchat is not None:
            assert load[uid] <= webchat, f"{name} holds {load[uid]} chats of {webchat}"
    got = {name: load[uid] for name, uid in scene.people.items()}
    # Every slot is taken (40 conversations are more than the team can hold), by the right
    # people: nobody busy, away, offline or read-only.
    assert got == final_load(latecomers)
    queued = [cid for cid in scene.conversation_ids if convs[cid].assignee_id is None]
    assigned_here = sum(final_load(latecomers).values()) - 1  # Bao's earlier conversation
    assert len(queued) == CONVERSATIONS - assigned_here
    # Routing made the status rows of those who had none (the unique key keeps them single).
    assert {scene.people["olga"], scene.people["ivo"]} <= set(statuses)
    if latecomers:
        assert {statuses[scene.people[n]].state for n in LATECOMERS} == {AgentState.ONLINE}


@pytest.mark.parametrize("latecomers", [False, True], ids=["queue", "agents-come-online"])
async def test_concurrent_routing_never_double_assigns_or_overfills(
    runtime: Runtime, latecomers: bool
) -> None:
    scene = await build_scene(runtime)
    late = [scene.people[n] for n in LATECOMERS] if latecomers else []
    if runtime.database.is_sqlite:
        reports = await run_in_process(runtime, scene, late)
    else:
        reports = await run_processes(runtime, scene, late)
    errors = [e for r in reports for e in r["errors"]]
    assert errors == []
    assert sum(r["operations"] for r in reports) == (
        SQLITE_TASKS * SQLITE_OPS
        if runtime.database.is_sqlite
        else PROCESSES * TASKS_PER_PROCESS * OPS_PER_TASK
    )
    # A decision that found a contact's own agent held by another one left the contact waiting
    # and asked for the team to be drained again a moment later: run that drain, as its job
    # would, before checking that every slot is taken.
    async with runtime.uow() as uow:
        await engine.drain(uow, scene.workspace_id, scene.team_id)
        await uow.commit()
    await check(runtime, scene, latecomers)
    # The work was really contended: some calls found a conversation taken (PostgreSQL skips
    # locked rows; SQLite runs one writer at a time, so nothing is ever skipped there).
    if not runtime.database.is_sqlite:
        assert sum(r["skipped"] for r in reports) > 0
    # Each assignment was made by exactly one caller (coming online drains too, uncounted).
    made = sum(r["assigned"] for r in reports)
    expected = sum(final_load(latecomers).values()) - 1
    assert (made == expected) if not latecomers else (made <= expected)


async def _until_held_up_or_done(runtime: Runtime, request: asyncio.Task[Any]) -> None:
    """Until the request has gone as far as it can while the drain holds its locks: finished,
    or waiting on one of them.

    PostgreSQL shows the wait: a session of this database waiting for a lock. SQLite has one
    writer, which the drain holds from its first statement: the request waits for it wherever
    it has got to, so there is nothing to wait for there.
    """
    if runtime.database.is_sqlite:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    probe = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while not request.done():
        async with runtime.database.reader.connect() as conn:
            if await conn.scalar(probe):
                return
        assert loop.time() < deadline, "the request neither finished nor waited on a lock"
        await asyncio.sleep(0.01)


async def test_a_drain_and_a_route_that_both_need_an_owners_row_do_not_deadlock(
    runtime: Runtime,
) -> None:
    """The interleaving behind the deadlocks this file found, made to happen every time.

    A drain decides for a first conversation, one of Otto's contacts (locking the team's rows
    and Otto's), and then for one of Olga's, which needs Olga's row too. Between the two, a
    route request for another of Olga's contacts starts and creates Olga's status row. Row
    creation is the one place a decision waits for another (the unique key of an uncommitted
    row); the routing lock serialises it and every other row is claimed with SKIP LOCKED, so
    neither call fails with a deadlock."""
    scene = await build_scene(runtime)
    ws, ids = scene.workspace_id, scene.conversation_ids
    async with runtime.database.write_session() as s:  # only Olga is without a status row
        await engine.ensure_status_rows(s, ws, [scene.people["ivo"]], runtime.clock.now())
        await s.commit()
    ottos, olgas, other_olgas = ids[OTTO_OWNS[0]], ids[OLGA_OWNS[0]], ids[OLGA_OWNS[1]]
    route_started = asyncio.Event()

    async def route_request() -> engine.Outcome | None:
        async with runtime.uow() as uow:
            route_started.set()
            outcome = await engine.route_by_id(uow, ws, olgas)
            await uow.commit()
            return outcome

    async with runtime.uow() as drain:
        conv = await engine.lock_conversation(drain.session, ws, ottos)
        assert conv is not None
        assert (await engine.route(drain, conv)).assigned_to == scene.people["otto"]
        request = asyncio.create_task(route_request())
        await route_started.wait()
        await _until_held_up_or_done(runtime, request)
        conv = await engine.lock_conversation(drain.session, ws, other_olgas)
        assert conv is not None
        assert (await engine.route(drain, conv)).assigned_to is not None
        await drain.commit()
    outcome = await asyncio.wait_for(request, timeout=30)
    assert outcome is not None
    assert outcome.rule == "strategy"  # Olga is offline: her contact went to the team
    assert outcome.assigned_to not in (None, scene.people["olga"])
