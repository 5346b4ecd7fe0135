"""Messenger and Instagram's window as pure functions: 24 hours of free replies, then the
HUMAN_AGENT tag up to 7 days after the customer's last message, then nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.core.conversations.window import (
    WindowClosed,
    check_window,
    message_tag,
    window_expires_at,
)

OPENED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
LAST = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("channel_type", ["messenger", "instagram"])
def test_the_tag_is_needed_from_24_hours_to_7_days(channel_type: str) -> None:
    assert window_expires_at(channel_type, LAST, OPENED) == LAST + timedelta(days=7)
    assert message_tag(channel_type, LAST, OPENED, LAST + timedelta(hours=23, minutes=59)) is None
    assert message_tag(channel_type, LAST, OPENED, LAST + timedelta(hours=24)) == "HUMAN_AGENT"
    assert message_tag(channel_type, LAST, OPENED, LAST + timedelta(days=6, hours=23)) == (
        "HUMAN_AGENT"
    )
    check_window(channel_type, LAST, OPENED, LAST + timedelta(days=6, hours=23), kind="text")
    with pytest.raises(WindowClosed) as closed:
        check_window(channel_type, LAST, OPENED, LAST + timedelta(days=7), kind="media")
    assert closed.value.details["allowed_kinds"] == []
    assert message_tag(channel_type, LAST, OPENED, LAST + timedelta(days=7)) is None


def test_a_conversation_the_customer_never_wrote_in_gets_no_tag() -> None:
    assert message_tag("messenger", None, OPENED, OPENED) is None
    with pytest.raises(WindowClosed):
        check_window("messenger", None, OPENED, OPENED, kind="text")


def test_whatsapp_and_telegram_never_use_the_tag() -> None:
    for channel_type in ("whatsapp", "telegram"):
        assert message_tag(channel_type, LAST, OPENED, LAST + timedelta(days=2)) is None
