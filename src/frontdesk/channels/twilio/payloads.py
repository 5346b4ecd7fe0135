"""The fields of Twilio's messaging webhooks, read from the form Twilio posts.

An inbound message carries `MessageSid` (SM… for SMS, MM… for MMS), `From`/`To` (E.164, or
`whatsapp:+…` on WhatsApp), `Body`, `NumMedia` with `MediaUrlN`/`MediaContentTypeN`, and on
WhatsApp `ProfileName`, `WaId`, button and location fields and the quoted message. A status
callback carries `MessageSid` with `MessageStatus` (older: `SmsStatus`) and, on failure,
`ErrorCode`. Twilio adds parameters without notice: unknown ones are kept, never refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

WHATSAPP_PREFIX = "whatsapp:"
MAX_MEDIA = 10
# Statuses of a message that was sent to (not by) the account.
INBOUND_STATUSES = frozenset({"received", "receiving"})


def address(value: str) -> tuple[str, bool]:
    """A number without Twilio's channel prefix, and whether it was a WhatsApp address."""
    if value.lower().startswith(WHATSAPP_PREFIX):
        return value[len(WHATSAPP_PREFIX) :].strip(), True
    return value.strip(), False


def whatsapp_address(number: str) -> str:
    bare, _ = address(number)
    return WHATSAPP_PREFIX + bare


@dataclass(frozen=True)
class Form:
    """A webhook's parameters as received (a name may repeat)."""

    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Form:
        return cls(tuple(pairs))

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.pairs if key == name), None)

    def text(self, name: str) -> str:
        return self.get(name) or ""

    def as_dict(self) -> dict[str, Any]:
        """The form for keeping: one value per name, a list where a name repeats."""
        kept: dict[str, Any] = {}
        for key, value in self.pairs:
            if key in kept:
                previous = kept[key]
                kept[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                kept[key] = value
        return kept


@dataclass(frozen=True)
class Media:
    url: str
    content_type: str | None


@dataclass(frozen=True)
class InboundSms:
    sid: str
    sender: str  # without the whatsapp: prefix
    recipient: str
    whatsapp: bool
    body: str
    media: tuple[Media, ...] = ()
    profile_name: str | None = None
    wa_id: str | None = None
    opt_out_type: str | None = None
    segments: int | None = None
    message_type: str | None = None
    button_text: str | None = None
    button_payload: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    place: str | None = None
    place_label: str | None = None
    replied_sid: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusCallback:
    sid: str
    status: str
    recipient: str
    error_code: str | None = None
    error_message: str | None = None
    event_type: str | None = None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _media(form: Form) -> tuple[Media, ...]:
    count = min(_int(form.get("NumMedia")) or 0, MAX_MEDIA)
    found = []
    for index in range(count):
        url = form.get(f"MediaUrl{index}")
        if url:
            found.append(Media(url, form.get(f"MediaContentType{index}")))
    return tuple(found)


def is_status_callback(form: Form) -> bool:
    """A report on a message the account sent, rather than a message to it."""
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    return bool(status) and status not in INBOUND_STATUSES


def inbound_message(form: Form) -> InboundSms | None:
    """The message of an inbound webhook; None when it names no sid or sender."""
    sid = form.text("MessageSid") or form.text("SmsMessageSid") or form.text("SmsSid")
    sender, whatsapp = address(form.text("From"))
    recipient, _ = address(form.text("To"))
    if not sid or not sender:
        return None
    details: dict[str, Any] = {}
    for flag in ("Forwarded", "FrequentlyForwarded"):
        if form.text(flag).lower() == "true":
            details[flag.lower()] = True
    referral = {k: v for k, v in form.pairs if k.startswith("Referral")}
    if referral:
        details["referral"] = referral
    return InboundSms(
        sid=sid,
        sender=sender,
        recipient=recipient,
        whatsapp=whatsapp,
        body=form.text("Body"),
        media=_media(form),
        profile_name=form.get("ProfileName") or None,
        wa_id=form.get("WaId") or None,
        opt_out_type=form.get("OptOutType") or None,
        segments=_int(form.get("NumSegments")),
        message_type=form.get("MessageType") or None,
        button_text=form.get("ButtonText") or None,
        button_payload=form.get("ButtonPayload") or None,
        latitude=_float(form.get("Latitude")),
        longitude=_float(form.get("Longitude")),
        place=form.get("Address") or None,
        place_label=form.get("Label") or None,
        replied_sid=form.get("OriginalRepliedMessageSid") or None,
        details=details,
    )


def status_callback(form: Form) -> StatusCallback | None:
    sid = form.text("MessageSid") or form.text("SmsSid")
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    if not sid or not status:
        return None
    recipient, _ = address(form.text("To"))
    return StatusCallback(
        sid=sid,
        status=status,
        recipient=recipient,
        error_code=form.get("ErrorCode") or None,
        error_message=form.get("ErrorMessage") or None,
        event_type=form.get("EventType") or None,
    )
