"""A customer's mail, stored: the raw mail, then the message (deduplicated by Message-ID).

Whoever read the mail (the IMAP watcher, the forwarding route) calls `record_mail` in its own
unit of work and acknowledges only after the commit: the watcher advances its cursor in that
same transaction, the forwarding route answers 2xx after it.

Auto-replies and bounces are kept for admins (quarantine) and never become a conversation, so
nobody answers a machine; a bounce of one of our replies marks that reply failed.
"""

from __future__ import annotations

import logging
from typing import Any

from frontdesk.channels import common
from frontdesk.channels.common import InboundKind, InboundMessage, MediaItem, Profile, Recorded
from frontdesk.channels.email.parse import NotAMail, ParsedMail, Part, parse_mail
from frontdesk.channels.email.store import keep_raw
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.updates import find_provider_message
from frontdesk.db.uow import UnitOfWork

log = logging.getLogger("frontdesk.channels.email")

MAX_QUARANTINED_TEXT = 4000


def media_kind(content_type: str) -> str:
    major = content_type.split("/", 1)[0]
    return major if major in {"image", "video", "audio"} else "document"


def email_details(mail: ParsedMail, source: str) -> dict[str, Any]:
    """What the app shows of a mail and what a reply threads by (kept on the message)."""
    return {
        "subject": mail.subject,
        "message_id": mail.message_id,
        "in_reply_to": mail.in_reply_to,
        "references": list(mail.references),
        "from": mail.sender_address,
        "to": list(mail.recipients),
        "html": mail.body.html,
        "quoted_html": mail.body.quoted_html,
        "quoted_text": mail.body.quoted_text or None,
        "source": source,
    }


def inbound_message(mail: ParsedMail, source: str) -> InboundMessage:
    media = tuple(
        MediaItem(
            kind=media_kind(part.content_type),
            provider_media_id=f"{mail.key}#{part.index}",
            content_type=part.content_type,
            name=part.name,
            size=part.size,
        )
        for part in mail.parts
        if not _is_signature(part)
    )
    return InboundMessage(
        provider_message_id=mail.key,
        sender=Profile(
            provider_id=mail.sender_address, name=mail.sender_name, email=mail.sender_address
        ),
        kind=InboundKind.MEDIA if media else InboundKind.TEXT,
        text=mail.body.text or (mail.subject if not media else ""),
        media=media,
        sent_at=mail.sent_at,
        provider_type="email",
        details={"email": email_details(mail, source)},
    )


def _is_signature(part: Part) -> bool:
    return part.content_type in {"application/pgp-signature", "application/pkcs7-signature"}


async def _bounced_reply(uow: UnitOfWork, channel: Channel, mail: ParsedMail) -> str | None:
    """The provider id of our reply a bounce is about, if it names one we sent."""
    for candidate in (mail.in_reply_to, *mail.references):
        if candidate is None:
            continue
        key = candidate.strip("<>")
        found = await find_provider_message(uow, channel, key)
        if found is not None:
            return key
    return None


async def record_mail(
    uow: UnitOfWork, channel: Channel, raw: bytes, *, mailbox_address: str, source: str
) -> Recorded:
    """Store one mail of the channel's mailbox; a mail seen before changes nothing."""
    try:
        mail = parse_mail(raw)
    except NotAMail as exc:
        common.quarantine(
            uow, channel, str(exc), {"raw": raw[:MAX_QUARANTINED_TEXT].decode("utf-8", "replace")}
        )
        return Recorded("ignored")
    if mail.sender_address == mailbox_address.lower():
        return Recorded("ignored")  # our own reply, copied into the mailbox by the server
    if mail.automatic is not None:
        bounced = await _bounced_reply(uow, channel, mail)
        if bounced is not None:
            return await common.record_status(
                uow,
                channel,
                common.StatusUpdate(
                    provider_message_id=bounced,
                    status="failed",
                    occurred_at=mail.sent_at,
                    error_code="email_bounced",
                    error_title="The mail bounced",
                    error_detail=mail.body.text[:300] or mail.subject,
                ),
            )
        common.quarantine(
            uow,
            channel,
            f"an automatic mail ({mail.automatic}), not answered",
            {
                "message_id": mail.message_id,
                "from": mail.sender_address,
                "subject": mail.subject,
                "text": mail.body.text[:MAX_QUARANTINED_TEXT],
            },
        )
        return Recorded("ignored")
    await keep_raw(uow, channel, mail.key, raw)
    return await common.record_message(uow, channel, inbound_message(mail, source))
