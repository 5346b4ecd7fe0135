"""Email tests: a real IMAP (pymap) and SMTP (aiosmtpd) server on loopback ports, started by
the test; the app connects a mailbox to it through the API, its watchers read it over IMAP
IDLE, and replies go out over SMTP into the customer's own mailbox on the same server."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import aiosmtplib
import pytest
from sqlalchemy import select

from frontdesk.channels.email.watcher import MailboxWatchers, WatchTimes
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.demo.mail_server import LocalMailServer
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.conftest import World

SUPPORT = "support@acme.test"
SUPPORT_PASSWORD = "support-pass"
MARIA = "maria@example.com"
MARIA_PASSWORD = "maria-pass"
FAST = WatchTimes(
    idle_seconds=2, rescan_seconds=0.2, lease_seconds=60, backoff_first=0.05, backoff_cap=0.5
)


@pytest.fixture
async def mail_server() -> AsyncIterator[LocalMailServer]:
    server = await LocalMailServer().start()
    await server.add_user(SUPPORT, SUPPORT_PASSWORD)
    await server.add_user(MARIA, MARIA_PASSWORD)
    yield server
    await server.stop()


@pytest.fixture
async def watchers(runtime: Runtime) -> AsyncIterator[MailboxWatchers]:
    running = MailboxWatchers(runtime, FAST)
    await running.start()
    yield running
    await running.stop()


def mailbox_settings(server: LocalMailServer, **extra: Any) -> dict[str, Any]:
    return {
        "address": SUPPORT,
        "password": SUPPORT_PASSWORD,
        "imap_host": "127.0.0.1",
        "imap_port": server.imap_port,
        "imap_security": "none",
        "smtp_host": "127.0.0.1",
        "smtp_port": server.smtp_port,
        "smtp_security": "none",
        **extra,
    }


async def connect_mailbox(world: World, server: LocalMailServer, **extra: Any) -> uuid.UUID:
    async with world.client("alice") as client:
        response = await client.post(
            "/api/v1/channels/email",
            json={"name": "Support mail", **mailbox_settings(server, **extra)},
        )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def customer_mail(
    text: str,
    *,
    message_id: str,
    subject: str = "Driver job",
    to: str = SUPPORT,
    sender: str = f"Maria Silva <{MARIA}>",
    html: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    attachment: tuple[bytes, str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = message_id
    mail["Date"] = format_datetime(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = references
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(text)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    if attachment is not None:
        data, content_type, name = attachment
        major, _, minor = content_type.partition("/")
        mail.add_attachment(data, maintype=major, subtype=minor, filename=name)
    return mail


async def send_as_maria(server: LocalMailServer, mail: EmailMessage) -> None:
    """Maria's mail client sends over SMTP; the server delivers it into the support INBOX."""
    await aiosmtplib.send(
        mail,
        hostname="127.0.0.1",
        port=server.smtp_port,
        username=MARIA,
        password=MARIA_PASSWORD,
        use_tls=False,
        start_tls=False,
    )


async def wait_until(
    condition: Callable[[], Awaitable[bool]], what: str, within: float = 15.0
) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def messages_of(
    runtime: Runtime, channel_id: uuid.UUID, direction: str = "inbound"
) -> list[Message]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message)
            .where(Message.channel_id == channel_id, Message.direction == direction)
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)


async def wait_for_messages(
    runtime: Runtime, channel_id: uuid.UUID, count: int, direction: str = "inbound"
) -> list[Message]:
    async def enough() -> bool:
        return len(await messages_of(runtime, channel_id, direction)) >= count

    await wait_until(enough, f"{count} {direction} messages")
    return await messages_of(runtime, channel_id, direction)


async def run_jobs(runtime: Runtime, rounds: int = 6) -> int:
    runner = JobRunner(runtime, build_registry(), worker_id="email-test")
    ran = 0
    for _ in range(rounds):
        done = await runner.run_once()
        ran += done
        if not done:
            break
    return ran
