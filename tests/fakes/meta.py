"""The fake Graph API (WhatsApp Cloud API) for tests, served over real HTTP on a free port.

The fake itself lives in `frontdesk.demo.fake_graph` (and its webhook bodies in
`fake_graph_webhooks`), because `frontdesk demo --fake-providers`
runs it too; this module is what tests import: the fake, its webhook builders, and `serve`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from frontdesk.channels.whatsapp.signature import sign
from frontdesk.demo.fake_graph import FakeGraph, serve
from frontdesk.demo.fake_graph_webhooks import (
    Number,
    message_webhook,
    status_webhook,
    text_webhook,
)

__all__ = [
    "FIXTURES",
    "FakeGraph",
    "Number",
    "fixture",
    "fixture_bytes",
    "message_webhook",
    "serve",
    "sign",
    "status_webhook",
    "text_webhook",
]

FIXTURES = Path(__file__).parent.parent / "fixtures" / "whatsapp"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def fixture(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(fixture_bytes(name))
    return value
