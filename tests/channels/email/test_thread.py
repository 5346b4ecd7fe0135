"""One mail thread, end to end over real IMAP and SMTP: three customer mails (one in HTML with
its history quoted and a file) become one conversation, and each agent reply lands in the
customer's own mailbox threaded under the mail it answers."""

from __future__ import annotations

import uuid
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from sqlalchemy import select

from frontdesk.channels.email.watcher import MailboxWatchers
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.mailbox.models import MailboxCursor
from frontdesk.core.runtime import Runtime
from frontdesk.demo.mail_server import LocalMailServer
from tests.channels.email.conftest import (
    MARIA,
    connect_mailbox,
    customer_mail,
    messages_of,
    run_jobs,
    send_as_maria,
    wait_for_messages,
    wait_until,
)
from tests.conftest import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML_REPLY = (
    "<div>Here is my <b>licence</b>, as asked.<script>alert('x')</script>"
    '<img src="https://tracker.example/p.gif"><a href="javascript:steal()">click</a></div>'
    '<div class="gmail_quote"><div>On Mon, Support mail wrote:</div>'
    "<blockquote>Please send your driving licence.</blockquote></div>"
)


def parsed(raw: bytes) -> EmailMessage:
    mail = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(mail, EmailMessage)
    return mail


async def reply(world: World, conversation_id: uuid.UUID, body: str, key: str) -> None:
    async with world.client("alice") as alice:
        answered = await alice.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"body": body, "client_message_id": key},
        )
    assert answered.status_code == 201, answered.text


async def replies_in_marias_inbox(server: LocalMailServer, count: int) -> list[EmailMessage]:
    async def arrived() -> bool:
        return len(await server.inbox(MARIA)) >= count

    await wait_until(arrived, f"{count} replies in Maria's mailbox")
    return [parsed(raw) for raw in await server.inbox(MARIA)]


async def test_a_three_mail_thread_is_one_conversation_and_replies_thread_back(
    world: World, runtime: Runtime, mail_server: LocalMailServer, watchers: MailboxWatchers
) -> None:
    channel_id = await connect_mailbox(world, mail_server)

    # 1. Maria writes.
    await send_as_maria(
        mail_server,
        customer_mail("Is the driver job still open?", message_id="<m1@example.com>"),
    )
    [first] = await wait_for_messages(runtime, channel_id, 1)
    assert first.body == "Is the driver job still open?"
    assert first.provider_message_id == "m1@example.com"
    conversation_id = first.conversation_id
    async with runtime.database.read_session() as db:
        contact_id = await db.scalar(
            select(Conversation.contact_id).where(Conversation.id == conversation_id)
        )
        contact = await db.get_one(Contact, contact_id)
        assert contact.name == "Maria Silva"
        assert contact.email == MARIA

    # 2. The agent answers: it goes out over SMTP, threaded under Maria's mail.
    await reply(world, conversation_id, "Yes! Please send your driving licence.", "r1")
    await run_jobs(runtime)
    [answer] = await replies_in_marias_inbox(mail_server, 1)
    reply_address = f"support+c{conversation_id.hex}@acme.test"
    assert answer["In-Reply-To"] == "<m1@example.com>"
    assert answer["References"] == "<m1@example.com>"
    assert answer["Subject"] == "Re: Driver job"
    assert answer["Reply-To"] == reply_address
    assert answer["From"].addresses[0].addr_spec == "support@acme.test"
    assert answer.get_content().strip() == "Yes! Please send your driving licence."
    ours = answer["Message-ID"]
    [sent] = await messages_of(runtime, channel_id, "outbound")
    assert sent.status == "sent"
    assert f"<{sent.provider_message_id}>" == ours

    # 3. Maria answers the reply (to its Reply-To) in HTML, quoting it, with her licence.
    await send_as_maria(
        mail_server,
        customer_mail(
            "Here is my licence, as asked.\n\nOn Mon, Support mail wrote:\n> Please send it.\n",
            message_id="<m2@example.com>",
            subject="Re: Driver job",
            to=reply_address,
            html=HTML_REPLY,
            in_reply_to=ours,
            references=f"<m1@example.com> {ours}",
            attachment=(PDF, "application/pdf", "licence.pdf"),
        ),
    )
    # 4. And once more, plainly.
    await send_as_maria(
        mail_server,
        customer_mail(
            "I can start on Monday.",
            message_id="<m3@example.com>",
            subject="Re: Driver job",
            in_reply_to="<m2@example.com>",
            references=f"<m1@example.com> {ours} <m2@example.com>",
        ),
    )
    inbound = await wait_for_messages(runtime, channel_id, 3)
    assert [m.provider_message_id for m in inbound] == [
        "m1@example.com",
        "m2@example.com",
        "m3@example.com",
    ]
    assert {m.conversation_id for m in inbound} == {conversation_id}
    html_mail = inbound[1]
    assert html_mail.body == "Here is my licence, as asked."  # the quoted history folded away
    mail = (html_mail.payload or {})["details"]["email"]
    assert "<b>licence</b>" in mail["html"]
    for unsafe in ("<script", "alert(", "<img", "javascript:", "tracker.example"):
        assert unsafe not in mail["html"]
    assert "Please send your driving licence." in mail["quoted_html"]
    assert "Please send your driving licence." not in mail["html"]
    assert mail["in_reply_to"] == ours

    # The licence is fetched from the stored mail and kept as the message's file.
    await run_jobs(runtime)
    async with runtime.database.read_session() as db:
        stored = await db.scalar(
            select(Attachment).where(
                Attachment.workspace_id == world.acme.workspace.id, Attachment.name == "licence.pdf"
            )
        )
    assert stored is not None
    assert stored.content_type == "application/pdf"
    assert await runtime.storage.get(stored.storage_key) == PDF  # type: ignore[union-attr]
    [with_file] = [m for m in await messages_of(runtime, channel_id) if m.attachments]
    assert with_file.id == html_mail.id

    # 5. The second answer threads under Maria's latest mail and carries the whole chain.
    await reply(world, conversation_id, "Monday it is.", "r2")
    await run_jobs(runtime)
    answers = await replies_in_marias_inbox(mail_server, 2)
    second = answers[-1]
    assert second["In-Reply-To"] == "<m3@example.com>"
    assert second["References"].split() == [
        "<m1@example.com>",
        ours,
        "<m2@example.com>",
        "<m3@example.com>",
    ]
    assert second["Subject"] == "Re: Driver job"

    # 6. An auto-reply and the same mail delivered twice store nothing new.
    await send_as_maria(
        mail_server,
        customer_mail(
            "I am away until Monday.",
            message_id="<away@example.com>",
            subject="Out of office",
            headers={"Auto-Submitted": "auto-replied"},
        ),
    )
    await send_as_maria(
        mail_server, customer_mail("I can start on Monday.", message_id="<m3@example.com>")
    )

    async def read_all() -> bool:
        async with runtime.database.read_session() as db:
            cursor = await db.get(MailboxCursor, channel_id, populate_existing=True)
            return cursor is not None and watchers.stored.get(channel_id, 0) >= 5

    await wait_until(read_all, "the auto-reply and the duplicate read")
    assert len(await messages_of(runtime, channel_id)) == 3
    async with runtime.database.read_session() as db:
        reasons = list(
            await db.scalars(
                select(QuarantinedPayload.reason).where(QuarantinedPayload.channel_id == channel_id)
            )
        )
    assert reasons == ["an automatic mail (Auto-Submitted: auto-replied), not answered"]
    assert len(await replies_in_marias_inbox(mail_server, 2)) == 2  # nobody answered the machine
