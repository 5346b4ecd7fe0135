"""What an email channel keeps besides its conversations.

`MailboxCursor`: the IMAP mailbox's UIDVALIDITY and the highest UID stored, advanced in the
same transaction as the messages it covers, so a restart neither reads a mail twice nor skips
one; and a lease, so one process at a time watches a mailbox.

`RawMail`: each customer mail exactly as received (RFC 822 bytes), stored with its message;
its files are cut from it when they are fetched, and it is what an admin can download.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk


class MailboxCursor(Base):
    __tablename__ = "email_mailbox_cursor"

    channel_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger)
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class RawMail(Base):
    __tablename__ = "email_raw_mail"
    __table_args__ = (UniqueConstraint("channel_id", "message_key"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    # The message's provider id: its Message-ID, or a digest of the mail when it has none.
    message_key: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
