"""The fake Telegram Bot API for tests, served over real HTTP on a free port.

The fake itself lives in `frontdesk.demo.fake_telegram`, because `frontdesk demo
--fake-providers` runs it too; this module is what tests import.
"""

from __future__ import annotations

from frontdesk.demo.fake_telegram import (
    BLOCKED,
    SECRET_HEADER,
    Bot,
    Call,
    FakeTelegram,
    serve,
)

__all__ = ["BLOCKED", "SECRET_HEADER", "Bot", "Call", "FakeTelegram", "serve"]
