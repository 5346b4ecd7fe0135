"""S5: automatic assignment under concurrency, against reference R7.

A workspace holds 10,000 open conversations and one team of 200 online agents (round robin).
Most conversations are already assigned (the agents' load); the rest are new and get routed.

R7  p99 of a primary-key SELECT (one conversation by id) at 16 concurrent clients, through the
    same database layer (SQLAlchemy async engine, same pool), measured first in the same run.
A   "requests": 50 concurrent assignment requests (`engine.route_by_id` + commit, what a route
    job does), with room for all: decision latency (request start to commit) and the
    round-robin spread (max - min conversations given to each agent).
B   "pressure": capacities are cut to two free slots per agent, then 50 concurrent requests
    (and a few concurrent queue drains) route more new conversations than there is room for.

After both, from the assignment ledger and the conversations: double assignments (a
conversation with more than one assignment, more than one open ledger row, or an assignee
that is not its open row's) and capacity overruns (agents holding more than their capacity);
every free slot must have been filled and every other conversation queued.

`python -m benchmarks.assignment [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text, update

from benchmarks.common import (
    Workdir,
    _pg_admin,
    fmt,
    latency_ms,
    migrate,
    new_secret,
    now,
    options,
    result_line,
    write_json,
)
from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import SystemClock
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.mail import LogMailer
from frontdesk.core.models import metadata as _all_tables  # noqa: F401 - every table mapped
from frontdesk.core.routing import engine
from frontdesk.core.routing.models import AgentState, AgentStatus, Assignment
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import SecretBox
from frontdesk.core.workspaces.models import Membership, Organisation, Team, TeamMember, Workspace
from frontdesk.db.engine import create_database
from frontdesk.db.ids import new_id

# The PostgreSQL database the run creates and drops; FRONTDESK_BENCH_PG_DATABASE names another
# (one per person on a shared server).
PG_DATABASE = os.environ.get("FRONTDESK_BENCH_PG_DATABASE") or "frontdesk_bench_routing"
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}"
TARGETS = {"decision_p99_vs_R7": 15.0, "double_assignments": 0, "capacity_overruns": 0}
SPREAD_TARGET = 1
R7_CLIENTS = 16
PRESSURE_FREE = 2  # free slots per agent in part B
DRAINERS = 3  # concurrent queue drains beside the requests in part B
POOL = 27  # connections (plus as many overflow): one per concurrent request and drain
TIME_LIMIT_SECONDS = 600.0


@dataclass(frozen=True)
class Sizes:
    conversations: int  # open conversations in the workspace
    agents: int
    concurrency: int
    requests: int  # part A: routed with room for all (a multiple of `agents`)
    pressure: int  # part B: routed with PRESSURE_FREE slots per agent
    r7_per_client: int
    solo: int  # of part A's requests, routed first one at a time (the uncontended cost)


FULL = Sizes(
    conversations=10_000,
    agents=200,
    concurrency=50,
    requests=2_000,
    pressure=1_000,
    r7_per_client=500,
    solo=100,
)
QUICK = Sizes(
    conversations=2_000,
    agents=40,
    concurrency=50,
    requests=160,
    pressure=120,
    r7_per_client=200,
    solo=20,
)


@dataclass
class Scene:
    workspace_id: uuid.UUID
    team_id: uuid.UUID
    agents: list[uuid.UUID]
    preassigned: int
    to_route: list[uuid.UUID]  # new conversations, in the order they are requested
    all_ids: list[uuid.UUID]


# --- database --------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def routing_database(kind: str) -> AsyncIterator[Workdir]:
    """A fresh, migrated database: a temp SQLite file, or `frontdesk_bench_routing`."""
    path = Path(tempfile.mkdtemp(prefix="frontdesk-bench-routing-"))
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{path / 'bench.db'}"
    else:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        await _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
        url = PG_URL
    work = Workdir(path=path, database=kind, url=url)
    try:
        migrate(work)
        yield work
    finally:
        if kind == "postgresql":
            with contextlib.suppress(Exception):
                await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        shutil.rmtree(path, ignore_errors=True)


async def _publish_nowhere(_events: object) -> None:
    return None


def make_runtime(work: Workdir) -> Runtime:
    """The pieces routing uses, without the web app: the database, a clock, no live publish."""
    return Runtime(
        database=create_database(work.url, pool_size=POOL, max_overflow=POOL),
        clock=SystemClock(),
        secrets=SecretBox(new_secret()),
        mailer=LogMailer(),
        publisher=_publish_nowhere,
        public_url="http://127.0.0.1",
    )


async def seed(runtime: Runtime, sizes: Sizes) -> Scene:
    """One team of online agents; every conversation has its own new contact (no returning
    contacts, no owners), so round robin alone decides."""
    at = datetime.now(UTC) - timedelta(hours=1)
    to_route = sizes.requests + sizes.pressure
    preassigned = sizes.conversations - to_route
    per_agent = preassigned // sizes.agents
    preassigned = per_agent * sizes.agents
    capacity = per_agent + sizes.requests // sizes.agents + 1  # room for every request in A
    async with runtime.database.write_session() as s:
        org = Organisation(id=new_id(), name="Bench S5", created_at=at)
        ws = Workspace(
            id=new_id(),
            organisation_id=org.id,
            name="Bench S5",
            slug=f"bench-s5-{uuid.uuid4().hex[:6]}",
            timezone="UTC",
            settings={},
            created_at=at,
        )
        team = Team(id=new_id(), workspace_id=ws.id, name="Support", description="", created_at=at)
        channel = Channel(
            id=new_id(),
            workspace_id=ws.id,
            type="webchat",
            name="Website chat",
            settings={},
            is_active=True,
            created_at=at,
            updated_at=at,
        )
        s.add(org)
        await s.flush()
        s.add(ws)
        await s.flush()
        s.add_all([team, channel])
        await s.flush()
        agents = [new_id() for _ in range(sizes.agents)]
        await s.execute(
            insert(User),
            [
                {
                    "id": uid,
                    "email": f"agent-{i}-{uid.hex[:8]}@bench.test",
                    "name": f"Agent {i}",
                    "password_hash": None,
                    "language": "en",
                    "is_active": True,
                    "created_at": at,
                }
                for i, uid in enumerate(agents)
            ],
        )
        rows = [{"workspace_id": ws.id, "user_id": u, "created_at": at} for u in agents]
        await s.execute(insert(Membership), [{**r, "id": new_id(), "role": "agent"} for r in rows])
        await s.execute(
            insert(TeamMember), [{**r, "id": new_id(), "team_id": team.id} for r in rows]
        )
        rng = random.Random(5)
        await s.execute(
            insert(AgentStatus),
            [
                {
                    "id": new_id(),
                    "workspace_id": ws.id,
                    "user_id": u,
                    "state": AgentState.ONLINE,
                    "state_since": at,
                    "capacity": capacity,
                    "channel_capacity": {},
                    "last_assigned_at": at - timedelta(seconds=rng.randrange(3600)),
                    "version": 1,
                }
                for u in agents
            ],
        )
        all_ids: list[uuid.UUID] = []
        to_route_ids: list[uuid.UUID] = []
        for start in range(0, preassigned + to_route, 2_000):
            contacts, convs = [], []
            for i in range(start, min(start + 2_000, preassigned + to_route)):
                contact_id, conv_id = new_id(), new_id()
                contacts.append(
                    {
                        "id": contact_id,
                        "workspace_id": ws.id,
                        "name": f"Visitor {i}",
                        "created_at": at,
                        "updated_at": at,
                    }
                )
                assignee = agents[i % sizes.agents] if i < preassigned else None
                convs.append(
                    {
                        "id": conv_id,
                        "workspace_id": ws.id,
                        "channel_id": channel.id,
                        "contact_id": contact_id,
                        "status": "open",
                        "team_id": team.id,
                        "assignee_id": assignee,
                        "assigned_at": at if assignee else None,
                        "priority": 1,
                        "waiting_since": at,
                        "opened_at": at,
                        "last_activity_at": at,
                        "last_inbound_at": at,
                        "last_message_preview": "Hello",
                        "version": 1,
                        "created_at": at,
                    }
                )
                all_ids.append(conv_id)
                if assignee is None:
                    to_route_ids.append(conv_id)
            await s.execute(insert(Contact), contacts)
            await s.execute(insert(Conversation), convs)
        await s.commit()
    if runtime.database.dialect == "postgresql":
        async with runtime.database.writer.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    return Scene(ws.id, team.id, agents, preassigned, to_route_ids, all_ids)


# --- measurements ------------------------------------------------------------------------------


async def measure_r7(runtime: Runtime, scene: Scene, sizes: Sizes) -> list[float]:
    """R7: primary-key SELECTs of random conversations from 16 concurrent clients."""
    samples: list[float] = []
    table = Conversation.__table__
    ids = scene.all_ids

    async def client(n: int) -> None:
        rng = random.Random(n)
        async with runtime.database.read_session() as db:
            for i in range(sizes.r7_per_client + 20):
                started = now()
                row = (await db.execute(select(table).where(table.c.id == rng.choice(ids)))).first()
                if i >= 20:  # the first ones warm the connection and the plan
                    samples.append(now() - started)
                assert row is not None
                await db.rollback()

    await asyncio.gather(*(client(n) for n in range(R7_CLIENTS)))
    return samples


@dataclass
class Run:
    latencies: list[float]
    errors: list[str]
    drained: int = 0
    elapsed: float = 0.0


async def route_concurrently(
    runtime: Runtime, scene: Scene, ids: Sequence[uuid.UUID], concurrency: int, drainers: int = 0
) -> Run:
    """`concurrency` clients take the next conversation and route it, each in its own
    transaction; optionally a few more keep draining the queue meanwhile."""
    pending = list(reversed(ids))
    run = Run(latencies=[], errors=[])
    deadline = now() + TIME_LIMIT_SECONDS
    busy = True

    async def client() -> None:
        while pending and now() < deadline:
            cid = pending.pop()
            started = now()
            try:
                async with runtime.uow() as uow:
                    await engine.route_by_id(uow, scene.workspace_id, cid)
                    await uow.commit()
            except Exception as exc:  # counted, reported, never retried
                run.errors.append(f"{type(exc).__name__}: {exc}"[:300])
            else:
                run.latencies.append(now() - started)

    async def drainer() -> None:
        while busy and now() < deadline:
            try:
                async with runtime.uow() as uow:
                    n = await engine.drain(uow, scene.workspace_id, scene.team_id)
                    await uow.commit()
                run.drained += n
            except Exception as exc:
                run.errors.append(f"drain {type(exc).__name__}: {exc}"[:300])
            await asyncio.sleep(0.01)

    started = now()
    drains = [asyncio.create_task(drainer()) for _ in range(drainers)]
    await asyncio.gather(*(client() for _ in range(concurrency)))
    busy = False
    await asyncio.gather(*drains)
    run.elapsed = now() - started
    return run


async def settle(runtime: Runtime, scene: Scene) -> int:
    """What the drain job that a contended decision asks for does a moment later: a decision
    whose candidates were all being claimed by others queues its conversation and asks for it."""
    async with runtime.uow() as uow:
        assigned = await engine.drain(uow, scene.workspace_id, scene.team_id)
        await uow.commit()
    return assigned


async def squeeze(runtime: Runtime, scene: Scene) -> int:
    """Part B's capacities: what each agent holds now plus PRESSURE_FREE; returns free slots."""
    async with runtime.database.write_session() as s:
        loads = dict(
            (
                await s.execute(
                    select(Conversation.assignee_id, func.count())
                    .where(
                        Conversation.workspace_id == scene.workspace_id,
                        Conversation.assignee_id.is_not(None),
                        Conversation.status.in_(engine.HOLDING),
                    )
                    .group_by(Conversation.assignee_id)
                )
            ).all()
        )
        for uid in scene.agents:
            await s.execute(
                update(AgentStatus)
                .where(AgentStatus.workspace_id == scene.workspace_id, AgentStatus.user_id == uid)
                .values(capacity=loads.get(uid, 0) + PRESSURE_FREE)
            )
        await s.commit()
    return PRESSURE_FREE * len(scene.agents)


@dataclass
class Ledger:
    double_assignments: int
    capacity_overruns: int
    assigned: int
    queued: int
    neither: int
    per_agent_in_requests: Counter[uuid.UUID]


async def audit(runtime: Runtime, scene: Scene, requests: set[uuid.UUID]) -> Ledger:
    async with runtime.database.read_session() as db:
        rows = (
            await db.execute(
                select(Assignment.conversation_id, Assignment.user_id, Assignment.ended_at).where(
                    Assignment.workspace_id == scene.workspace_id
                )
            )
        ).all()
        convs = (
            await db.execute(
                select(Conversation.id, Conversation.assignee_id, Conversation.queued_at).where(
                    Conversation.workspace_id == scene.workspace_id
                )
            )
        ).all()
        capacity = dict(
            (
                await db.execute(
                    select(AgentStatus.user_id, AgentStatus.capacity).where(
                        AgentStatus.workspace_id == scene.workspace_id
                    )
                )
            ).all()
        )
    to_someone: Counter[uuid.UUID] = Counter()
    open_rows: dict[uuid.UUID, list[uuid.UUID | None]] = {}
    per_agent: Counter[uuid.UUID] = Counter()
    for cid, uid, ended in rows:
        if uid is not None:
            to_someone[cid] += 1
            if cid in requests:
                per_agent[uid] += 1
        if ended is None:
            open_rows.setdefault(cid, []).append(uid)
    routed = set(scene.to_route)
    double = 0
    assigned = queued = neither = 0
    load: Counter[uuid.UUID] = Counter()
    for cid, assignee, queued_at in convs:
        if assignee is not None:
            load[assignee] += 1
        if cid not in routed:
            continue
        opened = open_rows.get(cid, [])
        if (
            to_someone[cid] > 1
            or len(opened) > 1
            or (assignee is not None and opened != [assignee])
        ):
            double += 1
        if assignee is not None:
            assigned += 1
        elif queued_at is not None:
            queued += 1
        else:
            neither += 1
    overruns = sum(1 for uid in scene.agents if load[uid] > (capacity.get(uid) or 0))
    for uid in scene.agents:
        per_agent.setdefault(uid, 0)
    return Ledger(double, overruns, assigned, queued, neither, per_agent)


# --- report --------------------------------------------------------------------------------------


def print_rows(title: str, rows: Sequence[Sequence[object]]) -> None:
    header = ("figure", "value", "reference (R7)", "ratio", "target", "pass")
    body = [tuple(fmt(c) for c in row) for row in rows]
    widths = [max(len(str(r[i])) for r in (header, *body)) for i in range(len(header))]
    print(f"\n{title}")
    for row in (header, tuple("-" * w for w in widths), *body):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)))


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    sizes = QUICK if args.quick else FULL
    async with routing_database(args.db) as work:
        runtime = make_runtime(work)
        try:
            t0 = now()
            scene = await seed(runtime, sizes)
            seed_s = now() - t0
            r7 = latency_ms(await measure_r7(runtime, scene, sizes))
            requests = scene.to_route[: sizes.requests]
            solo = await route_concurrently(runtime, scene, requests[: sizes.solo], 1)
            part_a = await route_concurrently(
                runtime, scene, requests[sizes.solo :], sizes.concurrency
            )
            part_a.drained += await settle(runtime, scene)
            spread_ledger = await audit(runtime, scene, set(requests))
            free = await squeeze(runtime, scene)
            part_b = await route_concurrently(
                runtime, scene, scene.to_route[sizes.requests :], sizes.concurrency, DRAINERS
            )
            part_b.drained += await settle(runtime, scene)
            final = await audit(runtime, scene, set(requests))
        finally:
            await runtime.database.dispose()
    decisions = latency_ms(part_a.latencies + part_b.latencies)
    a_only = latency_ms(part_a.latencies)
    alone = latency_ms(solo.latencies)
    counts = list(spread_ledger.per_agent_in_requests.values())
    spread = max(counts) - min(counts) if counts else 0
    ratio = round(decisions["p99_ms"] / r7["p99_ms"], 2) if r7["p99_ms"] else float("nan")
    errors = solo.errors + part_a.errors + part_b.errors
    expected_assigned = sizes.requests + min(free, sizes.pressure)
    figures: dict[str, Any] = {
        "decision_p50_ms": decisions["p50_ms"],
        "decision_p99_ms": decisions["p99_ms"],
        "decision_max_ms": decisions["max_ms"],
        "decision_p99_vs_R7": ratio,
        "requests_p99_ms": a_only["p99_ms"],
        "uncontended_p50_ms": alone["p50_ms"],
        "uncontended_p99_ms": alone["p99_ms"],
        "uncontended_p99_vs_R7": round(alone["p99_ms"] / r7["p99_ms"], 2) if r7["p99_ms"] else None,
        "decisions_per_s": round(len(part_a.latencies) / part_a.elapsed, 1)
        if part_a.elapsed
        else None,
        "double_assignments": final.double_assignments,
        "capacity_overruns": final.capacity_overruns,
        "round_robin_spread": spread,
        "assigned": final.assigned,
        "assigned_expected": expected_assigned,
        "queued": final.queued,
        "neither_assigned_nor_queued": final.neither,
        "drained_in_pressure": part_b.drained,
        "errors": len(errors),
        "samples": decisions["samples"],
        "seed_s": round(seed_s, 1),
    }
    met = {
        "decision_p99_vs_R7": ratio <= TARGETS["decision_p99_vs_R7"],
        "double_assignments": final.double_assignments == 0,
        "capacity_overruns": final.capacity_overruns == 0,
        "round_robin_spread": spread <= SPREAD_TARGET,
    }
    complete = (
        not errors
        and final.neither == 0
        and final.assigned == expected_assigned
        and len(solo.latencies) + len(part_a.latencies) == sizes.requests
    )
    ok = all(met.values()) and complete
    print_rows(
        f"S5 ({args.db}, {'quick' if args.quick else 'full'}: {sizes.conversations} open "
        f"conversations, {sizes.agents} online agents, {sizes.concurrency} concurrent requests)",
        [
            (
                "decision p99 ms",
                decisions["p99_ms"],
                r7["p99_ms"],
                ratio,
                "<= 15",
                met["decision_p99_vs_R7"],
            ),
            ("decision p50 ms", decisions["p50_ms"], r7["p50_ms"], "", "", ""),
            (
                "uncontended p99 ms",
                alone["p99_ms"],
                r7["p99_ms"],
                figures["uncontended_p99_vs_R7"],
                "",
                "",
            ),
            (
                "double assignments",
                final.double_assignments,
                "",
                "",
                "= 0",
                met["double_assignments"],
            ),
            ("capacity overruns", final.capacity_overruns, "", "", "= 0", met["capacity_overruns"]),
            ("round-robin spread", spread, "", "", "max - min <= 1", met["round_robin_spread"]),
            (
                "assigned / expected",
                f"{final.assigned}/{expected_assigned}",
                "",
                "",
                "equal",
                final.assigned == expected_assigned,
            ),
            (
                "queued / neither",
                f"{final.queued}/{final.neither}",
                "",
                "",
                "-/0",
                final.neither == 0,
            ),
            ("errors", len(errors), "", "", "0", not errors),
            ("decisions per s (A)", figures["decisions_per_s"], "", "", "", ""),
        ],
    )
    notes = [
        "decision = one route request (engine.route_by_id and commit in its own transaction), "
        "timed from start to commit while the other clients run; 'uncontended' = the first "
        f"{sizes.solo} requests, one at a time",
        "R7 through the same SQLAlchemy engine as the decisions",
        "no realtime broker: events go to the event log; nothing is published",
        "decisions claim agents with SKIP LOCKED and never wait for each other; the 50 "
        "concurrent requests share one Python process, so latency is mostly CPU queueing",
        "a decision whose candidates were all being claimed elsewhere queues its conversation "
        "and asks for a drain; the benchmark runs that drain (settle) as the job would",
        *errors[:5],
    ]
    path = write_json(
        "S5",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={"R7": r7},
        figures=figures,
        targets={**TARGETS, "round_robin_spread": f"<= {SPREAD_TARGET}"},
        passed=ok,
        notes=notes,
    )
    print(f"written {path.relative_to(path.parents[2])}")
    line: dict[str, object] = {
        "decision_p99_vs_R7": ratio,
        "decision_p99_ms": decisions["p99_ms"],
        "R7_p99_ms": r7["p99_ms"],
        "double_assignments": final.double_assignments,
        "capacity_overruns": final.capacity_overruns,
        "round_robin_spread": spread,
    }
    print()
    print(result_line("S5", line, ok))
    return ok


def main() -> None:
    ok = asyncio.run(run(sys.argv[1:]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
