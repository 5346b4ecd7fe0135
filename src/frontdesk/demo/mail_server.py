"""A real mail server in the process, for the demo and the tests: IMAP (pymap's in-memory
backend, with IDLE) and SMTP (aiosmtpd) on loopback ports.

Mail sent to the SMTP port is delivered into each recipient's INBOX (a `+tag` is dropped from
the address, as real servers do), so a mailbox channel reads what a customer sends, and a
customer's mailbox holds what the channel replies. `cut_connections` drops every IMAP
connection at once, as a network failure would.
"""

from __future__ import annotations

import asyncio
import contextlib
from argparse import Namespace
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any

import aioimaplib
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from proxyprotocol.reader import ProxyProtocolReader
from pymap.backend.dict import DictBackend
from pymap.imap import IMAPServer
from pymap.user import Passwords, UserMetadata
from pysasl.hashing import BuiltinHash

HOST = "127.0.0.1"


def base_address(address: str) -> str:
    local, _, domain = address.strip().lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


@dataclass
class _Delivery:
    server: LocalMailServer

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:  # noqa: N802
        data = envelope.original_content or b""
        for recipient in envelope.rcpt_tos:
            await self.server.deliver(base_address(recipient), data)
        self.server.received.append(data)
        return "250 OK delivered"


@dataclass
class LocalMailServer:
    users: dict[str, str] = field(default_factory=dict)  # address -> password
    received: list[bytes] = field(default_factory=list)  # every mail the SMTP port accepted
    imap_port: int = 0
    smtp_port: int = 0
    _backend: Any = None
    _servers: list[asyncio.AbstractServer] = field(default_factory=list)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> LocalMailServer:
        args = Namespace(
            host=HOST,
            port=0,
            debug=False,
            cert=None,
            key=None,
            tls=False,
            passlib_cfg=None,
            proxy_protocol=None,
            demo_data=False,
            demo_user="postmaster@localhost",
            demo_password="postmaster",  # noqa: S106 - the in-process demo server's own user
        )
        backend, config = await DictBackend.init(
            args,
            secure_auth=False,
            invalid_user_sleep=0.0,
            reject_dnsbl=False,
            # A loopback server for the demo and tests: a light hash keeps each login quick.
            hash_context=BuiltinHash(rounds=1000),
        )
        self._backend = (backend, config)
        imap = IMAPServer(backend.login, config)

        async def tracked(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, sock_info: Any
        ) -> None:
            self._writers.add(writer)
            try:
                await imap(reader, writer, sock_info)
            finally:
                self._writers.discard(writer)

        handler = ProxyProtocolReader(config.proxy_protocol).get_callback(tracked)
        imap_server = await asyncio.start_server(handler, HOST, 0)
        self.imap_port = imap_server.sockets[0].getsockname()[1]
        loop = asyncio.get_running_loop()
        smtp_server = await loop.create_server(
            lambda: SMTP(
                _Delivery(self),
                hostname="mail.localhost",
                auth_require_tls=False,
                authenticator=self._authenticate,
            ),
            HOST,
            0,
        )
        self.smtp_port = smtp_server.sockets[0].getsockname()[1]
        self._servers = [imap_server, smtp_server]
        return self

    def _authenticate(
        self, _server: SMTP, _session: Session, _envelope: Envelope, _mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login, password = data.login.decode(), data.password.decode()
            if self.users.get(login.lower()) == password:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    async def add_user(self, address: str, password: str) -> None:
        backend, config = self._backend
        address = address.lower()
        hashed = await Passwords(config).hash_password(password)
        identity = backend.login.demo_user_identity.__class__(
            address, backend.login, None, frozenset()
        )
        await identity.set(UserMetadata(config, address, password=hashed))
        self.users[address] = password

    async def _client(self, address: str) -> aioimaplib.IMAP4:
        client = aioimaplib.IMAP4(HOST, self.imap_port, timeout=10)
        await client.wait_hello_from_server()
        await client.login(address, self.users[address])
        return client

    async def deliver(self, address: str, raw: bytes) -> int | None:
        """Put a mail in `address`'s INBOX (as a mail server does); its UID."""
        if address not in self.users:
            return None
        client = await self._client(address)
        try:
            appended = await client.append(raw, mailbox="INBOX")
        finally:
            await client.logout()
        for line in appended.lines:
            text = bytes(line).decode()
            if "APPENDUID" in text:
                return int(text.split("APPENDUID", 1)[1].split()[1].rstrip("]"))
        return None

    async def inbox(self, address: str) -> list[bytes]:
        """Every mail in `address`'s INBOX, oldest first."""
        client = await self._client(address)
        try:
            await client.select("INBOX")
            fetched = await client.uid("fetch", "1:*", "(BODY.PEEK[])")
        finally:
            await client.logout()
        return [bytes(line) for line in fetched.lines if isinstance(line, bytearray)]

    def cut_connections(self) -> int:
        """Drop every open IMAP connection, as a network failure would; how many."""
        writers = list(self._writers)
        for writer in writers:
            transport = writer.transport
            with contextlib.suppress(Exception):
                transport.abort()
        return len(writers)

    def recipients_of(self, raw: bytes) -> list[str]:
        text = raw.decode("utf-8", "replace").split("\r\n\r\n", 1)[0]
        headers = [line[3:] for line in text.splitlines() if line.lower().startswith("to:")]
        return [addr for _, addr in getaddresses(headers)]

    async def stop(self) -> None:
        self.cut_connections()
        for server in self._servers:
            server.close()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 5)
        self._servers = []
