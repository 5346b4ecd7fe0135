"""Reading a mailbox over IMAP (aioimaplib): log in, select, list new UIDs, fetch a mail
without marking it read, flag it read once stored, and wait in IDLE for the next one.

A cut connection is noticed at once (the protocol's connection-lost callback), not at the
next timeout, so the watcher reconnects and reads what it missed from its cursor.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
from types import TracebackType

import aioimaplib

from frontdesk.channels.email.config import Mailbox

UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
FETCHED_UID = re.compile(rb"UID (\d+)")
CONNECT_TIMEOUT = 15.0


class ImapError(Exception):
    """The server refused, or the connection failed: the watcher retries with backoff."""


class ImapLoginRefused(ImapError):
    """Wrong user name or password: the set-up screen says so."""


def _told_of_new_mail(response: aioimaplib.Response) -> bool:
    return any(
        isinstance(line, bytes) and line.rstrip().upper().endswith(b" EXISTS")
        for line in response.lines
    )


def _untagged(response: aioimaplib.Response) -> bool:
    return any(isinstance(line, bytes) and line[:1].isdigit() for line in response.lines)


def _ok(response: aioimaplib.Response, what: str) -> aioimaplib.Response:
    if response.result != "OK":
        said = b" ".join(line for line in response.lines if isinstance(line, bytes))
        raise ImapError(f"{what}: {response.result} {said.decode('utf-8', 'replace')[:200]}")
    return response


class ImapMailbox:
    """One connection to a mailbox's folder (an async context manager)."""

    def __init__(self, mailbox: Mailbox, *, timeout: float = CONNECT_TIMEOUT) -> None:
        self.mailbox = mailbox
        self.timeout = timeout
        self.lost = asyncio.Event()
        self.uidvalidity = 0
        # The server told of new mail in the answer to a command (not in IDLE): it will not
        # tell again, so the watcher reads again before it waits.
        self.told_of_news = False
        self._client: aioimaplib.IMAP4 | None = None

    def _on_lost(self, _exc: Exception | None) -> None:
        self.lost.set()

    async def connect(self) -> int:
        """Log in and select the folder; its UIDVALIDITY."""
        box = self.mailbox
        if box.imap_security == "starttls":
            raise ImapError("IMAP with STARTTLS is not supported: use SSL/TLS (port 993)")
        try:
            if box.imap_security == "ssl":
                client: aioimaplib.IMAP4 = aioimaplib.IMAP4_SSL(
                    box.imap_host,
                    box.imap_port,
                    timeout=self.timeout,
                    ssl_context=ssl.create_default_context(),
                )
                client.protocol.conn_lost_cb = self._on_lost
            else:
                client = aioimaplib.IMAP4(
                    box.imap_host, box.imap_port, timeout=self.timeout, conn_lost_cb=self._on_lost
                )
            self._client = client
            await client.wait_hello_from_server()
            login = await client.login(box.username, box.password)
        except (OSError, TimeoutError, aioimaplib.Abort) as exc:
            raise ImapError(
                f"cannot reach {box.imap_host}:{box.imap_port}: {exc or type(exc).__name__}"
            ) from None
        if login.result != "OK":
            raise ImapLoginRefused("the IMAP server refused the user name or password")
        selected = _ok(await client.select(box.folder), f"SELECT {box.folder}")
        for line in selected.lines:
            found = UIDVALIDITY.search(bytes(line))
            if found:
                self.uidvalidity = int(found.group(1))
        if not self.uidvalidity:
            raise ImapError("the server gave no UIDVALIDITY for the folder")
        return self.uidvalidity

    @property
    def client(self) -> aioimaplib.IMAP4:
        if self._client is None or self.lost.is_set():
            raise ImapError("the IMAP connection is closed")
        return self._client

    async def new_uids(self, after: int) -> list[int]:
        """UIDs above `after`, in order."""
        self.told_of_news = False
        response = self._noted(
            _ok(await self.client.uid_search(f"UID {after + 1}:*", charset=None), "SEARCH")
        )
        uids: set[int] = set()
        for line in response.lines:
            text = bytes(line).decode("ascii", "replace")
            if "SEARCH" in text and "completed" in text.lower():
                continue
            uids.update(int(part) for part in text.replace("SEARCH", " ").split() if part.isdigit())
        return sorted(uid for uid in uids if uid > after)

    async def fetch(self, uids: list[int]) -> dict[int, bytes]:
        """The mails with these UIDs, left unread (one command); a UID missing from the answer
        is gone (expunged)."""
        if not uids:
            return {}
        wanted = ",".join(str(uid) for uid in uids)
        response = self._noted(
            _ok(await self.client.uid("fetch", wanted, "(UID BODY.PEEK[])"), "FETCH")
        )
        found: dict[int, bytes] = {}
        lines = response.lines
        for index, line in enumerate(lines[:-1]):
            if isinstance(line, bytes) and isinstance(lines[index + 1], bytearray):
                uid = FETCHED_UID.search(line)
                if uid and int(uid.group(1)) in uids:
                    found[int(uid.group(1))] = bytes(lines[index + 1])
        return found

    async def mark_read(self, uids: list[int]) -> None:
        if not uids:
            return
        wanted = ",".join(str(uid) for uid in uids)
        stored = await self.client.uid("store", wanted, "+FLAGS.SILENT", r"(\Seen)")
        self._noted(stored, any_change=True)

    async def told_of_new_mail(self) -> bool:
        """Whether the server told of new mail since the last SEARCH (asking with NOOP)."""
        self._noted(await self.client.noop(), any_change=True)
        return self.told_of_news

    def _noted(
        self, response: aioimaplib.Response, *, any_change: bool = False
    ) -> aioimaplib.Response:
        """Note news the server gave with an answer: EXISTS, or (to a silent STORE or a NOOP,
        which have no data of their own) any untagged line, such as a new mail's FETCH."""
        if _told_of_new_mail(response) or (any_change and _untagged(response)):
            self.told_of_news = True
        return response

    async def wait_for_news(self, seconds: float) -> bool:
        """IDLE until the server tells of a change or `seconds` pass; False if the connection
        was lost meanwhile."""
        client = self.client
        if not client.has_capability("IDLE"):
            return await self._poll_wait(seconds)
        try:
            idle = await client.idle_start(timeout=seconds)
        except aioimaplib.Abort:
            return await self._poll_wait(seconds)
        push = asyncio.ensure_future(client.wait_server_push(timeout=seconds + 5))
        lost = asyncio.ensure_future(self.lost.wait())
        try:
            await asyncio.wait({push, lost}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            push.cancel()
            lost.cancel()
        if self.lost.is_set():
            idle.cancel()
            return False
        client.idle_done()
        try:
            await asyncio.wait_for(idle, self.timeout)
        except (TimeoutError, aioimaplib.Abort):
            return False
        return not self.lost.is_set()

    async def _poll_wait(self, seconds: float) -> bool:
        """A server without IDLE: wait as long, then the watcher asks again (polling)."""
        with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
            await asyncio.wait_for(self.lost.wait(), seconds)
        return not self.lost.is_set()

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        # LOGOUT is not read during IDLE: then the connection is just closed.
        if not self.lost.is_set() and not client.has_pending_idle():
            with contextlib.suppress(
                OSError, TimeoutError, aioimaplib.Abort, aioimaplib.CommandTimeout
            ):
                await asyncio.wait_for(client.logout(), 5)
        transport = getattr(client.protocol, "transport", None)
        if transport is not None:
            transport.close()

    async def __aenter__(self) -> ImapMailbox:
        try:
            await self.connect()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
