"""Telegram Bot API: a bot's private chats as conversations (webhook in, Bot API out).

The package's spec (`telegram/spec.py`) says what it can do and which adapters do it (sender,
send limits, media and profile-picture fetchers, what deleting a channel tells Telegram);
`channels.registry.install_channels` registers it.
"""

from __future__ import annotations

TELEGRAM = "telegram"
