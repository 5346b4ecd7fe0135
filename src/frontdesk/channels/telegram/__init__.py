"""Telegram Bot API: a bot's private chats as conversations (webhook in, Bot API out).

Importing the package registers its sender, its send limits, its media and profile-picture
fetchers and what deleting a channel tells Telegram (`disconnect`), by channel type.
"""

from __future__ import annotations

from frontdesk.channels.common import MEDIA_FETCHERS, PROFILE_FETCHERS
from frontdesk.channels.outbound import SEND_LIMITS, SENDERS
from frontdesk.channels.removal import REMOVAL_HOOKS
from frontdesk.channels.telegram.disconnect import forget_webhook
from frontdesk.channels.telegram.media import fetch_telegram_media
from frontdesk.channels.telegram.outbound import send_limits, send_telegram_message
from frontdesk.channels.telegram.profile import fetch_telegram_profile

TELEGRAM = "telegram"

SENDERS[TELEGRAM] = send_telegram_message
SEND_LIMITS[TELEGRAM] = send_limits
MEDIA_FETCHERS[TELEGRAM] = fetch_telegram_media
PROFILE_FETCHERS[TELEGRAM] = fetch_telegram_profile
REMOVAL_HOOKS[TELEGRAM] = forget_webhook
