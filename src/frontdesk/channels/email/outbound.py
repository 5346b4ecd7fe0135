"""Sending an agent's reply as a mail over SMTP (aiosmtplib), threaded in the customer's client.

The reply answers the conversation's latest mail (`In-Reply-To`), carries the chain of
`References`, keeps the subject (`Re: …`), and comes from the conversation's own address
(`support+c<id>@…` as `Reply-To`), so the customer's answer finds its way back even from a
client that drops the headers. Its Message-ID is made here and becomes the message's provider
id: a bounce that names it marks the reply failed. Files go as attachments of the one mail.

SMTP's answers become the delivery job's outcomes: a 4xx reply or a network failure is
retried with backoff, a 5xx (a refused recipient, a refused login) fails the message.
"""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from frontdesk.channels.email.config import Mailbox, mailbox_of
from frontdesk.channels.email.parse import display_address
from frontdesk.channels.email.store import Thread, thread_of
from frontdesk.channels.outbound import (
    Delivery,
    PermanentProviderError,
    ProviderError,
    TemporaryProviderError,
)
from frontdesk.core.sendbudget import Allowance

SMTP_TIMEOUT = 30.0
PER_MAILBOX_PER_SECOND = 5.0
SMTP_TEMPORARY = range(400, 500)


def send_limits(delivery: Delivery) -> list[Allowance]:
    """Mail servers throttle a sender: a few mails a second per mailbox."""
    address = str(delivery.channel.settings.get("address") or delivery.channel.id)
    return [Allowance(f"email:{address}", PER_MAILBOX_PER_SECOND, PER_MAILBOX_PER_SECOND * 2)]


def smtp_error(exc: Exception) -> ProviderError:
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return PermanentProviderError(
            "email_login_refused",
            "The SMTP server refused the user name or password: fix them in Settings.",
        )
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return PermanentProviderError("email_recipient_refused", f"The address was refused: {exc}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        if exc.code in SMTP_TEMPORARY:
            return TemporaryProviderError(f"email_{exc.code}", exc.message)
        return PermanentProviderError(f"email_{exc.code}", exc.message)
    return TemporaryProviderError("email_unreachable", f"{type(exc).__name__}: {exc}")


def build_mail(
    mailbox: Mailbox,
    delivery: Delivery,
    thread: Thread,
    files: list[tuple[bytes, str, str]],
    sender_name: str | None,
) -> EmailMessage:
    outgoing = delivery.outgoing
    mail = EmailMessage()
    reply_to = mailbox.reply_address(outgoing.conversation_id)
    mail["From"] = display_address(sender_name, mailbox.address)
    mail["To"] = delivery.recipient
    mail["Reply-To"] = reply_to
    mail["Subject"] = thread.subject
    mail["Date"] = format_datetime(outgoing.created_at or datetime.now(UTC))
    # The message's id makes the Message-ID: a retry sends the same mail again, not another.
    mail["Message-ID"] = f"<{outgoing.message_id}@{mailbox.domain}>"
    if thread.in_reply_to:
        mail["In-Reply-To"] = thread.in_reply_to
    if thread.references:
        mail["References"] = " ".join(thread.references)
    mail["Auto-Submitted"] = "no"
    mail.set_content(outgoing.body or "")
    for data, content_type, name in files:
        major, _, minor = content_type.partition("/")
        mail.add_attachment(data, maintype=major, subtype=minor or "octet-stream", filename=name)
    return mail


async def _files(delivery: Delivery) -> list[tuple[bytes, str, str]]:
    files = []
    for attachment in delivery.outgoing.attachments:
        if delivery.read_attachment is None:
            raise PermanentProviderError("email_no_files", "Files cannot be read for sending.")
        try:
            files.append(await delivery.read_attachment(str(attachment.get("id", ""))))
        except (KeyError, LookupError, ValueError):
            raise PermanentProviderError(
                "email_file_missing", "A file of this message is no longer stored."
            ) from None
    return files


async def _thread(delivery: Delivery) -> Thread:
    if delivery.outgoing.conversation_id is None:
        return Thread(subject="Re: your message", in_reply_to=None, references=())
    if delivery.unit_of_work is None:
        raise TemporaryProviderError("email_not_ready", "No database to read the thread from.")
    async with delivery.unit_of_work() as uow:
        return await thread_of(
            uow.session, delivery.outgoing.workspace_id, delivery.outgoing.conversation_id
        )


async def send_smtp(mailbox: Mailbox, mail: EmailMessage) -> None:
    context = ssl.create_default_context()
    await aiosmtplib.send(
        mail,
        hostname=mailbox.smtp_host,
        port=mailbox.smtp_port,
        username=mailbox.username or None,
        password=mailbox.password or None,
        use_tls=mailbox.smtp_security == "ssl",
        start_tls=mailbox.smtp_security == "starttls",
        tls_context=context if mailbox.smtp_security != "none" else None,
        timeout=SMTP_TIMEOUT,
    )


async def send_email_message(delivery: Delivery) -> str:
    """The Sender of email channels: the reply's Message-ID (without brackets)."""
    try:
        mailbox = mailbox_of(delivery.channel.settings or {}, delivery.secrets)
    except (KeyError, ValueError):
        raise PermanentProviderError(
            "email_not_configured", "The mailbox's SMTP settings are missing: fix them in Settings."
        ) from None
    thread = await _thread(delivery)
    files = await _files(delivery)
    sender_name = str(delivery.channel.settings.get("sender_name") or delivery.channel.name)
    mail = build_mail(mailbox, delivery, thread, files, sender_name)

    async def send() -> str:
        try:
            await send_smtp(mailbox, mail)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise smtp_error(exc) from None
        return str(mail["Message-ID"]).strip("<>")

    return await delivery.part(0, send)
