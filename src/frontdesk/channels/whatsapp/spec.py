"""The WhatsApp Cloud API channel, as one spec (`channels/spec.py`)."""

from __future__ import annotations

from frontdesk.channels.spec import ChannelSpec
from frontdesk.channels.whatsapp.inbound import record_webhook
from frontdesk.channels.whatsapp.media import fetch_whatsapp_media
from frontdesk.channels.whatsapp.outbound import (
    WHATSAPP,
    send_limits,
    send_read_receipt,
    send_whatsapp,
)
from frontdesk.channels.whatsapp.setup import setup_info
from frontdesk.core.channels.capabilities import Capabilities, MediaRules, ReplyWindow
from frontdesk.core.channels.choices import ChoiceLimits

MB = 1024 * 1024

# WhatsApp's documented limits of an interactive message (reply buttons, list menu); the other
# channels start from these and differ where they say.
WHATSAPP_CHOICE_LIMITS = ChoiceLimits(
    body=1024,
    buttons=3,
    button_title=20,
    rows=10,
    row_title=24,
    row_description=72,
    button_label=20,
    section_title=24,
    titled_sections=True,
)

WHATSAPP_SPEC = ChannelSpec(
    type=WHATSAPP,
    capabilities=Capabilities(
        # 24 hours after the customer's last message; afterwards only an approved template.
        reply_window=ReplyWindow(seconds=24 * 3600),
        read_receipts=True,
        profile_lookup=False,  # the webhook carries the sender's name
        choice_limits=WHATSAPP_CHOICE_LIMITS,
        media=MediaRules(
            max_bytes={
                "image": 5 * MB,
                "video": 16 * MB,
                "audio": 16 * MB,
                "document": 100 * MB,
                "sticker": 500 * 1024,
            },
            caption_on_file=True,
        ),
    ),
    sender=send_whatsapp,
    send_limits=send_limits,
    media_fetcher=fetch_whatsapp_media,
    read_receipt_sender=send_read_receipt,
    setup=setup_info,
    inbound=record_webhook,
    account_setting="phone_number_id",
)
