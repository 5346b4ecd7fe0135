"""The customer-service window: how long after a customer's last message free-form replies
may be sent on channels that have one (WhatsApp: 24 hours; afterwards only templates).

Messenger and Instagram have a 24-hour window too, after which a human agent may still answer
for up to 7 days with the `HUMAN_AGENT` message tag (`message_tag` says when a reply needs it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from frontdesk.core.conversations.models import MessageKind
from frontdesk.core.errors import Conflict

# Channel types with a window, and its length. A channel type missing here has none.
CUSTOMER_SERVICE_WINDOWS: dict[str, timedelta] = {
    "whatsapp": timedelta(hours=24),
    "messenger": timedelta(hours=24),
    "instagram": timedelta(hours=24),
}
# Channel types where a human agent may answer after the window: until when after the
# customer's last message, and the tag such a reply is sent with.
HUMAN_AGENT_WINDOWS: dict[str, tuple[timedelta, str]] = {
    "messenger": (timedelta(days=7), "HUMAN_AGENT"),
    "instagram": (timedelta(days=7), "HUMAN_AGENT"),
}
# What may still be sent once the window has closed.
ALLOWED_OUTSIDE_WINDOW = frozenset({MessageKind.TEMPLATE})


class WindowClosed(Conflict):
    """A free-form message outside the customer-service window: only a template may go."""

    code = "window_closed"


def window_expires_at(
    channel_type: str, last_inbound_at: datetime | None, opened_at: datetime
) -> datetime | None:
    """When free-form replies stop being allowed; None when the channel type has no window.

    A conversation the customer never wrote in is closed from the start (`opened_at`).
    """
    length = CUSTOMER_SERVICE_WINDOWS.get(channel_type)
    if length is None:
        return None
    if channel_type in HUMAN_AGENT_WINDOWS:
        length = max(length, HUMAN_AGENT_WINDOWS[channel_type][0])
    return last_inbound_at + length if last_inbound_at is not None else opened_at


def message_tag(
    channel_type: str, last_inbound_at: datetime | None, opened_at: datetime, now: datetime
) -> str | None:
    """The tag a human agent's reply needs past the standard window (None inside it)."""
    extended = HUMAN_AGENT_WINDOWS.get(channel_type)
    standard = CUSTOMER_SERVICE_WINDOWS.get(channel_type)
    if extended is None or standard is None or last_inbound_at is None:
        return None
    if now < last_inbound_at + standard or now >= last_inbound_at + extended[0]:
        return None
    return extended[1]


def is_standard_window_open(
    channel_type: str, last_inbound_at: datetime | None, now: datetime
) -> bool:
    """Free-form text that is not a human agent's reply (an automatic message) may go now: the
    channel has no window, or the customer wrote within the standard one (Messenger's and
    Instagram's extended human-agent window does not count)."""
    length = CUSTOMER_SERVICE_WINDOWS.get(channel_type)
    return length is None or (last_inbound_at is not None and now < last_inbound_at + length)


def is_window_open(
    channel_type: str, last_inbound_at: datetime | None, opened_at: datetime, now: datetime
) -> bool:
    expires = window_expires_at(channel_type, last_inbound_at, opened_at)
    return expires is None or now < expires


def check_window(
    channel_type: str,
    last_inbound_at: datetime | None,
    opened_at: datetime,
    now: datetime,
    *,
    kind: str,
) -> None:
    """Refuse a free-form message outside the window, saying why and what is allowed."""
    if kind in ALLOWED_OUTSIDE_WINDOW:
        return
    if is_window_open(channel_type, last_inbound_at, opened_at, now):
        return
    expires = window_expires_at(channel_type, last_inbound_at, opened_at)
    if channel_type in HUMAN_AGENT_WINDOWS:
        days = HUMAN_AGENT_WINDOWS[channel_type][0].days
        raise WindowClosed(
            f"the customer has not written in the last {days} days: "
            "no reply can be sent until they write again",
            details={
                "field": "body",
                "window_expires_at": expires.isoformat() if expires else None,
                "allowed_kinds": [],
            },
        )
    hours = int(CUSTOMER_SERVICE_WINDOWS[channel_type].total_seconds() // 3600)
    raise WindowClosed(
        f"the customer has not written in the last {hours} hours: "
        "only an approved template can be sent",
        details={
            "field": "body",
            "window_expires_at": expires.isoformat() if expires else None,
            "allowed_kinds": sorted(ALLOWED_OUTSIDE_WINDOW),
        },
    )
