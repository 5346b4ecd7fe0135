"""Webhooks: how fast the dispatcher fans the event log out, and how fast deliveries go out.

One workspace with one subscription to `message.created`, and N `message.created` events of a
realistic size (a note with its conversation) written to the event log. Measured in process,
through the same functions the jobs run:

fan_out_per_s     events the dispatcher turns into deliveries (with their jobs) per second,
                  in its batches of 200, each batch one transaction
deliveries_per_s  signed POSTs to a receiver on loopback (answering 200), 16 at a time, each
                  with its claim and its logged attempt (two transactions)

Reported, no target. N is 5,000 (1,000 with `--quick`).

`python -m benchmarks.webhooks [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from benchmarks.common import bench_database, options, print_table, result_line, write_json
from frontdesk.core.actor import Actor
from frontdesk.core.clock import SystemClock
from frontdesk.core.events import supervisors_key
from frontdesk.core.mail import LogMailer
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import SecretBox
from frontdesk.core.webhooks.catalogue import ALLOW_PRIVATE_ENV
from frontdesk.core.webhooks.dispatch import BATCH_SIZE, dispatch_webhook_events, log_end
from frontdesk.core.webhooks.models import WebhookDelivery
from frontdesk.core.webhooks.schemas import WebhookSubscriptionCreate
from frontdesk.core.webhooks.subscriptions import create_webhook_subscription
from frontdesk.core.workspaces.models import Organisation, Workspace
from frontdesk.db.engine import create_database
from frontdesk.db.outbox import EventLogEntry
from frontdesk.demo.api_channel_demo import serve
from frontdesk.demo.webhooks_demo import WebhookReceiver
from frontdesk.jobs.webhooks import deliver_webhook

CONCURRENCY = 16
NOTE = "Checking the candidate's references before the interview on Monday. " * 3


async def _publish(_events: object) -> None:
    return None


def _payload(i: int, workspace_id: uuid.UUID) -> dict[str, Any]:
    conversation = {"id": str(uuid.uuid4()), "status": "open", "team": None, "assignee": None}
    message = {"id": str(uuid.uuid4()), "conversation_id": conversation["id"], "kind": "note"}
    message.update(body=f"{NOTE}#{i}", direction="outbound", sender_type="agent")
    return {"message": message, "conversation": {**conversation, "workspace": str(workspace_id)}}


async def _seed(runtime: Runtime, events: int, url: str) -> tuple[int, uuid.UUID]:
    now = runtime.clock.now()
    async with runtime.uow() as uow:
        org = Organisation(name="Bench", created_at=now)
        uow.session.add(org)
        await uow.session.flush()
        ws = Workspace(organisation_id=org.id, name="Bench", slug="bench", created_at=now)
        uow.session.add(ws)
        await uow.session.flush()
        actor = Actor(workspace_id=ws.id, role="owner")
        data = WebhookSubscriptionCreate.model_validate(
            {"url": url, "event_types": ["message.created"]}
        )
        await create_webhook_subscription(uow, actor, runtime.secrets, data)
        await uow.commit()
    start = 0
    async with runtime.uow() as uow:
        start = await log_end(uow)
        uow.session.add_all(
            EventLogEntry(
                workspace_id=ws.id,
                type="message.created",
                audience=[supervisors_key(ws.id)],
                payload=_payload(i, ws.id),
                created_at=now,
            )
            for i in range(events)
        )
        await uow.commit()
    return start, ws.id


async def _fan_out(runtime: Runtime, after: int) -> int:
    made = 0
    while True:
        async with runtime.uow() as uow:
            done = await dispatch_webhook_events(uow, after, runtime.public_url)
            await uow.commit()
        made += done.deliveries
        after = done.last_event_id
        if done.events_read < BATCH_SIZE:
            return made


async def _deliver_all(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        ids = [str(i) for i in await db.scalars(select(WebhookDelivery.id))]
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in ids:
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            await deliver_webhook(runtime, {"delivery_id": queue.get_nowait()})

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return len(ids)


async def measure(kind: str, events: int) -> dict[str, float]:
    os.environ[ALLOW_PRIVATE_ENV] = "1"
    receiver = WebhookReceiver()
    async with bench_database(kind) as work, serve(receiver):  # type: ignore[arg-type]
        database = create_database(work.url)
        runtime = Runtime(
            database=database,
            clock=SystemClock(),
            secrets=SecretBox("bench-" + "x" * 40),
            mailer=LogMailer(),
            publisher=_publish,
            public_url="http://127.0.0.1:8000",
        )
        try:
            after, _ = await _seed(runtime, events, receiver.url())
            started = time.perf_counter()
            made = await _fan_out(runtime, after)
            fan_out_s = time.perf_counter() - started
            started = time.perf_counter()
            sent = await _deliver_all(runtime)
            deliver_s = time.perf_counter() - started
        finally:
            with contextlib.suppress(Exception):
                await database.dispose()
    assert made == events == sent == len(receiver.received), (made, sent)
    return {
        "events": float(events),
        "fan_out_per_s": events / fan_out_s,
        "deliveries_per_s": sent / deliver_s,
    }


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options("Webhooks: dispatcher fan-out and delivery rate", argv)
    figures = await measure(args.db, 1_000 if args.quick else 5_000)
    rows = [(k, v, "-", "-", "-", "-") for k, v in figures.items()]
    print_table(f"Webhooks ({args.db})", rows)
    print(result_line("webhooks", figures, True))
    write_json(
        "webhooks",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={},
        figures=figures,
        targets={},
        passed=True,
    )
    return True


if __name__ == "__main__":
    sys.exit(0 if asyncio.run(run()) else 1)
