"""The Telegram Bot API channel, as one spec (`channels/spec.py`)."""

from __future__ import annotations

from frontdesk.channels.spec import ChannelSpec
from frontdesk.channels.telegram import TELEGRAM
from frontdesk.channels.telegram.disconnect import forget_webhook
from frontdesk.channels.telegram.inbound import record_update
from frontdesk.channels.telegram.media import fetch_telegram_media
from frontdesk.channels.telegram.outbound import (
    MAX_PHOTO_BYTES,
    send_limits,
    send_telegram_message,
)
from frontdesk.channels.telegram.profile import fetch_telegram_profile
from frontdesk.channels.whatsapp.spec import WHATSAPP_CHOICE_LIMITS
from frontdesk.core.channels.capabilities import Capabilities, MediaRules

MB = 1024 * 1024

TELEGRAM_SPEC = ChannelSpec(
    type=TELEGRAM,
    capabilities=Capabilities(
        reply_window=None,  # a bot may answer a private chat at any time
        read_receipts=False,
        profile_lookup=True,  # the picture is asked of the Bot API
        # An inline keyboard; the sender fits each button's callback data to 64 bytes.
        choice_limits=WHATSAPP_CHOICE_LIMITS.model_copy(
            update={"body": 4096, "titled_sections": False}
        ),
        media=MediaRules(
            max_bytes={"image": MAX_PHOTO_BYTES, "document": 50 * MB}, caption_on_file=True
        ),
    ),
    sender=send_telegram_message,
    send_limits=send_limits,
    media_fetcher=fetch_telegram_media,
    profile_fetcher=fetch_telegram_profile,
    removal_hook=forget_webhook,
    inbound=record_update,
)
