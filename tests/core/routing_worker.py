"""Routing under contention: many concurrent route and drain calls on one team's queue.

`hammer` is the load itself; tests/core/test_routing_concurrency.py runs it in several OS
processes at once on PostgreSQL (this file as a script), or as concurrent asyncio tasks in the
test's own process on SQLite.

Usage: python routing_worker.py DATABASE_URL START_ISO WORKSPACE_ID TEAM_ID SEED TASKS OPS \
    [LATECOMER_ID ...]

The process connects, prints "ready", waits for a line on stdin (so that every process starts
at once), runs `hammer` and prints its report as one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, text

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.routing import engine
from frontdesk.core.routing.models import StateSource
from frontdesk.core.routing.schemas import StateUpdate
from frontdesk.core.routing.states import change_state
from frontdesk.core.runtime import Runtime

ROUTE_SHARE = 0.7  # of the operations; the rest drain the team's queue


class TickingClock:
    """Starts at the test's moment and moves with real time, so that assignments are ordered."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t0 = start, time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0)


@dataclass
class Report:
    operations: int = 0
    assigned: int = 0  # conversations handed out by route or drain calls (not by "online")
    skipped: int = 0  # route calls that found the conversation locked by someone else
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0  # from the start signal to the last operation


async def team_conversations(
    runtime: Runtime, workspace_id: uuid.UUID, team_id: uuid.UUID
) -> list[uuid.UUID]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Conversation.id)
            .where(Conversation.workspace_id == workspace_id, Conversation.team_id == team_id)
            .order_by(Conversation.id)
        )
        return list(rows)


async def hammer(
    runtime: Runtime,
    workspace_id: uuid.UUID,
    team_id: uuid.UUID,
    *,
    seed: int,
    tasks: int,
    ops: int,
    latecomers: list[uuid.UUID] | None = None,
    start: asyncio.Event | None = None,
) -> Report:
    """`tasks` concurrent loops of `ops` operations, each its own transaction: route a random
    conversation of the team, or drain the team's queue. With `latecomers`, the first loop
    brings those agents online part-way (which drains their teams in the same transaction)."""
    conversation_ids = await team_conversations(runtime, workspace_id, team_id)
    report = Report()
    late = list(latecomers or [])
    online_at = {ops * (k + 1) // (len(late) + 1) for k in range(len(late))}

    async def loop(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        if start is not None:
            await start.wait()
        for i in range(ops):
            kind = "route" if rng.random() < ROUTE_SHARE else "drain"
            if n == 0 and late and i in online_at:
                kind = "online"
            assigned = skipped = 0
            try:
                async with runtime.uow() as uow:
                    if kind == "route":
                        outcome = await engine.route_by_id(
                            uow, workspace_id, rng.choice(conversation_ids)
                        )
                        skipped = int(outcome is None)
                        assigned = int(
                            outcome is not None and outcome.rule in ("strategy", "owner")
                        )
                    elif kind == "drain":
                        assigned = await engine.drain(uow, workspace_id, team_id)
                    else:
                        user_id = late.pop(0)
                        await change_state(
                            uow,
                            workspace_id,
                            user_id,
                            StateUpdate(state="online"),
                            source=StateSource.MANUAL,
                            by_user_id=user_id,
                        )
                    await uow.commit()
            except Exception as exc:  # every failure is reported, none is retried
                report.errors.append(f"{kind}: {type(exc).__name__}: {exc}"[:400])
            else:  # counted once committed (and after the awaits, so no update is lost)
                report.assigned += assigned
                report.skipped += skipped
            report.operations += 1

    if start is not None:
        await start.wait()
    began = time.monotonic()
    await asyncio.gather(*(loop(n) for n in range(tasks)))
    report.seconds = round(time.monotonic() - began, 2)
    return report


async def _publish_nowhere(_events: object) -> None:
    return None


async def main(argv: list[str]) -> None:
    # Only what routing needs (not the web app): the process starts in a fraction of the time.
    from frontdesk.core.mail import LogMailer
    from frontdesk.core.models import metadata  # every table mapped, as in the app
    from frontdesk.core.security import SecretBox
    from frontdesk.db.engine import create_database

    assert metadata.tables
    url, start_iso, workspace, team, seed, tasks, ops, *late = argv
    runtime = Runtime(
        database=create_database(url),
        clock=TickingClock(datetime.fromisoformat(start_iso)),
        secrets=SecretBox("routing-worker-" + "x" * 40),
        mailer=LogMailer(),
        publisher=_publish_nowhere,
        public_url="http://testserver",
    )
    try:
        async with runtime.database.read_session() as db:
            await db.execute(text("SELECT 1"))
        go = asyncio.Event()
        work = asyncio.create_task(
            hammer(
                runtime,
                uuid.UUID(workspace),
                uuid.UUID(team),
                seed=int(seed),
                tasks=int(tasks),
                ops=int(ops),
                latecomers=[uuid.UUID(u) for u in late],
                start=go,
            )
        )
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        go.set()
        print(json.dumps(asdict(await work)), flush=True)
    finally:
        await runtime.database.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
