"""Connecting a mailbox in Chromium: a wrong password is explained by the connection test, the
right one connects the mailbox, a customer's mail arrives in the inbox, the agent answers, and
the customer's own mailbox holds the answer in the same thread."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path

import aiosmtplib
import pytest
from playwright.async_api import Browser, Locator, Page, expect

from frontdesk.channels.email.watcher import MailboxWatchers, WatchTimes
from frontdesk.core.runtime import Runtime
from frontdesk.demo.mail_server import LocalMailServer
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from tests.e2e.test_app_journey import app_built, sign_in
from tests.realtime.conftest import Live

__all__ = ["app_built"]

MAILBOX = "careers@acme.test"
MAILBOX_PASSWORD = "careers-pass"
MARIA = "maria.silva@example.com"
MARIA_PASSWORD = "maria-pass"


@pytest.fixture
async def mail_server() -> AsyncIterator[LocalMailServer]:
    server = await LocalMailServer().start()
    await server.add_user(MAILBOX, MAILBOX_PASSWORD)
    await server.add_user(MARIA, MARIA_PASSWORD)
    yield server
    await server.stop()


async def choose(page: Page, field: Locator, option: str) -> None:
    await field.click()
    await page.get_by_role("option", name=option).click()


async def maria_writes(server: LocalMailServer) -> None:
    mail = EmailMessage()
    mail["From"] = f"Maria Silva <{MARIA}>"
    mail["To"] = MAILBOX
    mail["Subject"] = "Driver job"
    mail["Message-ID"] = "<first@example.com>"
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail.set_content("Hello, is the driver job still open?")
    mail.add_alternative("<p>Hello, is the <b>driver job</b> still open?</p>", subtype="html")
    await aiosmtplib.send(
        mail,
        hostname="127.0.0.1",
        port=server.smtp_port,
        username=MARIA,
        password=MARIA_PASSWORD,
        use_tls=False,
        start_tls=False,
    )


async def test_an_owner_connects_a_mailbox_and_a_reply_threads_in_the_customers_mailbox(
    live: Live, browser: Browser, app_built: None, screenshots: Path, mail_server: LocalMailServer
) -> None:
    runtime: Runtime = live.app.state.runtime
    runtime.public_url = live.http_url
    # What the server's job runner does: read mailboxes, deliver replies.
    watchers = MailboxWatchers(runtime, WatchTimes(idle_seconds=2, rescan_seconds=0.5))
    await watchers.start()
    runner = JobRunner(runtime, build_registry(), worker_id="e2e", poll_seconds=0.1)
    jobs = asyncio.create_task(runner.run_forever())
    context = await browser.new_context(base_url=live.http_url)
    try:
        page = await context.new_page()
        await sign_in(page, live, "alice@acme.test")
        await expect(page.get_by_role("link", name="Frank")).to_be_visible()  # signed in
        await page.goto(f"{live.http_url}/settings?tab=channels")
        await page.get_by_role("button", name="Connect a channel").click()
        await page.get_by_role("button", name="Email", exact=True).click()

        form = page.get_by_role("form", name="Connect a mailbox")
        await form.get_by_label("Channel name").fill("Careers mail")
        await form.get_by_label("Email address").fill(MAILBOX)
        await form.get_by_label(re.compile(r"^Password")).fill("not-the-password")
        await form.get_by_label("IMAP server").fill("127.0.0.1")
        await form.get_by_label("IMAP port").fill(str(mail_server.imap_port))
        await choose(page, form.get_by_label("IMAP security"), "None (local servers only)")
        await form.get_by_label("SMTP server").fill("127.0.0.1")
        await form.get_by_label("SMTP port").fill(str(mail_server.smtp_port))
        await choose(page, form.get_by_label("SMTP security"), "None (local servers only)")
        await page.get_by_role("button", name="Test connection").click()
        await expect(page.get_by_text("The connection test failed")).to_be_visible()
        await expect(
            page.get_by_text("IMAP: the server refused the user name or password.")
        ).to_be_visible()

        await form.get_by_label(re.compile(r"^Password")).fill(MAILBOX_PASSWORD)
        await page.get_by_role("button", name="Test connection").click()
        await expect(page.get_by_text("Both servers accepted the login")).to_be_visible()
        await form.get_by_role("button", name="Connect mailbox").click()
        await expect(page.get_by_text("Mailbox connected")).to_be_visible()
        await expect(
            page.get_by_text(f"Mail to {MAILBOX} now arrives in the inbox.")
        ).to_be_visible()
        await page.screenshot(path=str(screenshots / "app-email-connected.png"))

        # A customer writes; the mail reaches the inbox with its sender's name.
        await maria_writes(mail_server)
        await page.goto(live.http_url)
        await page.get_by_text("Unassigned").first.click()
        await page.get_by_role("link", name="Maria Silva").click()
        log = page.get_by_role("log")
        await expect(log.get_by_text("Subject: Driver job")).to_be_visible()
        frame = log.frame_locator("iframe[title='Email message']")
        await expect(frame.get_by_text("driver job")).to_be_visible()

        # The agent answers; the reply lands in Maria's mailbox, threaded under her mail.
        await page.get_by_label("Write a reply").fill("Yes, Maria: it is open.")
        await page.get_by_role("button", name="Send", exact=True).click()
        await expect(log.get_by_text("Yes, Maria: it is open.")).to_be_visible()
        deadline = time.monotonic() + 20
        while not (inbox := await mail_server.inbox(MARIA)):
            assert time.monotonic() < deadline, "the reply never reached Maria's mailbox"
            await asyncio.sleep(0.1)
        [reply] = [BytesParser(policy=policy.default).parsebytes(raw) for raw in inbox]
        assert isinstance(reply, EmailMessage)
        assert reply["In-Reply-To"] == "<first@example.com>"
        assert reply["References"] == "<first@example.com>"
        assert reply["Subject"] == "Re: Driver job"
        assert reply["Reply-To"].addresses[0].username.startswith("careers+c")
        assert reply.get_content().strip() == "Yes, Maria: it is open."
        await page.screenshot(path=str(screenshots / "app-email-replied.png"))
    finally:
        await context.close()
        runner.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await jobs
        await watchers.stop()
