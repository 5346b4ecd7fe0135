"""The Instagram Messaging webhook of a workspace: one URL for all of its accounts, the same
doors as Messenger's (`api/webhooks/messenger.py`)."""

from __future__ import annotations

from frontdesk.api.webhooks.messenger import build_router
from frontdesk.channels.instagram.flavor import INSTAGRAM

router = build_router(INSTAGRAM)
