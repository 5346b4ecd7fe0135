"""Email in `frontdesk demo --fake-providers`: a real mail server in the process.

A local IMAP (pymap) and SMTP (aiosmtpd) server runs on loopback ports (`demo/mail_server.py`).
The demo workspace gets an email channel for `vagas@talenta.demo` (created once, pointed at this
run's ports on every run), read by the app's mailbox watchers over IMAP IDLE exactly as a real
mailbox is. Customers have mailboxes of their own on the same server: a driver has them write
in over SMTP now and then, sometimes answering the last reply they got (so the thread goes on
in their client), and the replies agents send land in their mailboxes. A second mailbox,
`contato@talenta.demo`, is left unconnected, for connecting by hand in Settings; its settings
are in the log.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid

import aiosmtplib
from sqlalchemy import select

from frontdesk.channels.email import EMAIL
from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.demo.mail_server import HOST, LocalMailServer
from frontdesk.demo.spec import DEMO_SLUG

log = logging.getLogger("frontdesk.demo")

MAILBOX = "vagas@talenta.demo"
MAILBOX_PASSWORD = "demo-mailbox-password"  # noqa: S105 - the in-process demo server's only
SPARE_MAILBOX = "contato@talenta.demo"
CHANNEL_NAME = "Talenta Careers (email)"
CUSTOMER_PASSWORD = "demo-customer"  # noqa: S105 - the in-process demo server's only
REPLY_SHARE = 0.4  # of mails that answer the last reply the customer got
CUSTOMERS = (
    ("Renata Lima", "renata.lima@clientes.demo"),
    ("Paulo Souza", "paulo.souza@clientes.demo"),
    ("Linh Tran", "linh.tran@clientes.demo"),
    ("Grace Miller", "grace.miller@clientes.demo"),
)
SUBJECTS = (
    ("Vaga de operador de caixa", "Olá! Vi a vaga de operador de caixa. Ainda está aberta?"),
    ("Currículo", "Bom dia, segue meu currículo para a vaga de repositor."),
    ("Interview on Friday", "Hi, could I move my interview to Friday afternoon?"),
    ("Ứng tuyển", "Chào anh chị, tôi muốn ứng tuyển vị trí bán thời gian."),
)
ANSWERS = (
    "Obrigada! Combinado então.",
    "Perfeito, estarei lá.",
    "Thanks, that works for me.",
    "Cảm ơn, tôi sẽ đến đúng giờ.",
)


@dataclass
class EmailDemo:
    server: LocalMailServer
    channel_id: object | None = None
    seen: dict[str, int] = field(default_factory=dict)  # customer -> replies already answered

    async def close(self) -> None:
        await self.server.stop()


def mailbox_settings(server: LocalMailServer, address: str) -> dict[str, object]:
    return {
        "address": address,
        "username": address,
        "imap_host": HOST,
        "imap_port": server.imap_port,
        "imap_security": "none",
        "smtp_host": HOST,
        "smtp_port": server.smtp_port,
        "smtp_security": "none",
        "folder": "INBOX",
    }


async def _demo_channel(runtime: Runtime, server: LocalMailServer) -> Channel | None:
    """The demo workspace's email channel, created on the first run, pointed at this server."""
    async with runtime.uow() as uow:
        db = uow.session
        workspace = await db.scalar(select(Workspace).where(Workspace.slug == DEMO_SLUG))
        if workspace is None:
            return None
        channel = await db.scalar(
            select(Channel).where(
                Channel.workspace_id == workspace.id,
                Channel.type == EMAIL,
                Channel.name == CHANNEL_NAME,
            )
        )
        now = uow.now()
        if channel is None:
            team_id = await db.scalar(
                select(Channel.team_id)
                .where(Channel.workspace_id == workspace.id, Channel.team_id.is_not(None))
                .order_by(Channel.created_at)
                .limit(1)
            )
            channel = Channel(
                workspace_id=workspace.id,
                type=EMAIL,
                name=CHANNEL_NAME,
                settings={},
                team_id=team_id,
                is_active=True,
                created_at=now,
                updated_at=now,
            )
            db.add(channel)
        channel.settings = mailbox_settings(server, MAILBOX)
        channel.secrets_encrypted = runtime.secrets.seal(
            {"password": MAILBOX_PASSWORD, "forward_secret": "demo-forward-secret"}
        )
        channel.updated_at = now
        await db.flush()
        await uow.commit()
    return channel


async def start_email(runtime: Runtime) -> EmailDemo | None:
    """Start the mail server and point the demo mailbox at it; None without the demo workspace.

    Each run's server starts empty, so the mailbox's cursor from an earlier run no longer
    matches (a new UIDVALIDITY): the watcher reads the new folder from its start.
    """
    server = await LocalMailServer().start()
    await server.add_user(MAILBOX, MAILBOX_PASSWORD)
    await server.add_user(SPARE_MAILBOX, MAILBOX_PASSWORD)
    for _name, address in CUSTOMERS:
        await server.add_user(address, CUSTOMER_PASSWORD)
    channel = await _demo_channel(runtime, server)
    if channel is None:
        await server.stop()
        return None
    log.info(
        "demo: mail server on %s (IMAP port %d, SMTP port %d, no TLS); %s is connected; "
        "connect %s (password %s) in Settings to try it by hand",
        HOST,
        server.imap_port,
        server.smtp_port,
        MAILBOX,
        SPARE_MAILBOX,
        MAILBOX_PASSWORD,
    )
    return EmailDemo(server=server, channel_id=channel.id)


def _last_reply(raws: list[bytes]) -> EmailMessage | None:
    for raw in reversed(raws):
        mail = BytesParser(policy=policy.default).parsebytes(raw)
        if isinstance(mail, EmailMessage) and mail["In-Reply-To"]:
            return mail
    return None


async def customer_writes(demo: EmailDemo, rng: random.Random) -> None:
    """One customer mail: a new question, or an answer to the last reply they got."""
    name, address = rng.choice(CUSTOMERS)
    mail = EmailMessage()
    mail["From"] = f"{name} <{address}>"
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = make_msgid(domain="clientes.demo")
    last = _last_reply(await demo.server.inbox(address))
    if last is not None and rng.random() < REPLY_SHARE:
        mail["To"] = str(last["Reply-To"] or last["From"])
        mail["Subject"] = str(last["Subject"])
        mail["In-Reply-To"] = str(last["Message-ID"])
        mail["References"] = f"{last['References'] or ''} {last['Message-ID']}".strip()
        quoted = "\n".join(f"> {line}" for line in last.get_content().splitlines())
        mail.set_content(f"{rng.choice(ANSWERS)}\n\nOn {last['Date']}, Talenta wrote:\n{quoted}\n")
    else:
        subject, text = rng.choice(SUBJECTS)
        mail["To"] = MAILBOX
        mail["Subject"] = subject
        mail.set_content(text)
        mail.add_alternative(f"<p>{text}</p><p>— <b>{name}</b></p>", subtype="html")
    await aiosmtplib.send(
        mail,
        hostname=HOST,
        port=demo.server.smtp_port,
        username=address,
        password=CUSTOMER_PASSWORD,
        use_tls=False,
        start_tls=False,
    )
    log.info("demo customer %s wrote to %s: %s", name, mail["To"], mail["Subject"])


async def drive_email(demo: EmailDemo, *, every: float, rng: random.Random | None = None) -> None:
    """A customer writes to the demo mailbox every `every` seconds or so."""
    rng = rng or random.Random()
    while True:
        await asyncio.sleep(every * rng.uniform(0.5, 1.5))
        try:
            await customer_writes(demo, rng)
        except Exception:  # the server may be stopping
            log.warning("demo mail driver could not send", exc_info=True)
