"""Each provider is one spec, registered explicitly (idempotently), and core reads its
capabilities through the declarations alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from frontdesk.channels.registry import BUILT_IN, install_channels
from frontdesk.channels.spec import registered, spec_for, unregister
from frontdesk.core.channels.capabilities import capabilities_of
from frontdesk.core.channels.choices import CHOICE_LIMITS
from frontdesk.core.conversations.window import message_tag, window_expires_at

LAST = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_install_registers_every_built_in_spec_once_and_core_reads_their_capabilities() -> None:
    install_channels()
    install_channels()  # where the app, the worker and the demo start: harmless twice
    assert {s.type for s in BUILT_IN} <= set(registered())
    assert set(registered()) >= {"whatsapp", "messenger", "instagram", "telegram", "webchat"}
    whatsapp, telegram = spec_for("whatsapp"), spec_for("telegram")
    assert whatsapp is not None
    assert telegram is not None
    assert whatsapp.sender is not None
    assert whatsapp.read_receipt_sender is not None
    assert telegram.removal_hook is not None
    assert telegram.profile_fetcher is not None
    assert capabilities_of("whatsapp").read_receipts
    assert not capabilities_of("messenger").read_receipts
    assert capabilities_of("instagram").profile_lookup
    assert set(CHOICE_LIMITS) >= {"instagram", "messenger", "telegram", "whatsapp"}
    assert CHOICE_LIMITS["instagram"].body == 1000
    assert "webchat" not in CHOICE_LIMITS
    try:
        unregister("messenger")  # a type nobody declared: no window, no tag, no buttons
        assert window_expires_at("messenger", LAST, LAST) is None
        assert message_tag("messenger", LAST, LAST, LAST + timedelta(days=2)) is None
        assert CHOICE_LIMITS.get("messenger") is None
        assert spec_for("messenger") is None
    finally:
        install_channels()
    assert window_expires_at("messenger", LAST, LAST) == LAST + timedelta(days=7)
    assert message_tag("messenger", LAST, LAST, LAST + timedelta(days=2)) == "HUMAN_AGENT"
