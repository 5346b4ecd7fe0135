"""The fake Twilio Messaging API for tests, served over real HTTP on a free port.

The fake itself lives in `frontdesk.demo.fake_twilio`, because `frontdesk demo
--fake-providers` runs it too; this module is what tests import.
"""

from __future__ import annotations

from frontdesk.demo.fake_twilio import (
    SIGNATURE_HEADER,
    Account,
    FakeTwilio,
    SentMessage,
    serve,
    twilio_signature,
)

__all__ = ["SIGNATURE_HEADER", "Account", "FakeTwilio", "SentMessage", "serve", "twilio_signature"]
