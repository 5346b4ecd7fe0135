"""A Twilio webhook (inbound message or status callback), recorded for one channel.

An inbound SMS, MMS or WhatsApp message becomes a customer message (files fetched later by the
media job, with the account's credentials). On an SMS channel an opt-out keyword (STOP…)
marks the customer opted out on this channel once the message is stored, and an opt-in
keyword (START, UNSTOP, YES) lifts it. A status callback becomes a delivery status: statuses
are stored once per (sid, status), applied monotonically, and one that arrives before its
message is parked and applied when the message learns its sid (`core.conversations.receipts`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from sqlalchemy import select

from frontdesk.channels import common
from frontdesk.channels.common import (
    Choice,
    InboundKind,
    InboundMessage,
    Location,
    MediaItem,
    Profile,
    Recorded,
    StatusUpdate,
)
from frontdesk.channels.twilio.errors import error_text
from frontdesk.channels.twilio.keywords import Keyword, keyword_of
from frontdesk.channels.twilio.payloads import (
    Form,
    InboundSms,
    inbound_message,
    is_status_callback,
    status_callback,
)
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.contacts.optout import set_opt_out
from frontdesk.db.uow import UnitOfWork

log = logging.getLogger("frontdesk.channels.twilio")

SMS = "sms"
# Twilio's message statuses and the delivery status each means; the others (accepted,
# scheduled, queued, sending, receiving, received) say nothing a reader needs.
STATUSES = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "failed",
}


@dataclass(frozen=True)
class FormResult:
    recorded: Recorded
    keyword: Keyword | None = None


def _kind_of(content_type: str | None) -> str:
    base = (content_type or "").split("/", 1)[0]
    return {"image": "image", "video": "video", "audio": "audio"}.get(base, "document")


def _profile(message: InboundSms) -> Profile:
    phone = message.sender if message.sender.startswith("+") else None
    extra = {"wa_id": message.wa_id} if message.wa_id else {}
    return Profile(
        provider_id=message.sender,
        name=message.profile_name,
        phone=phone,
        extra=extra,
    )


def to_inbound(message: InboundSms, raw: Form) -> InboundMessage:
    """The provider-neutral record of an inbound Twilio message."""
    details = dict(message.details)
    if message.segments:
        details["segments"] = message.segments
    base = InboundMessage(
        provider_message_id=message.sid,
        sender=_profile(message),
        kind=InboundKind.TEXT,
        text=message.body,
        reply_to_provider_id=message.replied_sid,
        provider_type=message.message_type or ("mms" if message.media else "sms"),
        details=details,
        raw=raw.as_dict(),
    )
    if message.media:
        items = tuple(
            MediaItem(_kind_of(m.content_type), m.url, content_type=m.content_type)
            for m in message.media
        )
        return replace(base, kind=InboundKind.MEDIA, media=items)
    if message.latitude is not None and message.longitude is not None:
        place = Location(message.latitude, message.longitude, message.place_label, message.place)
        return replace(base, kind=InboundKind.LOCATION, text="", location=place)
    if message.button_text or message.button_payload:
        label = message.button_text or message.button_payload or ""
        choice = Choice(message.button_payload or label, label)
        return replace(base, kind=InboundKind.POSTBACK, text="", choice=choice)
    return base


async def _apply_keyword(
    uow: UnitOfWork, channel: Channel, message: InboundSms, keyword: Keyword
) -> None:
    if keyword == Keyword.HELP:
        return
    identity = await uow.session.scalar(
        select(ContactIdentity).where(
            ContactIdentity.workspace_id == channel.workspace_id,
            ContactIdentity.channel_id == channel.id,
            ContactIdentity.provider_id == message.sender,
        )
    )
    if identity is None:
        return
    word = message.body.strip().upper() or keyword.value
    await set_opt_out(uow, identity, keyword == Keyword.STOP, word)


async def record_inbound(uow: UnitOfWork, channel: Channel, form: Form) -> FormResult | None:
    """Record an inbound message; None for a form that is not one (kept aside)."""
    message = inbound_message(form)
    if message is None:
        common.quarantine(uow, channel, "a Twilio message without a sid or sender", form.as_dict())
        return None
    recorded = await common.record(uow, channel, to_inbound(message, form))
    keyword = None
    # Twilio's keyword handling is an SMS matter; a WhatsApp channel honours only a keyword
    # Twilio itself reports (Advanced Opt-Out's OptOutType).
    if channel.type == SMS or message.opt_out_type:
        keyword = keyword_of(message.body, message.opt_out_type)
    if keyword is not None and recorded.outcome == "created":
        await _apply_keyword(uow, channel, message, keyword)
    return FormResult(recorded, keyword)


def to_status(form: Form) -> StatusUpdate | None:
    callback = status_callback(form)
    if callback is None:
        return None
    status = STATUSES.get(callback.status)
    if status is None:
        return None
    code = callback.error_code
    return StatusUpdate(
        provider_message_id=callback.sid,
        status=status,
        error_code=code if status == "failed" else None,
        error_title=callback.status if status == "failed" else None,
        error_detail=(callback.error_message or error_text(code)) if status == "failed" else None,
        raw=form.as_dict(),
    )


async def record_status(uow: UnitOfWork, channel: Channel, form: Form) -> Recorded:
    update = to_status(form)
    if update is None:
        return Recorded("ignored")  # a status Frontdesk does not track (queued, sending…)
    return await common.record(uow, channel, update)


async def record_form(uow: UnitOfWork, channel: Channel, form: Form) -> FormResult | None:
    """Whatever the form is: a status callback or an inbound message."""
    if is_status_callback(form):
        return FormResult(await record_status(uow, channel, form))
    return await record_inbound(uow, channel, form)
