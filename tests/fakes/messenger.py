"""The fake Graph API's Messenger / Instagram side for tests (it lives in
`frontdesk.demo.fake_graph` and `fake_graph_messaging`), and the recorded fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from frontdesk.channels.whatsapp.signature import sign
from frontdesk.demo.fake_graph import FakeGraph, serve
from frontdesk.demo.fake_graph_messaging import Page, messaging_webhook, receipt_event, text_event

__all__ = [
    "FIXTURES",
    "FakeGraph",
    "Page",
    "fixture",
    "messaging_webhook",
    "receipt_event",
    "serve",
    "sign",
    "text_event",
]

FIXTURES = Path(__file__).parent.parent / "fixtures" / "messenger"


def fixture(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_bytes())
    return value
