"""The customer-service window: how long after a customer's last message free-form replies
may be sent on channels that have one (WhatsApp: 24 hours; afterwards only templates).

Each channel type's window is one of its capabilities (`Capabilities.reply_window`, declared by
its spec); a type without one has no window.

Messenger and Instagram have a 24-hour window too, after which a human agent may still answer
for up to 7 days with the `HUMAN_AGENT` message tag (`message_tag` says when a reply needs it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from frontdesk.core.channels.capabilities import ReplyWindow, capabilities_of
from frontdesk.core.conversations.models import MessageKind
from frontdesk.core.errors import Conflict

# What may still be sent once the window has closed.
ALLOWED_OUTSIDE_WINDOW = frozenset({MessageKind.TEMPLATE})


def _window(channel_type: str) -> ReplyWindow | None:
    return capabilities_of(channel_type).reply_window


def _extended(window: ReplyWindow) -> tuple[timedelta, str] | None:
    """The human agent's longer window and its tag, when the channel has one."""
    if window.human_agent is None or window.human_agent_tag is None:
        return None
    return window.human_agent, window.human_agent_tag


class WindowClosed(Conflict):
    """A free-form message outside the customer-service window: only a template may go."""

    code = "window_closed"


def window_expires_at(
    channel_type: str, last_inbound_at: datetime | None, opened_at: datetime
) -> datetime | None:
    """When free-form replies stop being allowed; None when the channel type has no window.

    A conversation the customer never wrote in is closed from the start (`opened_at`).
    """
    window = _window(channel_type)
    if window is None:
        return None
    length = window.standard
    extended = _extended(window)
    if extended is not None:
        length = max(length, extended[0])
    return last_inbound_at + length if last_inbound_at is not None else opened_at


def message_tag(
    channel_type: str, last_inbound_at: datetime | None, opened_at: datetime, now: datetime
) -> str | None:
    """The tag a human agent's reply needs past the standard window (None inside it)."""
    window = _window(channel_type)
    extended = _extended(window) if window is not None else None
    if window is None or extended is None or last_inbound_at is None:
        return None
    if now < last_inbound_at + window.standard or now >= last_inbound_at + extended[0]:
        return None
    return extended[1]


def is_standard_window_open(
    channel_type: str, last_inbound_at: datetime | None, now: datetime
) -> bool:
    """Free-form text that is not a human agent's reply (an automatic message) may go now: the
    channel has no window, or the customer wrote within the standard one (Messenger's and
    Instagram's extended human-agent window does not count)."""
    window = _window(channel_type)
    return window is None or (
        last_inbound_at is not None and now < last_inbound_at + window.standard
    )


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
    window = _window(channel_type)
    if window is None:  # cannot happen: a type without a window is always open
        return
    extended = _extended(window)
    if extended is not None:
        days = extended[0].days
        raise WindowClosed(
            f"the customer has not written in the last {days} days: "
            "no reply can be sent until they write again",
            details={
                "field": "body",
                "window_expires_at": expires.isoformat() if expires else None,
                "allowed_kinds": [],
            },
        )
    hours = window.seconds // 3600
    raise WindowClosed(
        f"the customer has not written in the last {hours} hours: "
        "only an approved template can be sent",
        details={
            "field": "body",
            "window_expires_at": expires.isoformat() if expires else None,
            "allowed_kinds": sorted(ALLOWED_OUTSIDE_WINDOW),
        },
    )
