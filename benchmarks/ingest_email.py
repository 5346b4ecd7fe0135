"""S1-email: customer mail into the same server as S1, both ways it comes in.

S1-email (forwarding route)  raw RFC 822 mails (unique Message-IDs, a text and an HTML part,
     several customers) POSTed with the channel's secret to `/webhooks/email/<channel>` by
     CONCURRENCY senders for a third of S1's time, then one with a wrong secret (401, nothing
     stored): acknowledged mails/s, divided by R3.
S1-email (IMAP)  `imap_mails` mails waiting in a mailbox of a local IMAP server (pymap) are read
     by the mailbox watcher (IMAP, stored with the cursor one mail per transaction): mails/s
     from the watcher's start until the last is stored.

Afterwards every acknowledged or delivered mail is counted by Message-ID: each exactly once.
Run as part of `python -m benchmarks.ingest`.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.common import result_line
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Message
from frontdesk.core.security import SecretBox
from frontdesk.db.engine import create_database
from frontdesk.db.ids import new_id

SECRET_HEADER = "X-Frontdesk-Mail-Secret"  # noqa: S105 - a header name
ADDRESS = "jobs@bench.test"
IMAP_MAILS = {"quick": 60, "full": 400}


@dataclass
class EmailBox:
    channel_id: uuid.UUID
    workspace_id: uuid.UUID
    team_id: uuid.UUID
    forward_secret: str


async def seed_email(
    url: str, workspace_id: uuid.UUID, team_id: uuid.UUID, secret_key: str
) -> EmailBox:
    box = EmailBox(new_id(), workspace_id, team_id, secrets.token_urlsafe(24))
    at, db = datetime.now(UTC), create_database(url)
    try:
        async with db.write_session() as s:
            s.add(
                Channel(
                    id=box.channel_id,
                    workspace_id=workspace_id,
                    type="email",
                    name="Jobs mailbox",
                    settings={"address": ADDRESS, "smtp_host": "127.0.0.1", "imap_host": ""},
                    secrets_encrypted=SecretBox(secret_key).seal(
                        {"password": "unused", "forward_secret": box.forward_secret}
                    ),
                    team_id=team_id,
                    is_active=True,
                    created_at=at,
                    updated_at=at,
                )
            )
            await s.commit()
    finally:
        await db.dispose()
    return box


def mail(k: int, message_id: str, to: str = ADDRESS) -> bytes:
    message = EmailMessage()
    message["From"] = f"Customer {k % 97} <customer{k % 97}@example.com>"
    message["To"] = to
    message["Subject"] = f"Application {k}"
    message["Message-ID"] = message_id
    message.set_content(f"Hello, is the job {k} still open?\n\nOn Mon, Jobs wrote:\n> earlier\n")
    message.add_alternative(f"<p>Hello, is the job <b>{k}</b> still open?</p>", subtype="html")
    return message.as_bytes()


@dataclass
class EmailRun:
    rate: Any
    acked: set[str] = field(default_factory=set)
    forged_answer: int = 0
    forged_id: str = ""
    stored: Counter[str] = field(default_factory=Counter)
    imap_mails: int = 0
    imap_seconds: float = 0.0
    imap_delivered: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        once = all(self.stored[key] == 1 for key in self.acked | self.imap_delivered)
        return (
            once
            and not self.rate.errors
            and self.forged_answer == 401
            and not self.stored[self.forged_id]
            and self.imap_mails > 0
        )


async def measure_forwarding(
    server: Any, box: EmailBox, seconds: float, limit: int, ingest: Any
) -> EmailRun:
    """`ingest` is benchmarks.ingest (its client, saturate and concurrency)."""
    url = f"{server.url}/webhooks/email/{box.channel_id}"
    run = EmailRun(ingest.Rate())
    counter = itertools.count()
    async with ingest._client(ingest.CONCURRENCY) as http:

        async def one(_: int) -> bool:
            k = next(counter)
            key = f"{uuid.uuid4().hex}@example.com"
            headers = {SECRET_HEADER: box.forward_secret, "Content-Type": "message/rfc822"}
            response = await http.post(url, content=mail(k, f"<{key}>"), headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
            run.acked.add(key)
            return True

        cpu0 = server.cpu()
        run.rate = await ingest.saturate(ingest.CONCURRENCY, seconds, limit, one)
        run.rate.server_cpu_s = server.cpu() - cpu0
        run.forged_id = f"{uuid.uuid4().hex}@example.com"
        forged = await http.post(
            url, content=mail(0, f"<{run.forged_id}>"), headers={SECRET_HEADER: "wrong"}
        )
        run.forged_answer = forged.status_code
    return run


async def measure_imap(
    url: str, secret_key: str, box: EmailBox, data_dir: Path, *, mails: int, run: EmailRun
) -> None:
    """Mails waiting in a local IMAP mailbox, read and stored by the mailbox watcher."""
    from frontdesk.channels.email.watcher import MailboxWatchers, WatchTimes
    from frontdesk.core.languages.detection import warm_up
    from frontdesk.demo.mail_server import HOST, LocalMailServer
    from frontdesk.settings import Settings
    from frontdesk.wiring import build_runtime

    await asyncio.to_thread(warm_up)  # as a server does at start, not on its first message

    server = await LocalMailServer().start()
    address, password = "imap-jobs@bench.test", "bench-password"
    await server.add_user(address, password)
    for k in range(mails):
        key = f"imap-{uuid.uuid4().hex}@example.com"
        await server.deliver(address, mail(k, f"<{key}>", to=address))
        run.imap_delivered.add(key)
    settings = Settings(database_url=url, secret_key=secret_key, data_dir=data_dir)
    runtime = build_runtime(settings)
    channel_id = new_id()
    async with runtime.uow() as uow:
        now = uow.now()
        uow.session.add(
            Channel(
                id=channel_id,
                workspace_id=box.workspace_id,
                type="email",
                name="IMAP mailbox",
                settings={
                    "address": address,
                    "imap_host": HOST,
                    "imap_port": server.imap_port,
                    "imap_security": "none",
                    "smtp_host": HOST,
                    "smtp_port": server.smtp_port,
                    "smtp_security": "none",
                },
                secrets_encrypted=runtime.secrets.seal({"password": password}),
                team_id=box.team_id,
                is_active=True,
                created_at=now,
                updated_at=now,
            )
        )
        await uow.commit()
    watchers = MailboxWatchers(runtime, WatchTimes(rescan_seconds=0.1))
    start = time.perf_counter()
    await watchers.start()
    try:
        while watchers.stored.get(channel_id, 0) < mails:
            if time.perf_counter() - start > 300:
                break
            await asyncio.sleep(0.02)
        run.imap_seconds = time.perf_counter() - start
        run.imap_mails = watchers.stored.get(channel_id, 0)
    finally:
        await watchers.stop()
        await server.stop()
        await runtime.database.dispose()


async def stored_mail(url: str, box: EmailBox) -> Counter[str]:
    db = create_database(url)
    try:
        async with db.read_session() as s:
            rows = await s.execute(
                select(Message.provider_message_id, func.count())
                .where(
                    Message.workspace_id == box.workspace_id,
                    Message.provider_message_id.is_not(None),
                    Message.channel_id.in_(
                        select(Channel.id).where(
                            Channel.workspace_id == box.workspace_id, Channel.type == "email"
                        )
                    ),
                )
                .group_by(Message.provider_message_id)
            )
            return Counter({str(key): int(n) for key, n in rows.all()})
    finally:
        await db.dispose()


def report_email(db: str, r3_per_second: float, run: EmailRun, ms: Any) -> bool:
    ratio = round(run.rate.per_second / r3_per_second, 3) if r3_per_second else 0.0
    keys = run.acked | run.imap_delivered
    line = {
        "db": db,
        "forwarded_per_s": round(run.rate.per_second, 1),
        "R3_per_s": round(r3_per_second, 1),
        "ratio_to_R3": ratio,
        "imap_per_s": round(run.imap_mails / run.imap_seconds, 1) if run.imap_seconds else 0.0,
        "imap_mails": run.imap_mails,
        "acked": len(run.acked),
        "missing": sum(1 for key in keys if run.stored[key] == 0),
        "duplicates": sum(1 for key in keys if run.stored[key] > 1),
        "errors": run.rate.errors,
        "forged_answer": run.forged_answer,
        "forged_stored": run.stored[run.forged_id],
        "server_cpu_ms_per_request": ms(run.rate.server_cpu_s, run.rate.done),
    }
    for sample in run.rate.error_samples:
        print(f"email: {sample}")
    print(result_line("S1-email", line, run.ok))
    return run.ok
