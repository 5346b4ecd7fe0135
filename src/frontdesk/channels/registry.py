"""The built-in channel providers, registered where a process starts.

`install_channels()` registers one spec per built-in provider (`channels/spec.py`) and so
declares their capabilities to core. `create_app` and the `frontdesk worker` command call it
(and the demo through `create_app`): a worker started alone has every sender, fetcher and
window the server has. It may be called any number of times.
"""

from __future__ import annotations

from frontdesk.channels.api_channel.spec import API_SPEC
from frontdesk.channels.email.spec import EMAIL_SPEC
from frontdesk.channels.messenger.spec import INSTAGRAM_SPEC, MESSENGER_SPEC
from frontdesk.channels.spec import ChannelSpec, register
from frontdesk.channels.telegram.spec import TELEGRAM_SPEC
from frontdesk.channels.twilio.spec import TWILIO_SMS_SPEC, with_twilio
from frontdesk.channels.whatsapp.spec import WHATSAPP_SPEC
from frontdesk.core.webchat.visitor import WEBCHAT

# The website widget: answered through the realtime connection, with no provider behind it.
WEBCHAT_SPEC = ChannelSpec(type=WEBCHAT)

BUILT_IN: tuple[ChannelSpec, ...] = (
    with_twilio(WHATSAPP_SPEC),  # a WhatsApp number may be carried by Twilio
    TWILIO_SMS_SPEC,
    MESSENGER_SPEC,
    INSTAGRAM_SPEC,
    TELEGRAM_SPEC,
    WEBCHAT_SPEC,
    API_SPEC,
    EMAIL_SPEC,
)


def install_channels(*extra: ChannelSpec) -> None:
    """Register the built-in specs, then `extra` ones (which may replace a built-in)."""
    for spec in (*BUILT_IN, *extra):
        register(spec)
