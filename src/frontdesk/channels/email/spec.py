"""The email channel, as one spec (`channels/spec.py`)."""

from __future__ import annotations

from frontdesk.channels.email import EMAIL
from frontdesk.channels.email.inbound import record_mail
from frontdesk.channels.email.media import fetch_email_media
from frontdesk.channels.email.outbound import send_email_message, send_limits
from frontdesk.channels.spec import ChannelSpec
from frontdesk.core.channels.capabilities import Capabilities, MediaRules

MB = 1024 * 1024

EMAIL_SPEC = ChannelSpec(
    type=EMAIL,
    capabilities=Capabilities(
        reply_window=None,  # a mail may be answered at any time
        read_receipts=False,
        profile_lookup=False,  # the sender's name comes with the mail
        choice_limits=None,  # no buttons in a mail
        # Most mail servers refuse a mail past 25 MB (its files, base64-encoded, included).
        media=MediaRules(max_bytes={"document": 18 * MB, "image": 18 * MB}, caption_on_file=True),
    ),
    sender=send_email_message,
    send_limits=send_limits,
    media_fetcher=fetch_email_media,
    inbound=record_mail,
)
