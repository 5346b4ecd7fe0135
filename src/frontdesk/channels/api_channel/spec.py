"""The API channel, as one spec (`channels/spec.py`)."""

from __future__ import annotations

from frontdesk.channels.api_channel import API
from frontdesk.channels.api_channel.media import fetch_api_media
from frontdesk.channels.api_channel.outbound import send_api_message
from frontdesk.channels.spec import ChannelSpec
from frontdesk.channels.whatsapp.spec import WHATSAPP_CHOICE_LIMITS
from frontdesk.core.channels.capabilities import Capabilities

API_SPEC = ChannelSpec(
    type=API,
    capabilities=Capabilities(
        reply_window=None,  # the integrator's customers can be answered at any time
        read_receipts=False,
        profile_lookup=False,
        # Buttons and lists reach the integrator as JSON (`data.interactive`) to show as it can.
        choice_limits=WHATSAPP_CHOICE_LIMITS.model_copy(
            update={"body": 10_000, "titled_sections": False}
        ),
    ),
    sender=send_api_message,
    idempotent_sends=True,  # every attempt carries the same `webhook-id`
    media_fetcher=fetch_api_media,
)
