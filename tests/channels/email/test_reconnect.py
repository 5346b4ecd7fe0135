"""The mailbox watcher over a failing network and across restarts: nothing lost, nothing read
twice (UIDVALIDITY + last UID in the database, advanced with the messages it covers)."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.channels.email.config import mailbox_of
from frontdesk.channels.email.imap import ImapMailbox
from frontdesk.channels.email.watcher import MailboxWatchers
from frontdesk.core.conversations.models import Message
from frontdesk.core.mailbox.models import MailboxCursor, RawMail
from frontdesk.core.runtime import Runtime
from frontdesk.demo.mail_server import LocalMailServer
from tests.channels.email.conftest import (
    FAST,
    SUPPORT,
    SUPPORT_PASSWORD,
    connect_mailbox,
    customer_mail,
    mailbox_settings,
    messages_of,
    send_as_maria,
    wait_for_messages,
    wait_until,
)
from tests.conftest import World


async def test_a_connection_cut_mid_idle_and_a_restart_lose_and_duplicate_nothing(
    world: World, runtime: Runtime, mail_server: LocalMailServer
) -> None:
    # Mail already in the folder when the mailbox is connected is left alone.
    await mail_server.deliver(SUPPORT, customer_mail("old", message_id="<old@x>").as_bytes())
    channel_id = await connect_mailbox(world, mail_server)
    watchers = MailboxWatchers(runtime, FAST)
    await watchers.start()
    try:
        await send_as_maria(mail_server, customer_mail("one", message_id="<1@x>"))
        await wait_for_messages(runtime, channel_id, 1)

        async def idling() -> bool:
            return channel_id in watchers.idling and watchers.connections.get(channel_id) == 1

        await wait_until(idling, "the watcher back in IDLE")
        # The network fails mid-IDLE; mail keeps arriving while the watcher is away.
        assert mail_server.cut_connections() >= 1
        for n in (2, 3, 4):
            await send_as_maria(mail_server, customer_mail(f"mail {n}", message_id=f"<{n}@x>"))
        got = await wait_for_messages(runtime, channel_id, 4)
        assert watchers.connections[channel_id] >= 2  # it reconnected
        # Cut again, with nothing new: the reconnect reads nothing twice.
        mail_server.cut_connections()

        async def reconnected() -> bool:
            return watchers.connections.get(channel_id, 0) >= 3

        await wait_until(reconnected, "a third connection")
    finally:
        await watchers.stop()
    assert [m.body for m in got] == ["one", "mail 2", "mail 3", "mail 4"]

    # Stopped (a restart): mail that comes meanwhile is read by the next process, once.
    await send_as_maria(mail_server, customer_mail("while down", message_id="<5@x>"))
    again = MailboxWatchers(runtime, FAST)
    await again.start()
    try:
        await wait_for_messages(runtime, channel_id, 5)
        await send_as_maria(mail_server, customer_mail("after", message_id="<6@x>"))
        final = await wait_for_messages(runtime, channel_id, 6)
    finally:
        await again.stop()
    assert [m.body for m in final] == ["one", "mail 2", "mail 3", "mail 4", "while down", "after"]
    assert again.stored[channel_id] == 2  # the new process read only the two new mails
    async with runtime.database.read_session() as db:
        cursor = await db.get_one(MailboxCursor, channel_id)
        raw_count = await db.scalar(
            select(func.count()).select_from(RawMail).where(RawMail.channel_id == channel_id)
        )
        total = await db.scalar(
            select(func.count()).select_from(Message).where(Message.channel_id == channel_id)
        )
    settings = mailbox_settings(mail_server)
    assert raw_count == 6
    assert total == 6
    assert cursor.lease_owner is None  # released on stop
    async with ImapMailbox(mailbox_of(settings, {"password": SUPPORT_PASSWORD})) as imap:
        in_folder = await imap.new_uids(0)
        assert cursor.uidvalidity == imap.uidvalidity
    assert len(in_folder) == 7  # the old mail and six new ones
    assert cursor.last_uid == max(in_folder)
    assert "old" not in [m.body for m in await messages_of(runtime, channel_id)]
