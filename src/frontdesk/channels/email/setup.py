"""Connecting a mailbox: test IMAP and SMTP with the credentials, store them sealed, and start
reading from the mail that arrives next (or from the whole folder, if asked).

Both servers are called outside any database transaction. A refusal says which server refused
and why, on the field to fix; nothing is kept.
"""

from __future__ import annotations

import secrets
import ssl
import uuid
from typing import Literal

import aiosmtplib
from pydantic import BaseModel, Field

from frontdesk.channels.email import EMAIL
from frontdesk.channels.email.config import Mailbox, mailbox_of
from frontdesk.channels.email.imap import ImapError, ImapLoginRefused, ImapMailbox
from frontdesk.channels.email.store import advance_cursor
from frontdesk.channels.email.watcher import wake_watchers
from frontdesk.core.actor import Actor
from frontdesk.core.channels import actions
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import access_channel
from frontdesk.core.channels.schemas import ChannelCreate, ChannelRead
from frontdesk.core.errors import Invalid
from frontdesk.core.runtime import Runtime
from frontdesk.core.schemas import Input

WEBHOOK_PATH = "/webhooks/email/{channel_id}"
TEST_TIMEOUT = 15.0
Security = Literal["ssl", "starttls", "none"]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class MailboxSettings(Input):
    address: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    username: str = Field(default="", max_length=254, description="Defaults to the address.")
    password: str = Field(min_length=1, max_length=1024, description="Stored encrypted.")
    imap_host: str = Field(default="", max_length=253, description="Empty: forwarded mail only.")
    imap_port: int = Field(default=993, ge=1, le=65535)
    imap_security: Literal["ssl", "none"] = "ssl"
    smtp_host: str = Field(min_length=1, max_length=253)
    smtp_port: int = Field(default=465, ge=1, le=65535)
    smtp_security: Security = "ssl"
    folder: str = Field(default="INBOX", min_length=1, max_length=200)

    def mailbox(self) -> Mailbox:
        return mailbox_of(self.settings(), {"password": self.password})

    def settings(self) -> dict[str, object]:
        return {
            "address": self.address.lower(),
            "username": self.username or self.address.lower(),
            "imap_host": self.imap_host,
            "imap_port": self.imap_port,
            "imap_security": self.imap_security,
            "smtp_host": self.smtp_host,
            "smtp_port": self.smtp_port,
            "smtp_security": self.smtp_security,
            "folder": self.folder,
        }


class EmailConnect(MailboxSettings):
    name: str = Field(min_length=1, max_length=120)
    team_id: uuid.UUID | None = None
    read_existing: bool = Field(
        default=False, description="Also read the mail already in the folder (else: new mail)."
    )


class ConnectionCheck(BaseModel):
    ok: bool
    imap: str | None = Field(description="Why IMAP failed; null when it worked or is not used.")
    smtp: str | None = Field(description="Why SMTP failed; null when it worked.")
    uidvalidity: int | None = None


class ForwardingRoute(BaseModel):
    url: str
    secret: str = Field(description="Empty when the channel takes no forwarded mail.")
    header: str = "X-Frontdesk-Mail-Secret"


async def check_imap(mailbox: Mailbox) -> tuple[str | None, int | None, int]:
    """Why IMAP failed (or None), the folder's UIDVALIDITY and its highest UID."""
    if not mailbox.imap_host:
        return None, None, 0
    try:
        async with ImapMailbox(mailbox, timeout=TEST_TIMEOUT) as imap:
            uids = await imap.new_uids(0)
            return None, imap.uidvalidity, max(uids, default=0)
    except ImapLoginRefused:
        return "IMAP: the server refused the user name or password.", None, 0
    except ImapError as exc:
        return f"IMAP: {exc}", None, 0


async def check_smtp(mailbox: Mailbox) -> str | None:
    smtp = aiosmtplib.SMTP(
        hostname=mailbox.smtp_host,
        port=mailbox.smtp_port,
        use_tls=mailbox.smtp_security == "ssl",
        start_tls=mailbox.smtp_security == "starttls",
        tls_context=ssl.create_default_context() if mailbox.smtp_security != "none" else None,
        timeout=TEST_TIMEOUT,
    )
    try:
        await smtp.connect()
        if mailbox.username:
            await smtp.login(mailbox.username, mailbox.password)
        await smtp.quit()
    except aiosmtplib.SMTPAuthenticationError:
        return "SMTP: the server refused the user name or password."
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        return f"SMTP: cannot use {mailbox.smtp_host}:{mailbox.smtp_port}: {exc}"
    finally:
        smtp.close()
    return None


async def test_connection(actor: Actor, data: MailboxSettings) -> ConnectionCheck:
    actor.require_admin()
    mailbox = data.mailbox()
    imap_error, uidvalidity, _ = await check_imap(mailbox)
    smtp_error = await check_smtp(mailbox)
    return ConnectionCheck(
        ok=imap_error is None and smtp_error is None,
        imap=imap_error,
        smtp=smtp_error,
        uidvalidity=uidvalidity,
    )


async def connect_mailbox(runtime: Runtime, actor: Actor, data: EmailConnect) -> ChannelRead:
    """Create an email channel, or refuse (keeping nothing) saying which server refused."""
    actor.require_admin()
    mailbox = data.mailbox()
    imap_error, uidvalidity, highest = await check_imap(mailbox)
    if imap_error is not None:
        raise Invalid(imap_error, field="imap_host")
    smtp_error = await check_smtp(mailbox)
    if smtp_error is not None:
        raise Invalid(smtp_error, field="smtp_host")
    async with runtime.uow() as uow:
        read = await actions.create_channel(
            uow,
            actor,
            runtime.secrets,
            ChannelCreate(
                type=EMAIL,
                name=data.name,
                settings=data.settings(),
                secrets={"password": data.password, "forward_secret": new_forward_secret()},
                team_id=data.team_id,
            ),
        )
        if uidvalidity is not None and not data.read_existing:
            channel = await uow.session.get_one(Channel, read.id)
            await advance_cursor(uow, channel, uidvalidity, highest)
        await uow.commit()
    wake_watchers()
    return read


def new_forward_secret() -> str:
    return secrets.token_urlsafe(32)


def forwarding_url(public_url: str, channel_id: uuid.UUID) -> str:
    return public_url.rstrip("/") + WEBHOOK_PATH.format(channel_id=channel_id)


async def forwarding_route(
    runtime: Runtime, actor: Actor, channel_id: uuid.UUID
) -> ForwardingRoute:
    """Where a mail provider posts inbound mail for this channel, and the secret it sends."""
    actor.require_admin()
    async with runtime.database.read_session() as db:
        channel = await access_channel(db, actor, channel_id)
    if channel.type != EMAIL:
        raise Invalid("this is not an email channel", field="channel_id")
    stored = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    secret = stored.get("forward_secret")
    # Empty for a channel made without the email set-up: it takes no forwarded mail.
    return ForwardingRoute(
        url=forwarding_url(runtime.public_url, channel.id),
        secret=secret if isinstance(secret, str) else "",
    )
