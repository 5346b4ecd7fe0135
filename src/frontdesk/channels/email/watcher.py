"""Mailbox watchers: one task per active email channel, reading its mailbox over IMAP IDLE.

Each watcher holds the mailbox's lease (so one process reads a mailbox, whatever the number of
servers and workers), reads the mail above its cursor (up to 10 mails a command), stores them
and advances the cursor in the same transaction, flags them read only after that commit, then
waits in IDLE. A cut connection or a refusing server is retried with backoff (1 s doubling to a
minute, with jitter); after a restart the cursor says where to go on from: no mail is read
twice or skipped. A new UIDVALIDITY (the folder was recreated) reads the folder again, and
the Message-ID dedupe keeps what was already stored.

`MailboxWatchers` runs wherever jobs run (`make run`'s server, `frontdesk worker`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from frontdesk.channels.email import EMAIL
from frontdesk.channels.email.config import Mailbox, mailbox_of
from frontdesk.channels.email.imap import ImapError, ImapMailbox
from frontdesk.channels.email.inbound import record_mail
from frontdesk.channels.email.store import (
    advance_cursor,
    read_cursor,
    release_lease,
    take_lease,
)
from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime

log = logging.getLogger("frontdesk.channels.email")

BACKOFF_FIRST = 1.0
BACKOFF_CAP = 60.0


@dataclass(frozen=True)
class WatchTimes:
    """How long to IDLE before asking again, how often to look for new or removed channels,
    and how long a lease lasts without renewal."""

    idle_seconds: float = 60.0
    rescan_seconds: float = 30.0
    lease_seconds: float = 180.0
    backoff_first: float = BACKOFF_FIRST
    backoff_cap: float = BACKOFF_CAP
    # Mails fetched in one command and stored in one transaction with the cursor's move.
    batch: int = 10


def default_owner() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class MailboxWatchers:
    def __init__(self, runtime: Runtime, times: WatchTimes | None = None) -> None:
        self.runtime = runtime
        self.times = times or WatchTimes()
        self.owner = default_owner()
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._versions: dict[uuid.UUID, object] = {}  # each watched channel's updated_at
        self._supervisor: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        # Mails stored by this process, by channel (for the health page and the tests).
        self.stored: dict[uuid.UUID, int] = {}
        self.connections: dict[uuid.UUID, int] = {}
        self.idling: set[uuid.UUID] = set()  # channels whose watcher waits in IDLE now

    async def start(self) -> None:
        _running.append(self)
        self._supervisor = asyncio.create_task(self._supervise(), name="email-watchers")

    def rescan(self) -> None:
        """Look for new or removed email channels now (a channel was just connected)."""
        self._wake.set()

    async def stop(self) -> None:
        if self in _running:
            _running.remove(self)
        tasks = [t for t in (self._supervisor, *self._tasks.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for channel_id in list(self._tasks):
            with contextlib.suppress(Exception):
                async with self.runtime.uow() as uow:
                    await release_lease(uow, channel_id, self.owner)
                    await uow.commit()
        self._tasks.clear()

    async def _active_channels(self) -> dict[uuid.UUID, object]:
        """Active email channels with an IMAP server, each with when it was last changed."""
        async with self.runtime.database.read_session() as db:
            rows = await db.scalars(
                select(Channel).where(Channel.type == EMAIL, Channel.is_active.is_(True))
            )
            return {c.id: c.updated_at for c in rows if (c.settings or {}).get("imap_host")}

    async def _supervise(self) -> None:
        while True:
            try:
                active = await self._active_channels()
            except Exception:
                log.exception("email watchers: could not list the mailboxes")
                active = dict(self._versions)
            for channel_id, task in list(self._tasks.items()):
                changed = self._versions.get(channel_id) != active.get(channel_id)
                # Gone, disabled, or its settings changed (a new password, another server):
                # the watcher starts again with what is stored now.
                if task.done() or changed:
                    task.cancel()
                    self._tasks.pop(channel_id)
            for channel_id, version in active.items():
                if channel_id not in self._tasks:
                    self._versions[channel_id] = version
                    self._tasks[channel_id] = asyncio.create_task(
                        self._watch(channel_id), name=f"email-watch-{channel_id}"
                    )
            self._wake.clear()
            with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.times.rescan_seconds)

    async def _load(self, channel_id: uuid.UUID) -> tuple[Channel, Mailbox] | None:
        async with self.runtime.database.read_session() as db:
            channel = await db.get(Channel, channel_id)
            if channel is None or not channel.is_active:
                return None
            db.expunge(channel)
        secrets = (
            self.runtime.secrets.open(channel.secrets_encrypted)
            if channel.secrets_encrypted
            else {}
        )
        try:
            return channel, mailbox_of(channel.settings or {}, secrets)
        except (KeyError, ValueError):
            return None

    async def _watch(self, channel_id: uuid.UUID) -> None:
        failures = 0
        while True:
            loaded = await self._load(channel_id)
            if loaded is None:
                return
            channel, mailbox = loaded
            try:
                if await self._hold(channel):
                    await self._read(channel, mailbox)
                    failures = 0
                else:
                    await asyncio.sleep(self.times.lease_seconds / 3)
                    continue
            except asyncio.CancelledError:
                raise
            except (ImapError, OSError, TimeoutError) as exc:
                failures += 1
                log.warning("mailbox %s (channel %s): %s", mailbox.address, channel_id, exc)
            except Exception:
                failures += 1
                log.exception("mailbox %s (channel %s) failed", mailbox.address, channel_id)
            if failures:
                wait = min(self.times.backoff_first * 2 ** (failures - 1), self.times.backoff_cap)
                await asyncio.sleep(wait * random.uniform(0.8, 1.2))

    async def _hold(self, channel: Channel) -> bool:
        async with self.runtime.uow() as uow:
            held = await take_lease(uow, channel, self.owner, self.times.lease_seconds)
            await uow.commit()
        return held

    async def _read(self, channel: Channel, mailbox: Mailbox) -> None:
        """One connection: catch up from the cursor, then IDLE and catch up again, until the
        connection drops or the lease is lost."""
        async with ImapMailbox(mailbox) as imap:
            self.connections[channel.id] = self.connections.get(channel.id, 0) + 1
            while True:
                await self._catch_up(channel, mailbox, imap)
                # Mail that came while reading is told in a command's answer, not in IDLE:
                # ask (NOOP) and read again until nothing new is told.
                while await imap.told_of_new_mail():
                    await self._catch_up(channel, mailbox, imap)
                if not await self._hold(channel):
                    return  # another process holds the mailbox now
                self.idling.add(channel.id)
                try:
                    news = await imap.wait_for_news(self.times.idle_seconds)
                finally:
                    self.idling.discard(channel.id)
                if not news:
                    raise ImapError("the IMAP connection was lost")

    async def _catch_up(self, channel: Channel, mailbox: Mailbox, imap: ImapMailbox) -> None:
        async with self.runtime.database.read_session() as db:
            cursor = await read_cursor(db, channel.id)
        same_folder = cursor is not None and cursor.uidvalidity == imap.uidvalidity
        last = cursor.last_uid if cursor is not None and same_folder else 0
        uids = await imap.new_uids(last)
        for start in range(0, len(uids), self.times.batch):
            batch = uids[start : start + self.times.batch]
            fetched = await imap.fetch(batch)
            async with self.runtime.uow() as uow:
                for uid in batch:
                    if uid in fetched:
                        await record_mail(
                            uow,
                            channel,
                            fetched[uid],
                            mailbox_address=mailbox.address,
                            source="imap",
                        )
                await advance_cursor(uow, channel, imap.uidvalidity, batch[-1])
                await uow.commit()
            self.stored[channel.id] = self.stored.get(channel.id, 0) + len(batch)
            await imap.mark_read([uid for uid in batch if uid in fetched])
        if not same_folder and cursor is not None:
            async with self.runtime.uow() as uow:
                await advance_cursor(uow, channel, imap.uidvalidity, last)
                await uow.commit()


_running: list[MailboxWatchers] = []


def wake_watchers() -> None:
    """Tell this process's watchers to look for new mailboxes now."""
    for watchers in _running:
        watchers.rescan()
