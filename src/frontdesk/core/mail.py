"""Outgoing mail for invitations and notices. Without a mail server the message is logged."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

log = logging.getLogger("frontdesk.mail")


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


class LogMailer:
    """Writes the message to the log: the way to read invitation links with no mail server."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["To"], message["Subject"] = to, subject
        message.set_content(body)
        self.sent.append(message)
        log.warning("mail to %s (no mail server configured): %s\n%s", to, subject, body)


class SmtpMailer:
    """Sends through an SMTP server given as smtp://user:password@host:port (smtps:// for TLS)."""

    def __init__(self, url: str, sender: str) -> None:
        self._url = urlsplit(url)
        self._sender = sender

    def _send_sync(self, message: EmailMessage) -> None:
        host, port = self._url.hostname or "localhost", self._url.port
        smtp_cls = smtplib.SMTP_SSL if self._url.scheme == "smtps" else smtplib.SMTP
        with smtp_cls(
            host, port or (465 if self._url.scheme == "smtps" else 25), timeout=20
        ) as smtp:
            if self._url.scheme == "smtp+starttls":
                smtp.starttls()
            if self._url.username:
                smtp.login(unquote(self._url.username), unquote(self._url.password or ""))
            smtp.send_message(message)

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, to, subject
        message.set_content(body)
        await asyncio.to_thread(self._send_sync, message)
