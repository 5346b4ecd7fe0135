"""What the email channel reads and writes besides messages: the mailbox cursor and lease,
each mail as received, and a conversation's thread (for the headers of a reply).

An email reply needs its conversation's Message-IDs and a customer's file is cut from the mail
kept on arrival: the sender and the file fetcher read them through the unit of work their job
hands them (`Delivery.unit_of_work`, `MediaRequest.unit_of_work`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation, Direction, Message
from frontdesk.core.mailbox.models import MailboxCursor, RawMail
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored

MAX_REFERENCES = 20


@dataclass(frozen=True)
class Cursor:
    uidvalidity: int
    last_uid: int


async def read_cursor(session: AsyncSession, channel_id: uuid.UUID) -> Cursor | None:
    row = await session.get(MailboxCursor, channel_id, populate_existing=True)
    return Cursor(row.uidvalidity, row.last_uid) if row else None


async def advance_cursor(
    uow: UnitOfWork, channel: Channel, uidvalidity: int, last_uid: int
) -> None:
    """Move the cursor to `last_uid` (never back) in the unit of work that stores the mails."""
    now = uow.now()
    created = await insert_unless_stored(
        uow.session,
        MailboxCursor,
        {
            "channel_id": channel.id,
            "workspace_id": channel.workspace_id,
            "uidvalidity": uidvalidity,
            "last_uid": last_uid,
            "updated_at": now,
        },
        ("channel_id",),
        MailboxCursor.channel_id,
    )
    if created is not None:
        return
    await uow.session.execute(
        update(MailboxCursor)
        .where(
            MailboxCursor.channel_id == channel.id,
            or_(
                MailboxCursor.uidvalidity != uidvalidity,
                MailboxCursor.last_uid < last_uid,
            ),
        )
        .values(uidvalidity=uidvalidity, last_uid=last_uid, updated_at=now)
    )


async def take_lease(uow: UnitOfWork, channel: Channel, owner: str, seconds: float) -> bool:
    """Hold the mailbox for `seconds` unless another watcher holds it: one reader a mailbox."""
    now = uow.now()
    await insert_unless_stored(
        uow.session,
        MailboxCursor,
        {
            "channel_id": channel.id,
            "workspace_id": channel.workspace_id,
            "uidvalidity": 0,
            "last_uid": 0,
            "updated_at": now,
        },
        ("channel_id",),
        MailboxCursor.channel_id,
    )
    taken = await uow.session.execute(
        update(MailboxCursor)
        .where(
            MailboxCursor.channel_id == channel.id,
            or_(
                MailboxCursor.lease_owner.is_(None),
                MailboxCursor.lease_owner == owner,
                MailboxCursor.lease_until < now,
            ),
        )
        .values(lease_owner=owner, lease_until=now + timedelta(seconds=seconds))
    )
    return bool(getattr(taken, "rowcount", 0))


async def release_lease(uow: UnitOfWork, channel_id: uuid.UUID, owner: str) -> None:
    await uow.session.execute(
        update(MailboxCursor)
        .where(MailboxCursor.channel_id == channel_id, MailboxCursor.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )


async def keep_raw(uow: UnitOfWork, channel: Channel, key: str, raw: bytes) -> None:
    await insert_unless_stored(
        uow.session,
        RawMail,
        {
            "workspace_id": channel.workspace_id,
            "channel_id": channel.id,
            "message_key": key,
            "data": raw,
            "created_at": uow.now(),
        },
        ("channel_id", "message_key"),
        RawMail.id,
    )


async def raw_mail(session: AsyncSession, channel: Channel, key: str) -> bytes | None:
    data: bytes | None = await session.scalar(
        select(RawMail.data).where(
            RawMail.workspace_id == channel.workspace_id,
            RawMail.channel_id == channel.id,
            RawMail.message_key == key,
        )
    )
    return data


@dataclass(frozen=True)
class Thread:
    """What a reply needs to thread in the customer's mail client."""

    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]


def reply_subject(subject: str) -> str:
    subject = subject.strip() or "Your message"
    return subject if subject.lower().startswith(("re:", "aw:", "res:")) else f"Re: {subject}"


async def thread_of(
    session: AsyncSession, workspace_id: uuid.UUID, conversation_id: uuid.UUID
) -> Thread:
    """The conversation's mails in order: the reply answers the latest one and references
    the chain the customer's client built, plus every mail since."""
    rows = await session.execute(
        select(Message.direction, Message.provider_message_id, Message.payload, Message.created_at)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Conversation.workspace_id == workspace_id,
            Message.conversation_id == conversation_id,
            Message.provider_message_id.is_not(None),
        )
        .order_by(Message.created_at, Message.id)
    )
    subject = ""
    references: list[str] = []
    latest: str | None = None
    for direction, provider_id, payload, _at in rows:
        details = (payload or {}).get("details") if isinstance(payload, dict) else None
        mail = details.get("email") if isinstance(details, dict) else None
        if direction == Direction.INBOUND and isinstance(mail, dict):
            subject = subject or str(mail.get("subject") or "")
            for ref in mail.get("references") or []:
                if ref not in references:
                    references.append(str(ref))
            message_id = mail.get("message_id")
        elif direction == Direction.OUTBOUND and isinstance(provider_id, str):
            message_id = f"<{provider_id}>" if "@" in provider_id else None
        else:
            message_id = None
        if isinstance(message_id, str) and message_id:
            if message_id not in references:
                references.append(message_id)
            latest = message_id
    return Thread(
        subject=reply_subject(subject),
        in_reply_to=latest,
        references=tuple(references[-MAX_REFERENCES:]),
    )


def sent_at_or_now(value: datetime | None, now: datetime) -> datetime:
    return value if value is not None and value <= now else now
