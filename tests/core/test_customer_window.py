"""The customer-service window as a pure function: open, closing, closed, and no window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.core.conversations.window import (
    WindowClosed,
    check_window,
    is_window_open,
    window_expires_at,
)

OPENED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
LAST = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_whatsapp_s_window_closes_24_hours_after_the_customer_s_last_message() -> None:
    assert window_expires_at("whatsapp", LAST, OPENED) == LAST + timedelta(hours=24)
    assert is_window_open("whatsapp", LAST, OPENED, LAST + timedelta(hours=23, minutes=59))
    assert not is_window_open("whatsapp", LAST, OPENED, LAST + timedelta(hours=24))


def test_a_conversation_the_customer_never_wrote_in_is_closed_from_the_start() -> None:
    assert window_expires_at("whatsapp", None, OPENED) == OPENED
    assert not is_window_open("whatsapp", None, OPENED, OPENED)


@pytest.mark.parametrize("channel_type", ["email", "webchat", "telegram", "api"])
def test_channels_without_a_window_are_always_open(channel_type: str) -> None:
    assert window_expires_at(channel_type, None, OPENED) is None
    check_window(channel_type, None, OPENED, OPENED + timedelta(days=400), kind="text")


def test_outside_the_window_only_templates_pass() -> None:
    late = LAST + timedelta(days=2)
    check_window("whatsapp", LAST, OPENED, late, kind="template")
    for kind in ("text", "media", "interactive"):
        with pytest.raises(WindowClosed) as refused:
            check_window("whatsapp", LAST, OPENED, late, kind=kind)
        assert refused.value.code == "window_closed"
        assert (
            refused.value.details["window_expires_at"] == (LAST + timedelta(hours=24)).isoformat()
        )
