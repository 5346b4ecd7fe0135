"""The world a fault scenario breaks: acme and the other workspace, a WhatsApp number
connected to acme through the API, a fake Graph API every process sends to, and what the
database holds afterwards."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from frontdesk.app import create_app
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.conversations.models import Conversation, Direction, Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.engine import Database
from frontdesk.db.outbox import Job
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from frontdesk.settings import Settings
from frontdesk.wiring import build_runtime
from tests.channels.whatsapp.conftest import connect
from tests.conftest import World, build_world
from tests.fakes.meta import FakeGraph, Number, serve
from tests.faults.harness import Provider

LEASE_SECONDS = 60  # the job runner's default lease


@dataclass
class Stage:
    settings: Settings
    runtime: Runtime
    world: World
    graph: FakeGraph
    number: Number
    channel_id: uuid.UUID
    workdir: Path

    def provider(self, customers: int = 8) -> Provider:
        return Provider(self.number, str(self.world.acme.id), customers=customers)

    async def stored(self) -> Counter[str]:
        """How many times each inbound provider id is stored on the number's channel."""
        async with self.runtime.database.read_session() as db:
            rows = await db.execute(
                select(Message.provider_message_id, func.count())
                .where(
                    Message.channel_id == self.channel_id, Message.direction == Direction.INBOUND
                )
                .group_by(Message.provider_message_id)
            )
            return Counter({str(pid): int(n) for pid, n in rows})

    async def inbound_ids(self) -> set[str]:
        async with self.runtime.database.read_session() as db:
            rows = await db.scalars(
                select(Message.id).where(
                    Message.channel_id == self.channel_id, Message.direction == Direction.INBOUND
                )
            )
            return {str(i) for i in rows}

    async def outbound(self) -> list[tuple[Message, str]]:
        """The number's outbound messages, each with the customer's WhatsApp id it goes to."""
        async with self.runtime.database.read_session() as db:
            rows = await db.execute(
                select(Message, ContactIdentity.provider_id)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .join(
                    ContactIdentity,
                    (ContactIdentity.contact_id == Conversation.contact_id)
                    & (ContactIdentity.channel_id == Message.channel_id),
                )
                .where(
                    Message.channel_id == self.channel_id, Message.direction == Direction.OUTBOUND
                )
            )
            return [(m, str(to)) for m, to in rows]

    async def jobs(self) -> list[Job]:
        async with self.runtime.database.read_session() as db:
            return list(await db.scalars(select(Job)))

    async def rescue_jobs(self, rounds: int = 50) -> int:
        """A worker that starts after every lease taken so far has expired runs what is due
        (and what a killed process held) until nothing is left to do now."""
        later = FrozenClock(datetime.now().astimezone() + timedelta(seconds=LEASE_SECONDS + 1))
        rescuer = build_runtime(self.settings, database=self.runtime.database, clock=later)
        runner = JobRunner(rescuer, build_registry(), worker_id="rescuer")
        ran = 0
        for _ in range(rounds):
            done = await runner.run_once()
            ran += done
            if not done:
                break
        return ran


def exactly_once(acked: set[str], stored: Counter[str]) -> tuple[list[str], list[str]]:
    """(acknowledged but missing, stored more than once)."""
    missing = sorted(w for w in acked if stored.get(w, 0) == 0)
    duplicated = sorted(w for w, n in stored.items() if n > 1)
    return missing, duplicated


def sends_once(stage: Stage, outbound: list[tuple[Message, str]]) -> dict[str, int]:
    """Outbound messages against what the provider received: each recorded send exactly once,
    no customer sent more than was written to them, and a send not recorded only for a message
    shown as not confirmed (its attempt was cut short: `jobs/delivery.py`)."""
    sent = [s for s in stage.graph.sent if s.get("_number") == stage.number.phone_number_id]
    wamids = Counter(str(s["_wamid"]) for s in sent)
    ours = Counter(str(m.provider_message_id) for m, _ in outbound if m.provider_message_id)
    in_doubt = [m for m, _ in outbound if (m.error or {}).get("code") == "send_unconfirmed"]
    written = Counter(to for _, to in outbound)
    received = Counter(str(s.get("to")) for s in sent)
    return {
        "outbound": len(outbound),
        "provider_received": len(sent),
        "in_doubt": len(in_doubt),
        "unsent": sum(1 for m, _ in outbound if not m.provider_message_id) - len(in_doubt),
        "sent_unrecorded": sum(n for w, n in wamids.items() if w not in ours),
        "recorded_not_once": sum(1 for w in ours if wamids[w] != 1),
        "sent_twice": sum(max(0, n - written[to]) for to, n in received.items()),
    }


def unfinished(jobs: list[Job], kinds: tuple[str, ...]) -> list[str]:
    return [f"{j.kind}:{j.status}" for j in jobs if j.kind in kinds]


@contextlib.asynccontextmanager
async def stage(settings: Settings, database: Database | None = None) -> AsyncIterator[Stage]:
    """Build the world on `settings`' database (already migrated and empty)."""
    graph = FakeGraph()
    async with serve(graph):
        settings.meta_graph_url = graph.graph_url
        runtime = build_runtime(settings, database=database)
        app = create_app(settings, runtime=runtime, run_jobs=False)
        world = await build_world(runtime, app)
        whatsapp = await connect(world, graph)
        keep = os.environ.get("FRONTDESK_FAULT_LOGS")  # keep the processes' logs there
        with tempfile.TemporaryDirectory(prefix="frontdesk-faults-") as scratch:
            workdir = keep or scratch
            os.makedirs(workdir, exist_ok=True)
            yield Stage(
                settings=settings,
                runtime=runtime,
                world=world,
                graph=graph,
                number=whatsapp.number,
                channel_id=whatsapp.channel_id,
                workdir=Path(workdir),
            )
