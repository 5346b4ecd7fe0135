"""More processes on one PostgreSQL and one Redis stay exact (docs/operations/processes.md).

Two app servers (one of them `serve --workers 2`: two processes sharing its port) and two
`frontdesk worker` processes. Agents' sockets are spread over both servers; replies are posted
through both; the agents of a pool team come online through both at once while the workers
route the team's queue. Then, from the database and the frames:

- every socket received every event of the log it may see (its audience keys meet the event's),
  from its `hello` cursor on, exactly once, and nothing else; the replies reached exactly the
  people the product rules name (supervisors, the conversation's team and assignee);
- no conversation was assigned twice, no agent holds more than their capacity, every free slot
  was filled and the rest wait in the queue;
- every routing job ran once, in one worker, on its first attempt; none is left or dead.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio
from sqlalchemy import func, select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.events import subscription_keys
from frontdesk.core.routing.ledger import DRAIN_JOB, ROUTE_JOB, request_route
from frontdesk.core.routing.models import Assignment
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job, JobStatus
from frontdesk.settings import Settings
from tests.conftest import World
from tests.factories import Factory, Persona
from tests.processes.stack import (
    REDIS_URL,
    Process,
    Socket,
    new_channel,
    run_environment,
    server,
    worker,
)

POOL_AGENTS = 6
POOL_CONVERSATIONS = 20  # more than the pool's room: 6 agents x the default capacity of 3
CAPACITY = 3
ROUNDS = 6  # replies per (author, conversation, server)


@pytest.fixture
def clock() -> FrozenClock:
    # The processes run on real time: the personas' sessions must be valid now.
    return FrozenClock(datetime.now(UTC))


@pytest.fixture
def redis_available() -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is needed at {REDIS_URL} (make test starts it): {exc}")


async def wait_until(check: Any, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {within:.0f} s")
        await asyncio.sleep(0.05)


async def add_scene(runtime: Runtime, world: World) -> dict[str, Any]:
    """A webchat channel (replies need no provider), a Support conversation of Bob's, a
    Sales one nobody has, and a pool team of offline agents with a queue longer than its room."""
    ws = world.acme.workspace
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        chat = await f.channel(ws, "webchat", "Website chat")
        support_contact = await f.contact(ws, "Vic")
        sales_contact = await f.contact(ws, "Val")
        support = await f.conversation(
            ws,
            chat,
            support_contact,
            team=world.acme.teams["support"],
            assignee=world.persona("bob"),
        )
        sales = await f.conversation(ws, chat, sales_contact, team=world.acme.teams["sales"])
        pool_agents: list[Persona] = [
            await f.persona(ws, f"pool{i}@acme.test", f"Pool {i}", "agent")
            for i in range(POOL_AGENTS)
        ]
        pool = await f.team(ws, "Pool", pool_agents)
        queued = []
        for i in range(POOL_CONVERSATIONS):
            contact = await f.contact(ws, f"Waiting {i}")
            queued.append(await f.conversation(ws, chat, contact, team=pool))
        await s.commit()
    return {
        "support": support,
        "sales": sales,
        "pool": pool,
        "pool_agents": pool_agents,
        "queued": queued,
    }


async def until_all_hear(sockets: list[Socket], channel: str, world: World) -> None:
    """Until each socket's process hears the run's channel: a probe signal reaches them all."""
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        marker = uuid.uuid4().hex
        frame = json.dumps({"type": "probe", "data": {"m": marker}})
        signal = {"kind": "signal", "audience": [f"ws:{world.acme.id}"], "frame": frame}
        message = json.dumps({**signal, "origin": None})
        deadline = time.monotonic() + 30
        while not all(s.has("probe", marker) for s in sockets):
            assert time.monotonic() < deadline, "a process never heard Redis"
            await client.publish(channel, message)
            await asyncio.sleep(0.1)
    finally:
        await client.aclose()


async def post_reply(base: str, author: Persona, conversation_id: uuid.UUID, cmid: str) -> None:
    async with httpx.AsyncClient(base_url=f"http://{base}", timeout=30) as client:
        client.cookies.set("frontdesk_session", author.session_token)
        r = await client.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"body": f"reply {cmid}", "client_message_id": cmid},
            headers={"X-CSRF-Token": author.csrf_token},
        )
    assert r.status_code == 201, r.text


async def come_online(base: str, agent: Persona) -> None:
    async with httpx.AsyncClient(base_url=f"http://{base}", timeout=30) as client:
        client.cookies.set("frontdesk_session", agent.session_token)
        r = await client.put(
            "/api/v1/me/state",
            json={"state": "online"},
            headers={"X-CSRF-Token": agent.csrf_token},
        )
    assert r.status_code == 200, r.text


async def test_frames_and_assignments_stay_exact_across_processes(
    world: World, runtime: Runtime, settings: Settings, tmp_path: Path, redis_available: None
) -> None:
    scene = await add_scene(runtime, world)
    channel = new_channel()
    env = run_environment(settings, channel)
    # `a` is two processes behind one port; `b` is one.
    a = server("serve-a", env, tmp_path, workers=2)
    b = server("serve-b", env, tmp_path)
    workers = [worker(f"worker-{i}", env, tmp_path) for i in range(2)]
    processes: list[Process] = [a, b, *workers]
    sockets: list[Socket] = []
    try:
        for p in processes:
            p.start()
        await asyncio.gather(*(p.ready() for p in processes))
        ws_id = world.acme.id
        watchers: list[tuple[str, Persona, Process, list[uuid.UUID]]] = [
            ("bob", world.persona("bob"), a, [world.acme.teams["support"].id]),
            ("dave", world.persona("dave"), a, []),
            ("carol", world.persona("carol"), b, [world.acme.teams["sales"].id]),
            ("alice", world.persona("alice"), b, []),
        ]
        for i, agent in enumerate(scene["pool_agents"]):
            watchers.append((f"pool{i}", agent, (a, b)[i % 2], [scene["pool"].id]))
        roles = {"bob": "agent", "carol": "agent", "dave": "manager", "alice": "owner"}
        for name, persona, process, _ in watchers:
            sockets.append(await Socket.open(name, process.base, persona.session_token))
        # Each process behind `a`'s port gets sockets of its own: open them all, then probe.
        await until_all_hear(sockets, channel, world)

        support, sales = scene["support"].id, scene["sales"].id
        alice, bob, carol = (world.persona(n) for n in ("alice", "bob", "carol"))
        posts = []
        for k in range(ROUNDS):
            for srv in (a, b):
                tag = f"{srv.name}-{k}"
                posts += [
                    post_reply(srv.base, bob, support, f"support-bob-{tag}"),
                    post_reply(srv.base, alice, support, f"support-alice-{tag}"),
                    post_reply(srv.base, carol, sales, f"sales-carol-{tag}"),
                    post_reply(srv.base, alice, sales, f"sales-alice-{tag}"),
                ]
        online = [
            come_online((b, a)[i % 2].base, agent) for i, agent in enumerate(scene["pool_agents"])
        ]

        async def route_the_queue() -> None:  # the workers route it while the agents come online
            async with runtime.uow() as uow:
                for conv in scene["queued"]:
                    request_route(uow, conv)
                await uow.commit()

        await asyncio.gather(route_the_queue(), *posts, *online)

        pool_ids = [c.id for c in scene["queued"]]

        async def routing_done() -> bool:
            async with runtime.database.read_session() as db:
                waiting = await db.scalar(
                    select(func.count())
                    .select_from(Job)
                    .where(Job.kind.in_([ROUTE_JOB, DRAIN_JOB]), Job.status != JobStatus.DEAD)
                )
                assigned = await db.scalar(
                    select(func.count())
                    .select_from(Conversation)
                    .where(Conversation.id.in_(pool_ids), Conversation.assignee_id.is_not(None))
                )
            return waiting == 0 and assigned == POOL_AGENTS * CAPACITY

        await wait_until(routing_done, 30, "routing the pool's queue")

        # Every event of the log so far, and who may see it.
        async with runtime.database.read_session() as db:
            log = (
                await db.scalars(
                    select(EventLogEntry)
                    .where(EventLogEntry.workspace_id == ws_id)
                    .order_by(EventLogEntry.id)
                )
            ).all()
        newest = log[-1].id
        expected: dict[str, list[int]] = {}
        for (name, persona, _, teams), sock in zip(watchers, sockets, strict=True):
            keys = subscription_keys(ws_id, roles.get(name, "agent"), persona.id, teams)
            expected[name] = [e.id for e in log if e.id > sock.cursor and keys & set(e.audience)]

        def everything_arrived() -> bool:
            return all(set(expected[s.name]) <= {f["id"] for f in s.events()} for s in sockets)

        await wait_until(everything_arrived, 15, "every expected frame arriving")
        # A last signal through the same channel: any second copy was sent before it.
        await until_all_hear(sockets, channel, world)
        for sock in sockets:
            got = Counter(f["id"] for f in sock.events() if f["id"] <= newest)
            twice = sorted(i for i, n in got.items() if n > 1)
            assert not twice, f"{sock.name} received events {twice} more than once"
            assert sorted(got) == expected[sock.name], f"{sock.name}: not exactly its events"

        # The replies, by the product's rules: supervisors, the team, the assignee.
        def replies(sock: Socket) -> Counter[str]:
            return Counter(
                f["data"]["message"]["client_message_id"]
                for f in sock.events()
                if f["type"] == "message.created"
                and (f["data"]["message"].get("client_message_id") or "").startswith(
                    ("support-", "sales-")
                )
            )

        per_conversation = 4 * ROUNDS  # two authors, through two servers
        by_name = {s.name: replies(s) for s in sockets}
        for name in ("alice", "dave"):
            assert len(by_name[name]) == 2 * per_conversation
            assert set(by_name[name].values()) == {1}
        assert set(by_name["bob"]) == {m for m in by_name["alice"] if m.startswith("support-")}
        assert set(by_name["carol"]) == {m for m in by_name["alice"] if m.startswith("sales-")}
        assert len(by_name["bob"]) == len(by_name["carol"]) == per_conversation
        assert all(not by_name[f"pool{i}"] for i in range(POOL_AGENTS))

        # Assignments: once each, within capacity, every slot filled.
        async with runtime.database.read_session() as db:
            rows = (
                await db.scalars(select(Assignment).where(Assignment.conversation_id.in_(pool_ids)))
            ).all()
            convs = (
                await db.scalars(select(Conversation).where(Conversation.id.in_(pool_ids)))
            ).all()
            left = (await db.scalars(select(Job).where(Job.kind.in_([ROUTE_JOB, DRAIN_JOB])))).all()
        given = Counter(r.conversation_id for r in rows if r.user_id is not None)
        assert set(given.values()) == {1}, "a conversation was given to an agent twice"
        open_rows = Counter(r.conversation_id for r in rows if r.ended_at is None)
        assert all(n == 1 for n in open_rows.values())
        holder = {r.conversation_id: r.user_id for r in rows if r.ended_at is None}
        loads = Counter(c.assignee_id for c in convs if c.assignee_id is not None)
        assert sorted(loads.values()) == [CAPACITY] * POOL_AGENTS
        assert set(loads) == {p.id for p in scene["pool_agents"]}
        for conv in convs:
            assert holder.get(conv.id) == conv.assignee_id
            if conv.assignee_id is None:
                assert conv.queued_at is not None
        assert left == [], [(j.kind, j.status, j.last_error) for j in left]
        # Each agent's socket heard each of their assignments once (checked with the log
        # above); here, that they heard all of them.
        for i, agent in enumerate(scene["pool_agents"]):
            theirs = {c.id for c in convs if c.assignee_id == agent.id}
            heard = {
                uuid.UUID(f["data"]["conversation"]["id"])
                for f in sockets[4 + i].events()
                if f["type"] == "conversation.assigned"
            }
            assert theirs <= heard

        # Jobs: each routing job ran once, in one of the workers, at its first attempt.
        done = re.compile(r"job (\d+) \((routing_route)\) done after (\d+) attempt")
        runs = [m for w in workers for m in done.findall(w.log())]
        per_job = Counter(job_id for job_id, _, _ in runs)
        assert len(per_job) == POOL_CONVERSATIONS, runs
        assert set(per_job.values()) == {1}
        assert {attempts for _, _, attempts in runs} == {"1"}
    finally:
        for sock in sockets:
            await sock.close()
        await asyncio.gather(*(p.stop() for p in processes))
