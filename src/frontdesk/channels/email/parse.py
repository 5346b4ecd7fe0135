"""An RFC 822 mail, read: who wrote it, how it threads, what it says, what it carries, and
whether a machine sent it (an auto-reply or a bounce, which are stored but never answered).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from frontdesk.channels.email.body import Body, readable

MAX_KEY = 200
MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
# Headers that mark a mail as written by a machine (RFC 3834 and what clients use instead).
AUTO_HEADERS = (
    "x-autoreply",
    "x-autorespond",
    "x-auto-response-suppress-reply",
    "x-autoreply-from",
)
AUTO_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply", "list"})
BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    """A file of the mail: its position among the mail's files, and what it says it is."""

    index: int
    name: str
    content_type: str
    size: int
    inline: bool = False


@dataclass(frozen=True)
class ParsedMail:
    key: str  # the provider message id: the Message-ID, or a digest of the mail
    message_id: str | None  # "<...>" as it appears in headers
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    sender_name: str | None
    sender_address: str
    recipients: tuple[str, ...]  # To and Cc addresses, lower-cased
    sent_at: datetime | None
    body: Body
    parts: tuple[Part, ...] = ()
    automatic: str | None = None  # why it is an auto-reply or a bounce
    headers: dict[str, str] = field(default_factory=dict)


class NotAMail(ValueError):
    """The bytes have no sender address: nothing to record a conversation with."""


def message_key(message_id: str | None, raw: bytes) -> str:
    """The id a mail is deduplicated by within its channel."""
    if message_id:
        bare = message_id.strip().strip("<>")
        if 0 < len(bare) <= MAX_KEY:
            return bare
        return "sha256:" + hashlib.sha256(bare.encode()).hexdigest()
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def ids_in(value: str | None) -> tuple[str, ...]:
    return tuple(f"<{m}>" for m in MESSAGE_ID.findall(value or ""))


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    return str(value).strip() if value is not None else ""


def automatic_reason(message: Message, sender: str) -> str | None:
    """Why a mail is an automatic one, or None for a person's mail."""
    auto_submitted = _header(message, "auto-submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    for name in AUTO_HEADERS:
        if _header(message, name):
            return f"{name} header"
    if _header(message, "precedence").lower() in AUTO_PRECEDENCE:
        return f"Precedence: {_header(message, 'precedence').lower()}"
    content_type = message.get_content_type()
    if content_type == "multipart/report":
        return f"a delivery report ({message.get_param('report-type') or 'report'})"
    if BOUNCE_SENDERS.match(sender):
        return "sent by a mail server (bounce)"
    if _header(message, "return-path") == "<>":
        return "empty Return-Path (bounce)"
    return None


def _addresses(message: Message, *names: str) -> tuple[str, ...]:
    values = [str(v) for name in names for v in message.get_all(name, [])]
    return tuple(addr.lower() for _, addr in getaddresses(values) if addr)


def _sender(message: Message) -> tuple[str | None, str]:
    for name in ("from", "sender", "reply-to"):
        found = getaddresses([str(v) for v in message.get_all(name, [])])
        for display, address in found:
            if "@" in address:
                return (display.strip() or None), address.strip().lower()
    raise NotAMail("the mail has no sender address")


def _text_of(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body_and_parts(message: EmailMessage) -> tuple[Body, tuple[Part, ...]]:
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    text = _text_of(text_part) if isinstance(text_part, EmailMessage) else None
    markup = _text_of(html_part) if isinstance(html_part, EmailMessage) else None
    parts: list[Part] = []
    for part in files_of(message):
        payload = part.get_payload(decode=True)
        parts.append(
            Part(
                index=len(parts),
                name=part.get_filename() or f"attachment-{len(parts) + 1}",
                content_type=part.get_content_type(),
                size=len(payload) if isinstance(payload, bytes) else 0,
                inline=part.get_content_disposition() == "inline",
            )
        )
    return readable(text, markup), tuple(parts)


def files_of(message: EmailMessage) -> list[EmailMessage]:
    """The mail's files in order: attachments, and inline parts that are not its text."""
    found: list[EmailMessage] = []
    for part in message.walk():
        if part.is_multipart() or not isinstance(part, EmailMessage):
            continue
        disposition = part.get_content_disposition()
        is_text = part.get_content_type() in {"text/plain", "text/html"}
        if disposition == "attachment" or (not is_text and part is not message):
            found.append(part)
    return found


def read_mail(raw: bytes) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)  # noqa: S101 - policy.default builds EmailMessage
    return parsed


def _when(value: str) -> datetime | None:
    try:
        found = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    return found if found is not None and found.tzinfo is not None else None


def parse_mail(raw: bytes) -> ParsedMail:
    """Read a mail; raises NotAMail when it names no sender."""
    message = read_mail(raw)
    sender_name, sender_address = _sender(message)
    message_ids = ids_in(_header(message, "message-id"))
    message_id = message_ids[0] if message_ids else None
    body, parts = _body_and_parts(message)
    in_reply_to = ids_in(_header(message, "in-reply-to"))
    return ParsedMail(
        key=message_key(message_id, raw),
        message_id=message_id,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=ids_in(_header(message, "references")),
        subject=_header(message, "subject"),
        sender_name=sender_name,
        sender_address=sender_address,
        recipients=_addresses(message, "to", "cc", "delivered-to", "x-original-to"),
        sent_at=_when(_header(message, "date")),
        body=body,
        parts=parts,
        automatic=automatic_reason(message, sender_address),
    )


def display_address(name: str | None, address: str) -> str:
    username, _, domain = address.partition("@")
    return str(Address(display_name=name or "", username=username, domain=domain))
