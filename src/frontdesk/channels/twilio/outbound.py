"""Sending through Twilio's Messages API: SMS, and WhatsApp through Twilio.

`POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with `To`, `From` (or the channel's
`MessagingServiceSid`), `Body` and a `StatusCallback` URL that names the channel, so Twilio's
reports come back to it. WhatsApp addresses carry the `whatsapp:` prefix, and a template goes as
its Content SID (`ContentSid`, `HX…`) with its values (`ContentVariables`), since Twilio no
longer matches template text sent as a body. The sid Twilio answers is what its status
callbacks name.

Limits: one message per second per long-code number by default (settings
`messages_per_second` raises it for toll-free and short codes, or a Messaging Service), with a
burst of ten, since Twilio queues what it accepts and sends it at the number's pace; and on
WhatsApp the pair limit to one person.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from frontdesk.channels.outbound import Delivery, PermanentProviderError
from frontdesk.channels.twilio.payloads import whatsapp_address
from frontdesk.channels.twilio.rest import Account
from frontdesk.channels.twilio.segments import count_segments
from frontdesk.core.attachments.signing import with_links
from frontdesk.core.conversations.models import MessageKind
from frontdesk.core.sendbudget import Allowance

log = logging.getLogger("frontdesk.channels.twilio")

WHATSAPP = "whatsapp"
MAX_BODY = 1600
MAX_MMS_FILES = 10  # Twilio's limit of MediaUrl per message (WhatsApp: one)
FILE_LINK_SECONDS = 7 * 24 * 3600
DEFAULT_MESSAGES_PER_SECOND = 1.0
WHATSAPP_MESSAGES_PER_SECOND = 10.0
SENDER_BURST = 10.0
PAIR_SECONDS_PER_MESSAGE = 6.0
PAIR_BURST = 10.0


def callback_url(public_url: str, delivery: Delivery) -> str:
    channel = delivery.channel
    return f"{public_url.rstrip('/')}/webhooks/twilio/{channel.workspace_id}/{channel.id}/status"


def _sender_fields(delivery: Delivery) -> list[tuple[str, str]]:
    settings = delivery.channel.settings or {}
    service = str(settings.get("messaging_service_sid") or "")
    if service:
        return [("MessagingServiceSid", service)]
    number = str(settings.get("phone_number") or "")
    if not number:
        raise PermanentProviderError(
            "channel_not_connected",
            "This Twilio channel has no phone number or Messaging Service: finish its set-up.",
        )
    if delivery.channel.type == WHATSAPP:
        number = whatsapp_address(number)
    return [("From", number)]


def _media_urls(delivery: Delivery) -> list[tuple[str, str]]:
    """Twilio fetches a reply's files from the URLs it is given: signed links to this
    Frontdesk, valid for FILE_LINK_SECONDS (Twilio fetches at once; retries reuse the body)."""
    attachments = list(delivery.outgoing.attachments)
    limit = 1 if delivery.channel.type == WHATSAPP else MAX_MMS_FILES
    if len(attachments) > limit:
        raise PermanentProviderError(
            "too_many_files",
            f"Twilio takes at most {limit} file(s) per message on this channel: send them apart.",
        )
    if delivery.secret_box is None or not delivery.public_url:
        raise PermanentProviderError(
            "files_need_public_url",
            "Twilio fetches files from this Frontdesk's public address "
            "(FRONTDESK_PUBLIC_URL), which is not set: send the text alone.",
        )
    linked = with_links(
        delivery.secret_box,
        attachments,
        delivery.outgoing.created_at or datetime.now(UTC),
        base_url=delivery.public_url.rstrip("/"),
        ttl_seconds=FILE_LINK_SECONDS,
    )
    return [("MediaUrl", str(item["url"])) for item in linked if item.get("url")]


def _content(delivery: Delivery) -> list[tuple[str, str]]:
    outgoing = delivery.outgoing
    if outgoing.attachments:
        files = _media_urls(delivery)
        if len(outgoing.body) > MAX_BODY:
            raise PermanentProviderError(
                "too_long", f"The message is longer than {MAX_BODY} characters, Twilio's limit."
            )
        return [("Body", outgoing.body), *files] if outgoing.body else files
    if outgoing.kind == MessageKind.TEMPLATE:
        template = (outgoing.payload or {}).get("template") or {}
        content_sid = str(template.get("provider_id") or template.get("name") or "")
        if not content_sid.startswith("HX"):
            raise PermanentProviderError(
                "template_not_on_twilio",
                "This template has no Twilio Content SID (HX…): it cannot be sent through Twilio.",
            )
        values = {str(i): str(v) for i, v in enumerate(template.get("parameters") or [], 1)}
        fields = [("ContentSid", content_sid)]
        if values:
            fields.append(("ContentVariables", json.dumps(values)))
        return fields
    body = outgoing.body
    if len(body) > MAX_BODY:
        raise PermanentProviderError(
            "too_long", f"The message is longer than {MAX_BODY} characters, Twilio's limit."
        )
    return [("Body", body)]


def message_form(delivery: Delivery, public_url: str | None) -> list[tuple[str, str]]:
    """The form of one Messages API call for `delivery`."""
    recipient = delivery.recipient
    if delivery.channel.type == WHATSAPP:
        recipient = whatsapp_address(recipient)
    form = [("To", recipient), *_sender_fields(delivery), *_content(delivery)]
    if public_url:
        form.append(("StatusCallback", callback_url(public_url, delivery)))
    return form


async def send_twilio(delivery: Delivery) -> str:
    """Send one message; returns the sid (SM…/MM…) its status callbacks will name."""
    account = Account.of(delivery.channel.settings or {}, delivery.secrets, delivery.provider_urls)
    form = message_form(delivery, delivery.public_url)
    body = dict(form).get("Body")
    if body is not None:
        segments = count_segments(body)
        log.debug("twilio send: %d %s segment(s)", segments.count, segments.encoding)

    async def post() -> str:
        answer = await account.post("Messages.json", form)
        sid = answer.get("sid")
        if not isinstance(sid, str) or not sid:
            raise PermanentProviderError("unexpected_answer", "Twilio accepted no message")
        return sid

    return await delivery.part(0, post)


def send_limits(delivery: Delivery) -> list[Allowance]:
    """The number's (or Messaging Service's) rate, and on WhatsApp the pair limit."""
    settings = delivery.channel.settings or {}
    sender = str(
        settings.get("messaging_service_sid") or settings.get("phone_number") or delivery.channel.id
    )
    rate = settings.get("messages_per_second")
    whatsapp = delivery.channel.type == WHATSAPP
    if not isinstance(rate, int | float) or isinstance(rate, bool) or rate <= 0:
        rate = WHATSAPP_MESSAGES_PER_SECOND if whatsapp else DEFAULT_MESSAGES_PER_SECOND
    burst = max(float(rate), SENDER_BURST)
    limits = [Allowance(f"twilio:sender:{sender}", float(rate), burst)]
    if whatsapp:
        limits.append(
            Allowance(
                f"twilio:pair:{sender}:{delivery.recipient}",
                1 / PAIR_SECONDS_PER_MESSAGE,
                PAIR_BURST,
            )
        )
    return limits
